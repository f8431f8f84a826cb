"""Rating pages of the workspace: the desk kiosk, the supervisors' satisfaction rates (with XLSX) and the flags that
leaders follow up (issue 4 §8; LEGAL.md "Evaluating how procedures are handled", "Service index (QĐ 766)").

Reads through `ratings.queries` (scoped with `reports.view`), writes through `ratings.services`.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.roles import Perm
from motcua.audit.services import audit_record
from motcua.dossiers.queries import initials
from motcua.errors import DomainError
from motcua.ratings import queries, services
from motcua.ratings.exports import rates_xlsx
from motcua.ratings.forms import RatingForm
from motcua.ratings.models import FlagState
from motcua.workspace.access import staff_required
from motcua.workspace.dossier_forms import PeriodForm


@staff_required(Perm.REPORT_VIEW)
@require_GET
def rates_view(request):
    form = PeriodForm.quarter_to_date(request.GET)
    summary = None
    if form.is_valid():
        summary = queries.rates(user=request.user, **form.cleaned_data)
    querystring = urlencode({k: form.data.get(k, "") for k in ("date_from", "date_to")})
    return render(request, "ratings/workspace_rates.html", {
        "form": form, "summary": summary, "querystring": querystring,
        "open_flags": queries.open_flag_count(user=request.user),
    })


@staff_required(Perm.REPORT_VIEW)
@require_GET
def rates_download(request):
    form = PeriodForm.quarter_to_date(request.GET)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn khoảng ngày hợp lệ."))
        return redirect("workspace:rating-rates")
    data = form.cleaned_data
    summary = queries.rates(user=request.user, **data)
    audit_record(actor=request.user, action="rating.export", summary="rates",
                 detail={"from": data["date_from"].isoformat(), "to": data["date_to"].isoformat()}, request=request)
    response = HttpResponse(rates_xlsx(summary),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"muc-do-hai-long-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def _flags_page(request, *, state: str, typed: dict | None = None, status: int = 200):
    rows = queries.flags(user=request.user, state=state)
    return render(request, "ratings/workspace_flags.html", {
        "flags": [(flag, services.may_follow_up(request.user, flag.agency)) for flag in rows],
        "state": state, "states": FlagState.choices, "typed": typed or {},
    }, status=status)


@staff_required(Perm.REPORT_VIEW)
@require_GET
def flag_list(request):
    return _flags_page(request, state=request.GET.get("state", FlagState.OPEN))


@staff_required(Perm.REPORT_VIEW)
@require_POST
def flag_follow_up(request, pk):
    note = request.POST.get("note", "")
    try:
        services.flag_follow_up(flag=pk, actor=request.user, note=note, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        # Nothing typed is lost: the list comes back with the note in its form.
        return _flags_page(request, state=FlagState.OPEN, typed={"flag": pk, "note": note}, status=exc.status)
    messages.success(request, _("Đã ghi nhận kết quả xử lý."))
    return redirect("workspace:rating-flags")


@staff_required(Perm.DOSSIER_RECEIVE)
@require_http_methods(["GET", "POST"])
def kiosk(request):
    """The desk's tablet: the dossier this officer just served (code and initials only) and the three questions."""
    dossier = queries.kiosk_dossier(request.user)
    form = RatingForm()
    status = 200
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.rating_submit_at_kiosk(officer=request.user, code=request.POST.get("code", ""),
                                                answers=form.answers(), comment=form.cleaned_data["comment"],
                                                request=request)
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Cảm ơn ông/bà đã đánh giá!"))
                return redirect("workspace:rating-kiosk")  # reset for the next person
        else:
            status = 400
    return render(request, "ratings/kiosk.html", {
        "dossier": dossier, "initials": initials(dossier.applicant_name) if dossier else "",
        "officer": request.user.display_name, "form": form,
    }, status=status)
