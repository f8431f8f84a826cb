"""Staff pages: home, the organisation, the catalogue editor, imports and exports, and the calendar."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.roles import Perm, Role
from motcua.accounts.scoping import scope, user_can
from motcua.agencies.models import Agency
from motcua.catalogue import queries as catalogue_queries
from motcua.catalogue import services as catalogue_services
from motcua.catalogue.models import ProcedureVersion, VersionStatus
from motcua.catalogue.spec import SpecError, parse_spec
from motcua.errors import DomainError
from motcua.portal.ratelimit import FailedLoginBudgetMixin
from motcua.workcal import services as workcal_services
from motcua.workcal.models import CalendarOverride
from motcua.workspace.access import staff_required
from motcua.workspace.forms import (
    ComponentFormSet,
    DueForm,
    FeeFormSet,
    ImportForm,
    OverrideForm,
    ProcedureForm,
    StaffLoginForm,
    StepFormSet,
)


@staff_required()
def home(request):
    grants = request.user.grants.select_related("agency").order_by("agency__path")
    return render(request, "workspace/home.html", {
        "grants": grants,
        "can_edit_catalogue": user_can(request.user, Perm.CATALOGUE_EDIT),
        "can_manage_calendar": user_can(request.user, Perm.CALENDAR_MANAGE),
        "role_labels": dict(Role.choices),
    })


@staff_required(Perm.AGENCY_VIEW)
def agency_list(request):
    agencies = scope(Agency.objects.all(), request.user, Perm.AGENCY_VIEW, field="").order_by("path")
    return render(request, "workspace/agency_list.html", {"agencies": agencies})


@staff_required(Perm.CATALOGUE_VIEW)
def catalogue_list(request):
    q = request.GET.get("q", "").strip()
    results = catalogue_queries.procedure_search(q=q, include_unpublished=True)
    status = request.GET.get("status", "")
    if status in VersionStatus.values:
        results = results.filter(status=status)
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    return render(request, "workspace/catalogue_list.html", {
        "page": page, "q": q, "status": status, "statuses": VersionStatus.choices,
        "can_edit": user_can(request.user, Perm.CATALOGUE_EDIT),
    })


def _current_or_404(code: str) -> ProcedureVersion:
    version = catalogue_queries.procedure_detail(code, include_unpublished=True)
    if version is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    return version


@staff_required(Perm.CATALOGUE_VIEW)
def procedure_view(request, code):
    version = _current_or_404(code)
    versions = catalogue_queries.procedure_versions(code)
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    return render(request, "workspace/procedure_view.html", {
        "version": version, "versions": versions, "draft": draft,
        "can_edit": user_can(request.user, Perm.CATALOGUE_EDIT),
    })


def _formsets(data=None, initial=None):
    initial = initial or {}
    return (
        ComponentFormSet(data, initial=initial.get("components"), prefix="components"),
        FeeFormSet(data, initial=initial.get("fees"), prefix="fees"),
        StepFormSet(data, initial=initial.get("steps"), prefix="steps"),
    )


def _rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _procedure_editor(request, *, version: ProcedureVersion | None):
    editing = version is not None
    initial = catalogue_queries.version_as_data(version) if editing else {}
    if request.method == "POST":
        form = ProcedureForm(request.POST, editing=editing, initial=initial)
        formsets = _formsets(request.POST)
        if form.is_valid() and all(fs.is_valid() for fs in formsets):
            data = {**form.cleaned_data}
            data["components"], data["fees"], data["steps"] = (_rows(fs) for fs in formsets)
            publish = "publish" in request.POST
            try:
                spec = parse_spec(data)
                if editing:
                    saved = catalogue_services.procedure_revise(
                        procedure=version.procedure, spec=spec, actor=request.user, publish=publish
                    )
                else:
                    saved = catalogue_services.procedure_create(spec=spec, actor=request.user, publish=publish)
            except SpecError as exc:
                for problem in exc.detail or []:
                    form.add_error(None, f"{problem['field']}: {problem['message']}")
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if publish:
                    messages.success(request, _("Đã công bố phiên bản %(n)s.") % {"n": saved.number})
                else:
                    messages.success(request, _("Đã lưu bản nháp (phiên bản %(n)s).") % {"n": saved.number})
                return redirect("workspace:procedure-view", code=saved.procedure.code)
    else:
        form = ProcedureForm(initial=initial, editing=editing)
        formsets = _formsets(initial=initial)
    components, fees, steps = formsets
    return render(request, "workspace/procedure_form.html", {
        "form": form, "components": components, "fees": fees, "steps": steps, "version": version,
    })


@staff_required(Perm.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def procedure_new(request):
    return _procedure_editor(request, version=None)


@staff_required(Perm.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def procedure_edit(request, code):
    return _procedure_editor(request, version=_current_or_404(code))


@staff_required(Perm.CATALOGUE_EDIT)
@require_POST
def procedure_publish_view(request, code):
    draft = ProcedureVersion.objects.filter(procedure__code=code, status=VersionStatus.DRAFT).first()
    if draft is None:
        messages.error(request, _("Thủ tục này không có bản nháp để công bố."))
    else:
        try:
            catalogue_services.procedure_publish(version=draft, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã công bố phiên bản %(n)s.") % {"n": draft.number})
    return redirect("workspace:procedure-view", code=code)


@staff_required(Perm.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def catalogue_import_view(request):
    from motcua.catalogue.transfer import catalogue_import

    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = "apply" not in request.POST
        try:
            report = catalogue_import(
                content=upload.read(), filename=upload.name, actor=request.user, dry_run=dry_run
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            if report.applied:
                messages.success(request, _("Đã nhập: %(c)s thủ tục mới, %(r)s thủ tục sửa đổi.")
                                 % {"c": report.created, "r": report.revised})
    return render(request, "workspace/catalogue_import.html", {"form": form, "report": report})


@staff_required(Perm.CATALOGUE_VIEW)
def catalogue_export_view(request, fmt):
    from motcua.catalogue.transfer import catalogue_export

    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Định dạng không hỗ trợ."))
    versions = catalogue_queries.procedure_search(q=request.GET.get("q", ""))
    content = catalogue_export(versions=versions, fmt=fmt)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{stamp}.{fmt}"'
    return response


@staff_required()
@require_http_methods(["GET", "POST"])
def calendar_view(request):
    can_manage = user_can(request.user, Perm.CALENDAR_MANAGE)
    override_form = OverrideForm(prefix="o")
    due_form = DueForm(prefix="d")
    due = None
    if request.method == "POST" and "o-day" in request.POST:
        override_form = OverrideForm(request.POST, prefix="o")
        if override_form.is_valid():
            data = override_form.cleaned_data
            try:
                workcal_services.override_add(day=data["day"], kind=data["kind"], reason=data["reason"],
                                              actor=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                day = data["day"].strftime("%d/%m/%Y")
                messages.success(request, _("Đã ghi điều chỉnh lịch ngày %(d)s.") % {"d": day})
                return redirect("workspace:calendar")
    elif request.method == "POST":
        due_form = DueForm(request.POST, prefix="d")
        if due_form.is_valid():
            data = due_form.cleaned_data
            try:
                due = workcal_services.due_at(data["start"], data["amount"], data["unit"],
                                              agency=request.user.agency)
            except DomainError as exc:
                due_form.add_error(None, exc.message)
    overrides = CalendarOverride.objects.filter(date__year__gte=timezone.localdate().year - 1)
    return render(request, "workspace/calendar.html", {
        "overrides": overrides, "override_form": override_form, "due_form": due_form, "due": due,
        "can_manage": can_manage,
    })


@staff_required(Perm.CALENDAR_MANAGE)
@require_POST
def calendar_remove(request, pk):
    override = CalendarOverride.objects.filter(pk=pk).first()
    if override is None:
        raise Http404(_("Không tìm thấy điều chỉnh."))
    try:
        workcal_services.override_remove(override=override, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xoá điều chỉnh lịch."))
    return redirect("workspace:calendar")


class StaffLoginView(FailedLoginBudgetMixin, LoginView):
    """`/workspace/dang-nhap/`: staff sign in; failures share the client's budget with the portal and the API."""

    template_name = "workspace/login.html"
    form_class = StaffLoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # Staff sessions end after STAFF_SESSION_SECONDS, whatever the browser does (issue 13 section 5).
        self.request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
        return response

    def get_default_redirect_url(self):
        from motcua.workspace.landing import landing_url

        return landing_url(self.request.user)
