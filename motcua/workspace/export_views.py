"""Supervision pages of the workspace: report exports (asked for, built in the background, downloaded), the Decree 61
evaluation, the QĐ 766 index, officials' figures and bottlenecks.

Thin: figures come from `reports.evaluations / index766 / officials / bottlenecks`, files from `reports.exports`;
every page is narrowed to the viewer's `reports.view` reach (officials see their own figures).
"""
from datetime import date

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q
from motcua.agencies.models import Agency
from motcua.errors import DomainError
from motcua.reports import bottlenecks, evaluations, exports, index766, officials
from motcua.reports.models import ExportState
from motcua.workcal.services import to_local
from motcua.workspace.access import staff_required
from motcua.workspace.dossier_forms import PeriodForm


def _today() -> date:
    return to_local(clock.now()).date()


def _agencies(user):
    return Agency.objects.filter(agency_q(user, Perm.REPORT_VIEW, ""))


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại báo cáo"),
                             choices=[("quarterly", gettext_lazy("Báo cáo quý")),
                                      ("annual", gettext_lazy("Báo cáo năm"))])
    fmt = forms.ChoiceField(label=gettext_lazy("Định dạng"), choices=[("xlsx", "Excel (.xlsx)"), ("pdf", "PDF")])
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=gettext_lazy("Quý"), min_value=1, max_value=4, required=False)
    agency = forms.ModelChoiceField(label=gettext_lazy("Cơ quan"), queryset=Agency.objects.none())
    signer_name = forms.CharField(label=gettext_lazy("Người ký"), max_length=120)
    signer_title = forms.CharField(label=gettext_lazy("Chức vụ người ký"), max_length=120)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies(user)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "quarterly" and not data.get("quarter"):
            self.add_error("quarter", _("Hãy chọn quý của báo cáo quý."))
        return data


@staff_required(Perm.REPORT_VIEW)
@require_http_methods(["GET", "POST"])
def export_list(request):
    today = _today()
    status = 200
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                exports.export_request(user=request.user, kind=d["kind"], fmt=d["fmt"], year=d["year"],
                                       quarter=d.get("quarter") or 0, agency=d["agency"],
                                       signer_name=d["signer_name"], signer_title=d["signer_title"],
                                       request=request)
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Đã ghi nhận yêu cầu; báo cáo đang được lập."))
                return redirect("workspace:report-exports")
        else:
            status = 400
    else:
        form = ExportForm(user=request.user, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    rows = list(exports.exports_visible_to(request.user)[:50])
    pending = any(r.state in (ExportState.QUEUED, ExportState.RUNNING) for r in rows)
    return render(request, "workspace/evaluations/exports.html",
                  {"form": form, "rows": rows, "pending": pending}, status=status)


@staff_required(Perm.REPORT_VIEW)
@require_GET
def export_download(request, pk: int):
    try:
        export = exports.export_get(request.user, pk)
    except DomainError:
        raise Http404(_("Không tìm thấy báo cáo.")) from None
    if export.state != ExportState.DONE or not export.file:
        raise Http404(_("Báo cáo chưa lập xong."))
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=exports.filename(export))


def _quarter(request) -> tuple[int, int]:
    today = _today()
    text = request.GET.get("quarter") or f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    try:
        return evaluations.parse_quarter(text)
    except DomainError:
        return today.year, (today.month - 1) // 3 + 1


@staff_required(Perm.REPORT_VIEW)
@require_GET
def decree61_view(request):
    year, quarter = _quarter(request)
    code = request.GET.get("agency", "")
    detail = None
    if code:
        agency = _agencies(request.user).filter(code=code).first()
        if agency is None:
            raise Http404(_("Không tìm thấy cơ quan."))
        detail = evaluations.decree61(user=request.user, agency=agency, year=year, quarter=quarter)
    rows = evaluations.ranking(user=request.user, year=year, quarter=quarter) if detail is None else []
    return render(request, "workspace/evaluations/decree61.html", {
        "year": year, "quarter": quarter, "rows": rows, "detail": detail, "manual": evaluations.MANUAL,
        "minimum": evaluations.min_dossiers(), "max_points": evaluations.MAX_POINTS,
        "quarters": [f"{y}-Q{q}" for y in range(_today().year, _today().year - 3, -1) for q in (4, 3, 2, 1)],
    })


@staff_required(Perm.REPORT_VIEW)
@require_POST
def decree61_score(request):
    agency = _agencies(request.user).filter(code=request.POST.get("agency", "")).first()
    if agency is None:
        raise Http404(_("Không tìm thấy cơ quan."))
    try:
        year, quarter = evaluations.parse_quarter(request.POST.get("quarter", ""))
        evaluations.evaluation_score_enter(
            actor=request.user, agency=agency, year=year, quarter=quarter,
            indicator=int(request.POST.get("indicator", 0)), kind=request.POST.get("kind", ""),
            points=int(request.POST.get("points", -1)), note=request.POST.get("note", "")[:2000], request=request)
    except ValueError:
        messages.error(request, _("Điểm phải là 0, 1 hoặc 2."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi điểm."))
        return redirect(reverse("workspace:evaluation-decree61") + "?" + urlencode(
            {"quarter": f"{year}-Q{quarter}", "agency": agency.code}))
    return redirect("workspace:evaluation-decree61")


@staff_required(Perm.REPORT_VIEW)
@require_GET
def index766_view(request):
    today = _today()
    try:
        year, month = (int(x) for x in request.GET.get("month", f"{today.year}-{today.month}").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    code = request.GET.get("agency", "")
    agency = _agencies(request.user).filter(code=code).first() if code else None
    result = index766.index(user=request.user, year=year, month=month,
                            agency_ids=[agency.pk] if agency else None)
    return render(request, "workspace/evaluations/index766.html", {
        "result": result, "agency": agency, "month": f"{year}-{month:02d}", "agencies": _agencies(request.user),
        "not_measured": index766.NOT_MEASURED,
    })


@staff_required(Perm.WORKSPACE)
@require_GET
def officials_view(request):
    form = PeriodForm.quarter_to_date(request.GET)
    rows = []
    if form.is_valid():
        rows = officials.officials(user=request.user, start=form.cleaned_data["date_from"],
                                   end=form.cleaned_data["date_to"])
    return render(request, "workspace/evaluations/officials.html", {"form": form, "rows": rows})


@staff_required(Perm.REPORT_VIEW)
@require_GET
def bottlenecks_view(request):
    form = PeriodForm.quarter_to_date(request.GET)
    context = {"form": form}
    if form.is_valid():
        period = {"user": request.user, "start": form.cleaned_data["date_from"], "end": form.cleaned_data["date_to"]}
        context.update(waits=bottlenecks.waits(**period), slow=bottlenecks.slowest_procedures(**period),
                       late=bottlenecks.became_late(**period))
    return render(request, "workspace/evaluations/bottlenecks.html", context)
