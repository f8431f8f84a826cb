"""Programme pages of the workspace (QĐ 1908/QĐ-UBND): overview, import, name mapping, tasks, reports, targets.

Thin: reads through `programme.queries`, writes through `programme.services`, offers what `programme.policy` allows.
"""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.dossiers import files
from motcua.errors import Conflict, DomainError
from motcua.programme import documents, importer, periods, policy, queries, services, targets
from motcua.programme.management.commands.import_programme import describe
from motcua.programme.models import AliasGroup, Evidence, Target, Task, TaskRole
from motcua.programme.workflow import Action, TaskStatus
from motcua.workcal.services import to_local
from motcua.workspace.access import staff_required


def _today():
    return to_local(clock.now()).date()


def _manager_only(request):
    if not policy.is_manager(request.user):
        raise Http404(_("Chỉ Sở Nội vụ mở được trang này."))


@staff_required(Perm.WORKSPACE)
@require_GET
def overview(request):
    today = _today()
    data = queries.overview(request.user, today)
    return render(request, "programme/overview.html", {
        **data, "manager": policy.is_manager(request.user), "today": today,
        "years": range(2016, max(today.year, 2020) + 1),
    })


@staff_required(Perm.WORKSPACE)
@require_http_methods(["GET", "POST"])
def import_view(request):
    _manager_only(request)
    plan, lines, applied = None, [], None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Hãy chọn tệp CSV hoặc XLSX."))
            status = 400
        else:
            plan = importer.read(upload.name, upload.read())
            lines = describe(plan)
            if request.POST.get("apply") and plan.ok:
                try:
                    applied = services.programme_import(plan=plan, actor=request.user, source=upload.name,
                                                        request=request)
                except DomainError as exc:
                    messages.error(request, exc.message)
                    status = exc.status
                else:
                    messages.success(request, _("Đã nhập: %(n)s mới, %(c)s thay đổi, %(u)s không đổi.")
                                     % {"n": applied["new"], "c": applied["changed"], "u": applied["unchanged"]})
            elif request.POST.get("apply"):
                messages.error(request, _("Tệp còn lỗi; chưa ghi gì."))
                status = 400
    return render(request, "programme/import.html", {"plan": plan, "lines": lines, "applied": applied},
                  status=status)


