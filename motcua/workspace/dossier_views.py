"""Dossier pages of the workspace: intake at the desk, the work queues, a dossier's page and its actions, files,
papers (Mẫu 01–05) and the desk's logbook (Mẫu 06).

Reads go through `motcua.dossiers.queries`, changes through `motcua.dossiers.services` (STYLE habits 1 and 2). A
dossier the user may not see answers 404 exactly like an absent one (STYLE habit 8). htmx is only an enhancement:
every form works as a plain HTML form.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua import clock
from motcua.accounts.queries import holders_of
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.catalogue import queries as catalogue_queries
from motcua.dossiers import files, policy, queries, services, timing
from motcua.dossiers.applicants import ApplicantData
from motcua.dossiers.services import Intake
from motcua.dossiers.workflow import CLOSED_STATES, OPEN_STATES, PAUSED_STATES, Action, Status
from motcua.errors import Conflict, DomainError, InvalidInput, NotFound
from motcua.errors import PermissionDenied as DomainForbidden
from motcua.workspace import landing
from motcua.workspace.access import staff_required
from motcua.workspace.dossier_forms import ACTION_FORMS, ComponentRowForm, IntakeForm, LogbookForm

PAGE_SIZE = 25
TAB_COUNT_CAP = 99  # the other tabs' badges count up to this, then say "99+"
LOGBOOK_PAGE_SIZE = 100

QUEUE_LABELS = {
    "online": gettext_lazy("Trực tuyến chờ kiểm tra"),
    "mine": gettext_lazy("Việc của tôi"),
    "due_soon": gettext_lazy("Đến hạn trong 1 ngày"),
    "overdue": gettext_lazy("Quá hạn"),
    "supplement": gettext_lazy("Chờ bổ sung"),
    "ready": gettext_lazy("Chờ trả kết quả"),
}

# Shown next to each paper's link; the titles of Circular 01/2018/TT-VPCP (LEGAL.md "Papers").
PAPER_LABELS = {
    "mau-01": gettext_lazy("Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "mau-02": gettext_lazy("Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "mau-03": gettext_lazy("Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "mau-04": gettext_lazy("Mẫu 04 – Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "mau-05": gettext_lazy("Mẫu 05 – Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}


def _papers():
    """The dossier papers module, or None while it is missing (the pages then say printing is unavailable)."""
    try:
        from motcua.dossiers import papers
    except ImportError:
        return None
    return papers


def _get_or_404(request, code: str):
    try:
        return queries.dossier_get(user=request.user, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _receiving_desks(user) -> list[Agency]:
    return queries.receiving_desks(user)


def _officers(agency: Agency, perm: str) -> list:
    return holders_of(agency, perm)


def _mark_due(dossiers, now=None) -> list:
    """Set `due_marker` on each dossier: "late", "soon" (within one working day) or "" (LEGAL "Apology when late")."""
    now = now or clock.now()
    threshold = timing.due_soon_threshold(now)
    rows = list(dossiers)
    for dossier in rows:
        marker = ""
        open_clock = dossier.status in OPEN_STATES and dossier.status not in PAUSED_STATES
        appointment = dossier.effective_due_at  # the apology's new date if any, as the queues read it
        if appointment is not None and open_clock:
            if appointment < now:
                marker = "late"
            elif appointment <= threshold:
                marker = "soon"
        elif dossier.outcome == "late" and dossier.status not in CLOSED_STATES:
            marker = "late"
        dossier.due_marker = marker
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Queues and search


@staff_required(Perm.DOSSIER_VIEW)
@require_GET
def dossier_queue(request):
    user = request.user
    q = request.GET.get("q", "").strip()
    default_tab = landing.queue_tab(user)  # where this role's work is (workspace/landing.py)
    tab = request.GET.get("tab", default_tab)
    if tab not in queries.QUEUE_FUNCTIONS:
        tab = default_tab
    queues = {key: queries.QUEUE_FUNCTIONS[key](user) for key in queries.QUEUES}
    results = queries.dossier_list(user=user, q=q) if q else queues[tab]
    page = Paginator(queries.table_rows(results), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _mark_due(page.object_list)
    tabs = []
    for key in queries.QUEUES:
        if key == tab and not q:
            count = page.paginator.count  # the open tab: counted exactly once, for its pages too
        else:
            found = queries.count_at_most(queues[key], TAB_COUNT_CAP)
            count = f"{TAB_COUNT_CAP}+" if found > TAB_COUNT_CAP else found
        tabs.append({"key": key, "label": QUEUE_LABELS[key], "count": count})
    return render(
        request,
        "workspace/dossier_queue.html",
        {
            "tabs": tabs,
            "tab": tab,
            "q": q,
            "page": page,
            "can_receive": user_can(user, Perm.DOSSIER_RECEIVE),
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# Intake at the desk


def _intake_forms(request, version, desks):
    agencies = list(version.agencies.all())
    components = list(version.components.all())
    data = request.POST if request.method == "POST" else None
    file_data = request.FILES if request.method == "POST" else None
    form = IntakeForm(data, desks=desks, agencies=agencies, has_fees=bool(list(version.fees.all())))
    rows = [ComponentRowForm(data, file_data, component=c) for c in components]
    return form, rows, agencies


def _show_intake_errors(exc: InvalidInput, form: IntakeForm, rows: list[ComponentRowForm]) -> None:
    """Put the service's complaints next to the fields they concern; the rest above the form."""
    detail = exc.detail
    placed = False
    if isinstance(detail, list):
        for problem in detail:
            field = str(problem.get("field", "")).replace("applicant.", "applicant_")
            if field in form.fields:
                form.add_error(field, problem.get("message", ""))
                placed = True
    elif isinstance(detail, dict) and detail.get("missing"):
        missing = set(detail["missing"])
        for row in rows:
            if row.component.name in missing:
                row.add_error(None, _("Thành phần bắt buộc: hãy ghi số bản đã nhận."))
        form.add_error(None, exc.message)
        placed = True
    if not placed:
        form.add_error(None, exc.message)


