"""Every change to the programme: imports, name mappings, reports and target values, each in one transaction.

Report operations go through `_act`: lock with the expected version → policy → transition table → change → event
(with a snapshot: every version kept) → audit → outbox. Imports write all or nothing and record what changed.
"""
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua import clock
from motcua.audit.services import audit_record
from motcua.dossiers import files
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.programme import importer, periods, policy
from motcua.programme.models import (
    AgencyAlias,
    Contribution,
    Evidence,
    Programme,
    Report,
    ReportEvent,
    Section,
    Target,
    TargetValue,
    Task,
    TaskAgency,
    TaskChange,
    TaskRole,
)
from motcua.programme.workflow import Action, TaskStatus, target

PROGRAMME_CODE = "1908/QĐ-UBND"
PROGRAMME_TITLE = ("Chương trình hành động thực hiện Nghị quyết Hội nghị Tỉnh ủy lần thứ ba (khóa XXI) về đẩy mạnh "
                   "công tác cải cách hành chính trên địa bàn tỉnh giai đoạn 2016–2020")


@dataclass
class Upload:
    name: str
    content: bytes


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_manager(actor):
    if actor is not None and not policy.is_manager(actor):
        raise PermissionDenied(_("Chỉ Sở Nội vụ quản lý chương trình."))


def programme_ensure() -> Programme:
    programme, _created = Programme.objects.get_or_create(
        code=PROGRAMME_CODE,
        defaults={"title": PROGRAMME_TITLE, "decision": "Quyết định số 1908/QĐ-UBND ngày 02/6/2016 của UBND tỉnh",
                  "start_year": 2016, "end_year": 2020})
    return programme


# --- import --------------------------------------------------------------------------------------------------------


@transaction.atomic
def programme_import(*, plan: importer.Plan, actor, source: str = "", request=None) -> dict:
    """Write a plan without errors, all or nothing; returns the counts. Unchanged rows are not touched."""
    _require_manager(actor)
    if not plan.ok:
        raise InvalidInput(_("Tệp còn lỗi; chưa ghi gì."), detail={"errors": plan.errors})
    programme = programme_ensure()
    now = clock.now()
    if plan.kind == "targets":
        for number, row in enumerate(plan.rows, start=1):
            if row.outcome == "unchanged":
                continue
            Target.objects.update_or_create(programme=programme, number=number, defaults={
                "period": row.period, "start_year": row.start_year, "end_year": row.end_year,
                "indicator": row.indicator, "target_value": row.target_value, "unit": row.unit, "text": row.text,
                "key": row.key, "params": row.params})
    else:
        for row in plan.rows:
            if row.outcome == "unchanged":
                continue
            section, _c = Section.objects.get_or_create(programme=programme, year=row.year,
                                                        defaults={"label": f"Năm {row.year}"})
            fields = importer.task_fields(row)
            if row.changes and "due" not in row.changes:
                fields.pop("due")
            values = {k: v for k, v in fields.items() if k not in ("leads", "coordinators")}
            task = Task.objects.filter(section=section, number=row.number).first()
            created = task is None
            if created:
                task = Task(section=section, number=row.number)
            for name, value in values.items():
                setattr(task, name, value)
            task.version += 1
            task.save()
            task.agencies.all().delete()
            TaskAgency.objects.bulk_create(
                [TaskAgency(task=task, agency=a, role=TaskRole.LEAD, via=p[:300]) for a, p in row.leads]
                + [TaskAgency(task=task, agency=a, role=TaskRole.COORDINATOR, via=p[:300])
                   for a, p in row.coordinators if a.pk not in {x.pk for x, _p in row.leads}])
            TaskChange.objects.create(task=task, at=now, actor=_user(actor), source=source[:255], created=created,
                                      changes=fields if created else row.changes)
    counts = plan.counts()
    audit_record(actor=actor, action=f"programme.import_{plan.kind}", obj=programme, summary=source,
                 detail=counts, request=request)
    return counts


