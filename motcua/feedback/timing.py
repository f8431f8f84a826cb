"""A feedback item's deadlines in working time, from `workcal` only (LEGAL.md "Feedback and petitions").

Refuse within 2 working days of receipt; ask for more information within 5; a body that is not competent forwards
within 5 (Decree 20/2008/NĐ-CP art. 12); handle within 15 from receipt or transfer; publish within 2 of the answer.
The sender has FEEDBACK_INFO_WAIT_DAYS working days (default 10) to send what was asked, and the handling clock
is paused meanwhile.
"""
from datetime import datetime, timedelta
from fractions import Fraction

from django.conf import settings

from motcua.workcal.services import calendar_for, due_at, from_local, to_local

REFUSE_DAYS = 2
INFO_DAYS = 5
FORWARD_DAYS = 5
HANDLE_DAYS = 15
PUBLISH_DAYS = 2


def info_wait_days() -> int:
    return getattr(settings, "FEEDBACK_INFO_WAIT_DAYS", 10)


def working_days(start: datetime, days: int) -> datetime:
    return due_at(start, days, "working_days")


def shift(moment: datetime | None, paused: timedelta) -> datetime | None:
    """`moment` pushed later by `paused` of working time (the pause does not count)."""
    if moment is None or not paused:
        return moment
    cal = calendar_for(None)
    return from_local(cal.add_working_hours(to_local(moment), Fraction(int(paused.total_seconds()), 3600)))


def paused_time(since: datetime, until: datetime) -> timedelta:
    return calendar_for(None).working_time_between(to_local(since), to_local(until))


def due_soon_threshold(now: datetime) -> datetime:
    """One working day from now: what is due before it is "due soon"."""
    return working_days(now, 1)
