"""Reminders through the outbox: before a report is due, to the agency's leader when it is late, and to Sở Nội vụ.

Run hourly (Celery beat `programme.remind-reports`, or the in-process scheduler). Each message is queued once
(dedupe key per period and person). Late reminders go out for reports due within the last LATE_WINDOW_DAYS; older
gaps stay in Sở Nội vụ's queue of missing reports rather than flooding mailboxes.
"""
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.models import User
from motcua.accounts.roles import ROLE_PERMS, Perm, Role
from motcua.workcal.services import to_local

LATE_WINDOW_DAYS = 30
_quiet = threading.local()


@contextmanager
def quiet():
    """Within the block nothing is queued (demo history: reports of 2016–2017 tell nobody today)."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def _holders(agency, perm: str) -> list[User]:
    roles = [role for role, perms in ROLE_PERMS.items() if perm in perms and role != Role.ADMIN]
    return list(User.objects.filter(is_active=True, grants__agency=agency, grants__role__in=roles).distinct())


def _managers() -> list[User]:
    from motcua.programme.policy import province

    root = province()
    roles = [role for role, perms in ROLE_PERMS.items() if Perm.PROGRAMME_MANAGE in perms and role != Role.ADMIN]
    return list(User.objects.filter(is_active=True, grants__agency=root, grants__role__in=roles).distinct())


def _send(user, *, subject: str, body: str, kind: str, key: str, object_id) -> int:
    from motcua.notifications.services import notification_enqueue

    if not user.email or getattr(_quiet, "on", False):
        return 0
    return notification_enqueue(channel="email", recipient=user.email, subject=subject, body=body, kind=kind,
                                object_type="programme.task", object_id=str(object_id),
                                dedupe_key=f"{key}:{user.pk}"[:120]) is not None


@transaction.atomic
def remind_reports(*, now=None) -> int:
    """Queue the due-soon and late reminders; returns how many messages were queued."""
    from motcua.programme.queries import SENT, expected

    today = to_local(now or clock.now()).date()
    before = timedelta(days=getattr(settings, "PROGRAMME_REMIND_DAYS_BEFORE", 7))
    queued = 0
    for task, agency, year, quarter, due, report in expected(None, today, agency_ids=None, everyone=True):
        if report is not None and report.state in SENT:
            continue
        period = f"Quý {quarter}/{year}" if quarter else f"Năm {year}"
        if today <= due <= today + before:
            for user in _holders(agency, Perm.PROGRAMME_REPORT):
                queued += _send(user, kind="programme.report_due_soon",
                                subject=_("Sắp đến hạn báo cáo nhiệm vụ %(ref)s") % {"ref": task.ref},
                                body=_("Báo cáo %(period)s về nhiệm vụ %(ref)s của %(agency)s đến hạn ngày %(due)s.")
                                % {"period": period, "ref": task.ref, "agency": agency.name,
                                   "due": due.strftime("%d/%m/%Y")},
                                key=f"prog-due:{task.pk}:{agency.pk}:{year}:{quarter}", object_id=task.pk)
        elif today - timedelta(days=LATE_WINDOW_DAYS) <= due < today:
            for user in _holders(agency, Perm.PROGRAMME_SUBMIT):
                queued += _send(user, kind="programme.report_late",
                                subject=_("Quá hạn báo cáo nhiệm vụ %(ref)s") % {"ref": task.ref},
                                body=_("Báo cáo %(period)s về nhiệm vụ %(ref)s của %(agency)s đã quá hạn ngày "
                                       "%(due)s và chưa được gửi Sở Nội vụ.")
                                % {"period": period, "ref": task.ref, "agency": agency.name,
                                   "due": due.strftime("%d/%m/%Y")},
                                key=f"prog-late:{task.pk}:{agency.pk}:{year}:{quarter}", object_id=task.pk)
    return queued


def tell_managers(report) -> None:
    for user in _managers():
        _send(user, kind="programme.report_submitted",
              subject=_("Báo cáo nhiệm vụ %(ref)s đã được gửi") % {"ref": report.task.ref},
              body=_("%(agency)s đã gửi báo cáo %(period)s về nhiệm vụ %(ref)s.")
              % {"agency": report.agency.name, "period": report.period_label, "ref": report.task.ref},
              key=f"prog-sub:{report.pk}:{report.version}", object_id=report.task_id)


def tell_returned(report) -> None:
    for user in _holders(report.agency, Perm.PROGRAMME_REPORT):
        _send(user, kind="programme.report_returned",
              subject=_("Báo cáo nhiệm vụ %(ref)s bị trả lại") % {"ref": report.task.ref},
              body=_("Sở Nội vụ trả lại báo cáo %(period)s: %(reason)s")
              % {"period": report.period_label, "reason": report.return_reason},
              key=f"prog-ret:{report.pk}:{report.version}", object_id=report.task_id)