@staff_required(Perm.WORKSPACE)
@require_http_methods(["GET", "POST"])
def mapping_view(request):
    _manager_only(request)
    if request.method == "POST":
        agency = Agency.objects.filter(pk=request.POST.get("agency") or 0).first()
        try:
            services.alias_map(name=request.POST.get("name", ""), agency=agency, group=request.POST.get("group", ""),
                               actor=request.user, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã ghi nhớ ánh xạ."))
        return redirect("workspace:programme-mapping")
    names: dict[str, list] = {}
    for task in Task.objects.exclude(unmatched_names=[]).select_related("section"):
        for name in task.unmatched_names:
            names.setdefault(name, []).append(task.ref)
    return render(request, "programme/mapping.html", {
        "names": sorted(names.items()), "agencies": Agency.objects.active().filter(
            kind__in=["province", "department", "district"]), "groups": AliasGroup.choices})


def _reporting_agencies(user, task):
    """Lead agencies of `task` the user may draft for, and coordinators the user belongs to."""
    leads, coordinators = [], []
    for ta in task.agencies.all():
        if ta.role == TaskRole.LEAD and user_can(user, Perm.PROGRAMME_REPORT, ta.agency):
            leads.append(ta.agency)
        elif ta.role == TaskRole.COORDINATOR and user_can(user, Perm.PROGRAMME_REPORT, ta.agency):
            coordinators.append(ta.agency)
    return leads, coordinators


@staff_required(Perm.WORKSPACE)
@require_GET
def task_view(request, pk):
    try:
        task = queries.task_get(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    reports = list(queries.reports_visible_to(request.user).filter(task=task)
                   .prefetch_related("evidence", "contributions__agency", "events"))
    leads, coordinators = _reporting_agencies(request.user, task)
    return render(request, "programme/task.html", {
        "task": task, "reports": [(r, policy.offered_actions(request.user, r)) for r in reports],
        "lead_agencies": [ta for ta in task.agencies.all() if ta.role == TaskRole.LEAD],
        "coordinating": [ta for ta in task.agencies.all() if ta.role == TaskRole.COORDINATOR],
        "may_report_for": leads, "may_contribute_for": coordinators,
        "periods": [(f"{y}-{q}", f"Quý {q}/{y}" if q else f"Năm {y}") for y, q in periods.periods(task)],
        "statuses": TaskStatus.choices[1:], "changes": task.changes.all(), "actions": Action,
        "manager": policy.is_manager(request.user),
    })


@staff_required(Perm.WORKSPACE)
@require_POST
def task_set_due(request, pk):
    from datetime import datetime

    try:
        task = queries.task_get(request.user, pk)
        due = datetime.strptime(request.POST.get("due", "").strip(), "%d/%m/%Y").date()
        services.task_set_due(task=task, due=due, actor=request.user, request=request)
    except ValueError:
        messages.error(request, _("Ngày phải theo dạng dd/mm/yyyy."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi hạn hoàn thành."))
    return redirect("workspace:programme-task", pk=pk)


@staff_required(Perm.PROGRAMME_REPORT)
@require_POST
def report_save(request, pk):
    try:
        task = queries.task_get(request.user, pk)
        agency = Agency.objects.filter(pk=request.POST.get("agency") or 0).first()
        if agency is None:
            raise Conflict(_("Hãy chọn cơ quan báo cáo."))
        year, quarter = (int(x) for x in request.POST.get("period", "0-0").split("-"))
        uploads = [services.Upload(f.name, f.read()) for f in request.FILES.getlist("evidence")]
        report = services.report_save(
            task=task, agency=agency, year=year, quarter=quarter, actor=request.user,
            status=request.POST.get("status", ""), percent=int(request.POST.get("percent") or 0),
            done=request.POST.get("done", ""), problems=request.POST.get("problems", ""),
            proposals=request.POST.get("proposals", ""), uploads=uploads, request=request)
        if request.POST.get("submit"):
            services.report_submit(report=report, actor=request.user, request=request)
            messages.success(request, _("Đã gửi báo cáo tới Sở Nội vụ."))
        else:
            messages.success(request, _("Đã lưu dự thảo báo cáo."))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Dữ liệu không hợp lệ.")))
    return redirect("workspace:programme-task", pk=pk)


@staff_required(Perm.WORKSPACE)
@require_POST
def report_action(request, pk, action):
    try:
        report = queries.report_get(request.user, pk)
        if action == Action.SUBMIT:
            services.report_submit(report=report, actor=request.user, request=request)
        elif action == Action.ACCEPT:
            services.report_accept(report=report, actor=request.user, request=request)
        elif action == Action.SEND_BACK:
            services.report_send_back(report=report, actor=request.user, reason=request.POST.get("reason", ""),
                                      request=request)
        elif action == Action.CONTRIBUTE:
            agency = Agency.objects.filter(pk=request.POST.get("agency") or 0).first()
            if agency is None:
                raise Conflict(_("Hãy chọn cơ quan phối hợp."))
            services.report_contribute(report=report, agency=agency, actor=request.user,
                                       text=request.POST.get("text", ""), request=request)
        else:
            raise Http404()
    except DomainError as exc:
        messages.error(request, exc.message)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
            back = reverse("workspace:programme")  # never send the user to another site
        return redirect(back)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": Action(action).label})
    return redirect("workspace:programme-task", pk=report.task_id)


@staff_required(Perm.WORKSPACE)
@require_GET
def evidence_download(request, pk):
    evidence = Evidence.objects.filter(pk=pk, report__in=queries.reports_visible_to(request.user)).first()
    if evidence is None:
        raise Http404(_("Không tìm thấy tệp."))
    try:
        handle = files.open_verified(evidence)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("workspace:programme-task", pk=evidence.report.task_id)
    except OSError as exc:
        raise Http404(_("Không đọc được tệp.")) from exc
    response = FileResponse(handle, content_type=evidence.content_type, as_attachment=True,
                            filename=evidence.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(Perm.WORKSPACE)
@require_GET
def my_tasks(request):
    today = _today()
    mine = queries.expected(request.user, today)
    own = [row for row in mine if user_can(request.user, Perm.PROGRAMME_REPORT, row[1])]
    upcoming = [row for row in own if row[4] >= today][:50]
    overdue = [row for row in own if row[4] < today and (row[5] is None or row[5].state not in queries.SENT)]
    return render(request, "programme/my_tasks.html", {
        "upcoming": upcoming, "overdue": overdue[-100:], "reports": queries.reports_visible_to(request.user)
        .filter(agency__in=[row[1] for row in own]).order_by("-year", "-quarter")[:100], "today": today})


@staff_required(Perm.WORKSPACE)
@require_GET
def queue_view(request):
    _manager_only(request)
    today = _today()
    return render(request, "programme/queue.html", {
        "missing": queries.missing_reports(request.user, today), "today": today,
        "submitted": queries.reports_visible_to(request.user).filter(state="submitted"),
        "late": queries.overdue_tasks(request.user, today)})


@staff_required(Perm.WORKSPACE)
@require_GET
def targets_view(request):
    today = _today()
    rows = []
    for target in Target.objects.all():
        reading = targets.current(target, today=today, user=request.user)
        rows.append((target, reading, targets.met(target, reading)))
    return render(request, "programme/targets.html", {"rows": rows})


@staff_required(Perm.WORKSPACE)
@require_http_methods(["GET", "POST"])
def target_view(request, pk):
    target = Target.objects.filter(pk=pk).first()
    if target is None:
        raise Http404()
    if request.method == "POST":
        try:
            value = Decimal(request.POST.get("value", "").replace(",", "."))
            upload = request.FILES.get("evidence")
            agency = target.agency or Agency.objects.filter(code="000.00.01.H47").first() or policy.province()
            services.target_value_record(
                target_obj=target, actor=request.user, agency=agency, year=int(request.POST.get("year")),
                quarter=int(request.POST.get("quarter") or 0), value=value, note=request.POST.get("note", ""),
                evidence=services.Upload(upload.name, upload.read()) if upload else None, request=request)
        except (DomainError, InvalidOperation, ValueError, TypeError) as exc:
            messages.error(request, getattr(exc, "message", _("Giá trị không hợp lệ.")))
        else:
            messages.success(request, _("Đã ghi nhận giá trị."))
        return redirect("workspace:programme-target", pk=pk)
    today = _today()
    reading = targets.current(target, today=today, user=request.user)
    return render(request, "programme/target.html", {
        "target": target, "reading": reading, "met": targets.met(target, reading),
        "history": targets.history(target, today=today, user=request.user),
        "may_record": not target.live and policy.may_record_target(request.user, target),
        "values": target.values.all()})


@staff_required(Perm.WORKSPACE)
@require_GET
def province_report(request, fmt):
    _manager_only(request)
    try:
        year = int(request.GET.get("year", ""))
        quarter = int(request.GET.get("quarter", "0"))
        if not 0 <= quarter <= 4:
            raise ValueError
    except ValueError as exc:
        raise Http404(_("Kỳ báo cáo không hợp lệ.")) from exc
    data = documents.gather(user=request.user, year=year, quarter=quarter)
    audit_record(actor=request.user, action="programme.province_report", summary=f"{year}/{quarter}.{fmt}",
                 request=request)
    name = f"bao-cao-cchc-{year}-{'q' + str(quarter) if quarter else 'nam'}"
    if fmt == "docx":
        response = HttpResponse(documents.render_docx(data), content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    elif fmt == "pdf":
        response = HttpResponse(documents.render_pdf(data), content_type="application/pdf")
    else:
        raise Http404()
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    return response