@transaction.atomic
def alias_map(*, name: str, actor, agency=None, group: str = "", request=None) -> AgencyAlias:
    """Remember that `name` means `agency` (or a group, or nobody) and re-match every task that wrote it."""
    _require_manager(actor)
    if agency is None and not group:
        raise InvalidInput(_("Hãy chọn cơ quan hoặc nhóm cơ quan."))
    from motcua.programme.matching import Matcher, norm

    alias, _c = AgencyAlias.objects.update_or_create(folded=norm(name), defaults={
        "name": name[:300], "agency": agency, "group": "" if agency else group, "mapped_by": _user(actor),
        "mapped_at": clock.now()})
    matcher = Matcher()
    for task in Task.objects.exclude(unmatched_names=[]).iterator():
        if name not in task.unmatched_names:
            continue
        leads, unmatched_lead, _i = matcher.match_all(task.lead_text)
        coordinators, unmatched_coord, _j = matcher.match_all(task.coordinating_text)
        task.agencies.all().delete()
        lead_ids = {a.pk for a, _p in leads}
        TaskAgency.objects.bulk_create(
            [TaskAgency(task=task, agency=a, role=TaskRole.LEAD, via=p[:300]) for a, p in leads]
            + [TaskAgency(task=task, agency=a, role=TaskRole.COORDINATOR, via=p[:300])
               for a, p in coordinators if a.pk not in lead_ids])
        before = task.unmatched_names
        task.unmatched_names = unmatched_lead + [n for n in unmatched_coord if n not in unmatched_lead]
        task.version += 1
        task.save()
        TaskChange.objects.create(task=task, at=clock.now(), actor=_user(actor), source=_("Ánh xạ tên cơ quan"),
                                  changes={"unmatched_names": [before, task.unmatched_names]})
    audit_record(actor=actor, action="programme.alias_map", obj=alias, summary=name,
                 detail={"agency": agency.code if agency else "", "group": group}, request=request)
    return alias


@transaction.atomic
def task_set_due(*, task: Task, due, actor, request=None) -> Task:
    """A person gives the due date of a task whose timeline could not be read; later imports keep it."""
    _require_manager(actor)
    if not task.unparsed:
        raise Conflict(_("Lộ trình của nhiệm vụ này đã được đọc; hãy sửa tệp và nhập lại."))
    task = Task.objects.select_for_update().get(pk=task.pk)
    before = task.due.isoformat() if task.due else None
    task.due = due
    task.version += 1
    task.save()
    TaskChange.objects.create(task=task, at=clock.now(), actor=_user(actor), source=_("Nhập ngày thủ công"),
                              changes={"due": [before, due.isoformat()]})
    audit_record(actor=actor, action="programme.task_set_due", obj=task, summary=task.ref,
                 detail={"due": due.isoformat()}, request=request)
    return task


# --- reports -------------------------------------------------------------------------------------------------------


def _snapshot(report: Report) -> dict:
    return {"status": report.status, "percent": report.percent, "done": report.done, "problems": report.problems,
            "proposals": report.proposals, "evidence": [e.original_name for e in report.evidence.all()]}


def _lock(report_id: int, expected_version: int | None) -> Report:
    report = Report.objects.select_for_update().select_related("task", "agency").filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("Không tìm thấy báo cáo."))
    if expected_version is not None and report.version != expected_version:
        raise Conflict(_("Báo cáo vừa được người khác thay đổi. Hãy tải lại trang."),
                       detail={"version": report.version})
    return report


def _act(report: Report, action: str, actor, *, agency=None, expected_version=None):
    """Lock, check the policy and the table; returns (locked report, from state, to state)."""
    locked = _lock(report.pk, expected_version) if report.pk else report
    to = target(locked.state, action)
    if to is None:
        raise Conflict(_('Không thể "%(action)s" khi báo cáo ở trạng thái "%(state)s".')
                       % {"action": Action(action).label, "state": locked.get_state_display()})
    reason = policy.why_not(actor, action, task=locked.task, agency=agency or locked.agency, report=locked)
    if reason:
        raise PermissionDenied(reason)
    return locked, locked.state, to


def _record(report: Report, *, actor, action: str, from_state: str, reason: str = "", request=None) -> ReportEvent:
    report.version += 1
    report.save()
    event = ReportEvent.objects.create(report=report, at=clock.now(), actor=_user(actor), action=action,
                                       from_state=from_state, to_state=report.state, version=report.version,
                                       reason=reason, snapshot=_snapshot(report))
    audit_record(actor=actor, action=f"programme.report_{action}", obj=report,
                 summary=f"{report.task.ref} {report.agency.code} {report.period_label}",
                 detail={"from": from_state, "to": report.state}, request=request)
    return event


def _open(task: Task, agency, year: int, quarter: int) -> Report:
    if (year, quarter) not in periods.periods(task):
        raise InvalidInput(_("Nhiệm vụ %(ref)s không có kỳ báo cáo %(p)s.")
                           % {"ref": task.ref, "p": f"{quarter}/{year}" if quarter else str(year)})
    report = Report.objects.filter(task=task, agency=agency, year=year, quarter=quarter).first()
    return report or Report(task=task, agency=agency, year=year, quarter=quarter,
                            due=periods.report_due(year, quarter, agency=agency))


def _validate(status: str, percent: int) -> None:
    if status not in TaskStatus.values or status == TaskStatus.NOT_REPORTED:
        raise InvalidInput(_("Tình hình thực hiện không hợp lệ."))
    if not 0 <= int(percent) <= 100:
        raise InvalidInput(_("Tỷ lệ hoàn thành phải từ 0 đến 100%."))


