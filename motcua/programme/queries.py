"""What the programme shows and to whom: tasks and reports visible to a user, the overview, the queues (ADR 0007).

Staff see the tasks their agencies lead or coordinate (`accounts.scoping` with `workspace.enter`) and the reports of
those agencies; Sở Nội vụ's programme managers see everything. The programme holds no personal data, so reads are
not audited one by one; downloads of the province report are (views).
"""
from datetime import date

from django.db.models import Prefetch, Q

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q
from motcua.errors import NotFound
from motcua.programme import periods as pr
from motcua.programme.models import Report, Task, TaskRole
from motcua.programme.policy import is_manager
from motcua.programme.workflow import ReportState, TaskStatus

SENT = (ReportState.SUBMITTED, ReportState.ACCEPTED)


def tasks_visible_to(user):
    base = Task.objects.select_related("section", "section__programme")
    if is_manager(user):
        return base
    return base.filter(agency_q(user, Perm.WORKSPACE, "agencies__agency")).distinct()


def task_get(user, pk: int) -> Task:
    task = tasks_visible_to(user).filter(pk=pk).prefetch_related("agencies__agency").first()
    if task is None:
        raise NotFound("Không tìm thấy nhiệm vụ.")
    return task


def reports_visible_to(user):
    base = Report.objects.select_related("task", "task__section", "agency")
    if is_manager(user):
        return base
    own = agency_q(user, Perm.WORKSPACE, "agency")
    coordinated = Q(task__in=Task.objects.filter(
        agency_q(user, Perm.WORKSPACE, "agencies__agency"), agencies__role=TaskRole.COORDINATOR))
    return base.filter(own | coordinated).distinct()


def report_get(user, pk: int) -> Report:
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise NotFound("Không tìm thấy báo cáo.")
    return report


def progress(task, today: date, sent_reports: list) -> str:
    """done / dropped / late / on_track / not_reported for the overview, from the task's sent reports."""
    latest = max(sent_reports, key=lambda r: (r.year, r.quarter or 5, r.submitted_at or r.due), default=None)
    if task.status in (TaskStatus.DONE, TaskStatus.DROPPED):
        return task.status
    if latest is not None and latest.status in (TaskStatus.DONE, TaskStatus.DROPPED):
        return latest.status
    if (task.due and task.due < today and not task.recurring) or (latest and latest.status == TaskStatus.LATE):
        return "late"
    return "on_track" if latest is not None else "not_reported"


PROGRESS_LABELS = {"done": "Đã hoàn thành", "on_track": "Đúng tiến độ", "late": "Chậm tiến độ",
                   "not_reported": "Chưa báo cáo", "dropped": "Không thực hiện"}


def overview(user, today: date) -> dict:
    """Tasks by section with their progress, and the counts per section for the chart."""
    sent = Prefetch("reports", queryset=Report.objects.filter(state__in=SENT), to_attr="sent")
    tasks = list(tasks_visible_to(user).prefetch_related(sent))
    sections: dict[int, dict] = {}
    for task in tasks:
        task.progress = progress(task, today, task.sent)
        section = sections.setdefault(task.section.year, {"year": task.section.year, "tasks": [],
                                                           "counts": dict.fromkeys(PROGRESS_LABELS, 0)})
        section["tasks"].append(task)
        section["counts"][task.progress] += 1
    total = dict.fromkeys(PROGRESS_LABELS, 0)
    for section in sections.values():
        for k, v in section["counts"].items():
            total[k] += v
    return {"sections": [sections[y] for y in sorted(sections)], "total": total, "count": len(tasks),
            "labels": PROGRESS_LABELS}


def expected(user, today: date, *, agency_ids=None, everyone: bool = False):
    """(task, agency, year, quarter, due, report or None) for every report the visible tasks expect.

    `everyone=True` is for the reminder job only (no user: every task)."""
    base = Task.objects.select_related("section") if everyone else tasks_visible_to(user)
    tasks = base.prefetch_related("agencies__agency", "reports")
    out = []
    for task in tasks:
        leads = [ta.agency for ta in task.agencies.all() if ta.role == TaskRole.LEAD]
        if agency_ids is not None:
            leads = [a for a in leads if a.pk in agency_ids]
        by_key = {(r.agency_id, r.year, r.quarter): r for r in task.reports.all()}
        finished = any(r.state == ReportState.ACCEPTED and r.status in (TaskStatus.DONE, TaskStatus.DROPPED)
                       for r in task.reports.all())
        for agency in leads:
            for year, quarter in pr.periods(task):
                due = pr.report_due(year, quarter, agency=agency)
                report = by_key.get((agency.pk, year, quarter))
                if finished and report is None:
                    continue
                out.append((task, agency, year, quarter, due, report))
    return out


def missing_reports(user, today: date, limit: int = 300) -> list:
    """The queue for Sở Nội vụ: reports past their due day that were not sent, most recent first."""
    rows = [row for row in expected(user, today) if row[4] < today and (row[5] is None or row[5].state not in SENT)]
    rows.sort(key=lambda r: r[4], reverse=True)
    return rows[:limit]


def overdue_tasks(user, today: date) -> list:
    return [t for t in overview(user, today)["sections"] for t in t["tasks"] if t.progress == "late"]


def my_tasks(user):
    """The tasks the user's agencies lead or coordinate, with the user's own agencies' reports."""
    return tasks_visible_to(user).prefetch_related("agencies__agency")