@staff_required(Perm.DOSSIER_RECEIVE)
@require_http_methods(["GET", "POST"])
def dossier_intake(request):
    desks = _receiving_desks(request.user)
    code = request.GET.get("procedure", "").strip()
    version = catalogue_queries.procedure_detail(code) if code else None
    if version is None or not desks:
        q = request.GET.get("q", "").strip()
        results = catalogue_queries.procedure_search(q=q) if q else None
        page = Paginator(results, 20).get_page(request.GET.get("page")) if results is not None else None
        return render(
            request,
            "workspace/dossier_intake_pick.html",
            {
                "q": q,
                "page": page,
                "desks": desks,
                "unknown": bool(code) and version is None,
            },
        )

    form, rows, agencies = _intake_forms(request, version, desks)
    files_dropped = False
    if request.method == "POST":
        files_dropped = any(request.FILES.getlist(key) for key in request.FILES)
        if form.is_valid() and all(row.is_valid() for row in rows):
            data = form.cleaned_data
            desk = next(d for d in desks if d.code == data["desk"])
            agency = next((a for a in agencies if a.code == data.get("agency")), None)
            received = [row.received() for row in rows]
            other = form.other_component()
            if other is not None:
                received.append(other)
            intake = Intake(
                procedure=version,
                applicant=ApplicantData(
                    type=data["applicant_type"],
                    name=data["applicant_name"],
                    id_number=data["applicant_id_number"],
                    phone=data["applicant_phone"],
                    email=data["applicant_email"],
                    address=data["applicant_address"],
                ),
                components=received,
                delivery=data["delivery"],
                delivery_address=data["delivery_address"],
                postal_fee=data.get("postal_fee") or 0,
                sets=data["sets"],
                note=data["note"],
                agency=agency,
                uploads=[upload for row in rows for upload in row.uploads()],
                fees_paid=data.get("fees_paid", True),
            )
            try:
                dossier = services.dossier_receive(actor=request.user, desk=desk, intake=intake, request=request)
            except InvalidInput as exc:
                _show_intake_errors(exc, form, rows)
            except DomainForbidden as exc:
                raise HttpForbidden(exc.message) from exc
            else:
                messages.success(
                    request,
                    _(
                        "Đã tiếp nhận hồ sơ %(code)s. Hãy in Giấy tiếp nhận và hẹn trả kết quả "
                        "(Mẫu 01) giao cho người nộp."
                    )
                    % {"code": dossier.code},
                )
                return redirect(f"{reverse('workspace:dossier-detail', args=[dossier.code])}?moi=1")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workspace/dossier_intake_form.html",
        {
            "version": version,
            "form": form,
            "rows": rows,
            "fees": list(version.fees.all()),
            "desk_count": len(desks),
            "files_dropped": files_dropped,
            "errors": request.method == "POST",
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------------------------
# One dossier


def _next_step(dossier, step):
    return queries.next_step(dossier, step)


def _offered_actions(user, dossier) -> list[str]:
    return queries.available_actions(user, dossier)


def _action_context(user, dossier, action: str) -> dict:
    """What an action's form lists: only those who may take the step (`policy.takers`), the steps to go back to."""
    step = policy.active_step(dossier)
    if action == Action.FORWARD and step is not None:
        nxt = policy.next_step(dossier, step)
        if nxt is not None:
            return {"officers": policy.takers(nxt), "next_step": nxt}
    if action == Action.REASSIGN and step is not None:
        return {"officers": [u for u in policy.takers(step, exclude=user) if u.pk != step.assignee_id]}
    if action == Action.SEND_BACK and step is not None:
        return {"earlier_steps": policy.earlier_steps(dossier, step)}
    return {}


def _action_forms(user, dossier, bound=None) -> list:
    forms = []
    for action in _offered_actions(user, dossier):
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            continue
        if bound is not None and bound.action == action:
            forms.append(bound)
        else:
            forms.append(form_class(dossier=dossier, user=user, context=_action_context(user, dossier, action)))
    return forms


def _render_detail(request, dossier, *, bound=None, status=200):
    queries.dossier_read(dossier, user=request.user, request=request)
    papers = _papers()
    paper_forms = papers.applicable(dossier) if papers is not None else []
    steps = sorted(dossier.steps.all(), key=lambda s: (s.order, s.id))
    _mark_due([dossier])
    components = list(dossier.components.all())
    names = {c.id: c.name for c in components}
    attachments = list(dossier.attachments.all())
    for attachment in attachments:
        attachment.component_name = names.get(attachment.component_id, "")
    labels = dict(Status.choices)
    events = [
        (e, labels.get(e.from_status, e.from_status), labels.get(e.to_status, e.to_status))
        for e in dossier.events.all()
    ]
    return render(
        request,
        "workspace/dossier_detail.html",
        {
            "dossier": dossier,
            "steps": steps,
            "events": events,
            "components": components,
            "fees": list(dossier.fees.all()),
            "attachments": attachments,
            "signed_result": next((a for a in reversed(attachments) if a.kind == "result" and a.signed_at), None),
            "verify_url": f"{reverse('portal:verify')}?code={dossier.code}",
            "payment_orders": queries.payment_orders(dossier),
            "supplement": queries.supplement_of(dossier),
            "apology": queries.apology_of(dossier),
            "papers": [(form, PAPER_LABELS.get(form, form)) for form in paper_forms],
            "papers_missing": papers is None,
            "action_forms": _action_forms(request.user, dossier, bound),
            "bound_action": bound.action if bound is not None else "",
            "just_received": request.GET.get("moi") == "1",
        },
        status=status,
    )


@staff_required()
@require_GET
def dossier_detail(request, code):
    return _render_detail(request, _get_or_404(request, code))


@staff_required()
@require_POST
def dossier_action(request, code, action):
    dossier = _get_or_404(request, code)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("Thao tác không hợp lệ."))
    form = form_class(
        request.POST,
        request.FILES,
        dossier=dossier,
        user=request.user,
        context=_action_context(request.user, dossier, action),
    )
    if not form.is_valid():
        return _render_detail(request, dossier, bound=form, status=400)
    try:
        services.dossier_act(dossier=dossier, actor=request.user, action=action, request=request, **form.params())
    except InvalidInput as exc:
        form.add_error(None, exc.message)
        return _render_detail(request, dossier, bound=form, status=400)
    except Conflict as exc:
        # Someone changed the dossier meanwhile, or its state no longer allows the action: show the fresh page.
        messages.error(request, exc.message)
        if isinstance(exc.detail, dict) and "version" in exc.detail:
            messages.info(
                request,
                _(
                    "Trang dưới đây đã được tải lại với trạng thái mới nhất của hồ sơ; hãy xem lại "
                    "trước khi thao tác tiếp."
                ),
            )
        return redirect("workspace:dossier-detail", code=dossier.code)
    except DomainForbidden as exc:
        raise HttpForbidden(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": Action(action).label})
    return redirect("workspace:dossier-detail", code=dossier.code)


@staff_required()
@require_GET
def attachment_download(request, code, pk):
    dossier = _get_or_404(request, code)
    attachment = next((a for a in dossier.attachments.all() if a.pk == pk), None)
    if attachment is None:
        raise Http404(_("Không tìm thấy tệp."))
    try:
        handle = files.open_verified(attachment)
    except Conflict as exc:
        audit_record(
            actor=request.user,
            action="dossier.attachment_refused",
            obj=dossier,
            summary=dossier.code,
            detail={"attachment": attachment.pk, "sha256": attachment.sha256},
            request=request,
        )
        messages.error(request, exc.message)
        return redirect("workspace:dossier-detail", code=dossier.code)
    except OSError as exc:
        raise Http404(_("Không đọc được tệp.")) from exc
    queries.dossier_read(dossier, user=request.user, purpose="attachment_read", detail={"attachment": attachment.pk},
                         request=request)
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=True,
                            filename=attachment.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required()
@require_GET
def paper_download(request, code, form):
    dossier = _get_or_404(request, code)
    papers = _papers()
    if papers is None:
        return HttpResponse(_("Chức năng in giấy tờ chưa sẵn sàng."), status=503, content_type="text/plain")
    try:
        pdf = papers.paper_pdf(dossier, form)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    queries.dossier_read(dossier, user=request.user, purpose="paper", detail={"form": form}, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{dossier.code}-{form}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------------------------
# Logbook (Mẫu 06)


def _logbook_desks(user) -> list[Agency]:
    """Desks whose register this person may read: their own desk, or every desk in their reach."""
    return queries.desks_in_reach(user)


def _logbook_form(request, desks) -> LogbookForm:
    today = timezone.localdate()
    data = request.GET.copy()
    if "desk" not in data and desks:
        own = _receiving_desks(request.user)
        data["desk"] = (own or desks)[0].code
    data.setdefault("date_from", today.replace(day=1).strftime("%d/%m/%Y"))
    data.setdefault("date_to", today.strftime("%d/%m/%Y"))
    return LogbookForm(data, desks=desks)


@staff_required(Perm.DOSSIER_VIEW)
@require_GET
def logbook_view(request):
    desks = _logbook_desks(request.user)
    form = _logbook_form(request, desks)
    page = None
    if desks and form.is_valid():
        data = form.cleaned_data
        rows = queries.logbook(
            user=request.user, desk_code=data["desk"], date_from=data["date_from"], date_to=data["date_to"]
        )
        page = Paginator(rows, LOGBOOK_PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = urlencode({k: form.data.get(k, "") for k in ("desk", "date_from", "date_to")})
    return render(
        request,
        "workspace/dossier_logbook.html",
        {
            "form": form,
            "desks": desks,
            "page": page,
            "querystring": querystring,
        },
    )


@staff_required(Perm.DOSSIER_VIEW)
@require_GET
def logbook_download(request, fmt):
    if fmt not in ("pdf", "xlsx"):
        raise Http404(_("Định dạng không hỗ trợ."))
    desks = _logbook_desks(request.user)
    form = _logbook_form(request, desks)
    if not desks or not form.is_valid():
        messages.error(request, _("Hãy chọn bộ phận tiếp nhận và khoảng ngày hợp lệ."))
        return redirect("workspace:dossier-logbook")
    papers = _papers()
    if papers is None:
        return HttpResponse(_("Chức năng in giấy tờ chưa sẵn sàng."), status=503, content_type="text/plain")
    data = form.cleaned_data
    desk = form.desks[data["desk"]]
    dossiers = queries.logbook(
        user=request.user, desk_code=desk.code, date_from=data["date_from"], date_to=data["date_to"]
    )
    render_book = papers.logbook_pdf if fmt == "pdf" else papers.logbook_xlsx
    content = render_book(desk=desk, dossiers=dossiers, date_from=data["date_from"], date_to=data["date_to"])
    audit_record(
        actor=request.user,
        action="dossier.logbook",
        obj=desk,
        summary=desk.code,
        detail={"from": data["date_from"].isoformat(), "to": data["date_to"].isoformat(), "format": fmt},
        request=request,
    )
    content_type = (
        "application/pdf" if fmt == "pdf" else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    response = HttpResponse(content, content_type=content_type)
    name = f"so-theo-doi-{desk.code}-{_stamp(data['date_from'])}-{_stamp(data['date_to'])}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def _stamp(day: date) -> str:
    return day.strftime("%Y%m%d")