@transaction.atomic
def report_save(*, task: Task, agency, year: int, quarter: int, actor, status: str, percent: int = 0,
                done: str = "", problems: str = "", proposals: str = "", uploads: list[Upload] | None = None,
                expected_version=None, request=None) -> Report:
    """Create or edit the draft of `agency`'s report on `task` for the period, with evidence uploads."""
    report = _open(task, agency, year, quarter)
    report, frm, to = _act(report, Action.EDIT, actor, expected_version=expected_version)
    _validate(status, percent)
    report.status, report.percent = status, int(percent)
    report.done, report.problems, report.proposals = done.strip(), problems.strip(), proposals.strip()
    if not report.pk:
        report.save()
    _store_evidence(report, uploads or [], actor)
    return _finish(report, actor, Action.EDIT, frm, to, request)


def _store_evidence(report: Report, uploads: list[Upload], actor) -> None:
    if not uploads:
        return
    checked = [files.check_upload(name=u.name, content=u.content) for u in uploads]
    files.check_count(report.evidence.count(), len(checked))
    for good in checked:
        evidence = Evidence(report=report, original_name=good.name, content_type=good.content_type, size=good.size,
                            sha256=good.sha256, uploaded_at=clock.now(), uploaded_by=_user(actor))
        evidence.file.save(good.name, files.as_content_file(good), save=False)
        evidence.save()


def _finish(report, actor, action, frm, to, request, reason: str = "") -> Report:
    report.state = to
    _record(report, actor=actor, action=action, from_state=frm, reason=reason, request=request)
    return report


@transaction.atomic
def report_submit(*, report: Report, actor, expected_version=None, request=None) -> Report:
    report, frm, to = _act(report, Action.SUBMIT, actor, expected_version=expected_version)
    if not report.done.strip():
        raise InvalidInput(_("Hãy ghi kết quả thực hiện trước khi gửi báo cáo."))
    report.submitted_at, report.submitted_by = clock.now(), _user(actor)
    report.return_reason = ""
    report = _finish(report, actor, Action.SUBMIT, frm, to, request)
    from motcua.programme import reminders

    reminders.tell_managers(report)
    return report


@transaction.atomic
def report_accept(*, report: Report, actor, expected_version=None, request=None) -> Report:
    report, frm, to = _act(report, Action.ACCEPT, actor, expected_version=expected_version)
    report.decided_at = clock.now()
    report = _finish(report, actor, Action.ACCEPT, frm, to, request)
    task = Task.objects.select_for_update().get(pk=report.task_id)
    task.status, task.percent = report.status, report.percent
    task.version += 1
    task.save()
    return report


@transaction.atomic
def report_send_back(*, report: Report, actor, reason: str, expected_version=None, request=None) -> Report:
    report, frm, to = _act(report, Action.SEND_BACK, actor, expected_version=expected_version)
    if not (reason or "").strip():
        raise InvalidInput(_("Hãy ghi lý do trả lại báo cáo."))
    report.decided_at, report.return_reason = clock.now(), reason.strip()
    report = _finish(report, actor, Action.SEND_BACK, frm, to, request, reason=reason.strip())
    from motcua.programme import reminders

    reminders.tell_returned(report)
    return report


@transaction.atomic
def report_contribute(*, report: Report, agency, actor, text: str, request=None) -> Contribution:
    """A coordinating agency's contribution; the report's state never changes."""
    report, frm, _to = _act(report, Action.CONTRIBUTE, actor, agency=agency)
    if not (text or "").strip():
        raise InvalidInput(_("Nội dung phối hợp không được để trống."))
    contribution = Contribution.objects.create(report=report, agency=agency, text=text.strip(), at=clock.now(),
                                               actor=_user(actor))
    audit_record(actor=actor, action="programme.report_contribute", obj=report, summary=agency.code,
                 request=request)
    return contribution


# --- targets -------------------------------------------------------------------------------------------------------


@transaction.atomic
def target_value_record(*, target_obj: Target, actor, agency, year: int, quarter: int, value,
                        note: str = "", evidence: Upload | None = None, request=None) -> TargetValue:
    """A value for a reported (not live) target, entered by the responsible agency with its evidence."""
    if target_obj.live:
        raise Conflict(_("Chỉ tiêu này được đo tự động; không nhập tay."))
    if not policy.may_record_target(actor, target_obj):
        raise PermissionDenied(_("Bạn không báo cáo chỉ tiêu này."))
    if not 1 <= int(quarter) <= 4 and int(quarter) != 0:
        raise InvalidInput(_("Quý không hợp lệ."))
    row = TargetValue(target=target_obj, year=year, quarter=quarter, value=value, note=note.strip(), agency=agency,
                      at=clock.now(), actor=_user(actor))
    if evidence is not None:
        good = files.check_upload(name=evidence.name, content=evidence.content)
        row.evidence.save(good.name, files.as_content_file(good), save=False)
        row.evidence_name, row.evidence_sha256 = good.name, good.sha256
    row.save()
    audit_record(actor=actor, action="programme.target_value", obj=target_obj, summary=f"{year}/{quarter}",
                 detail={"value": str(value)}, request=request)
    return row

