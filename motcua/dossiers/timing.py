"""Deadlines of a dossier in working time, from `workcal` only: due times, cut-off, pauses, early/on time/late."""
import threading
import time
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Outcome
from motcua.errors import InvalidInput
from motcua.workcal.services import calendar_for, from_local, to_local

_memo = threading.local()
MEMO_SECONDS = 5.0


def reset() -> None:
    """Forget the calendars looked up so far in this thread (each dossier operation starts with this)."""
    _memo.cals = {}
    _memo.since = time.perf_counter()


def _calendar(agency):
    """`_calendar(agency)`, remembered for the rest of the operation (at most a few seconds) in this thread.

    One intake asks for the calendar about ten times; this keeps it to one lookup per agency.
    """
    cals = getattr(_memo, "cals", None)
    if cals is None or time.perf_counter() - _memo.since > MEMO_SECONDS:
        reset()
        cals = _memo.cals
    key = agency.pk if agency is not None else None
    cal = cals.get(key)
    if cal is None:
        cal = cals[key] = calendar_for(agency)
    return cal


def add_hours(start: datetime, hours, *, agency=None) -> datetime:
    """`start` plus `hours` working hours in `agency`'s calendar (0 hours: the moment itself, or next opening)."""
    cal = _calendar(agency)
    return from_local(cal.add_working_hours(to_local(start), Decimal(hours)))


def next_opening(moment: datetime, *, agency=None) -> datetime:
    return from_local(_calendar(agency).next_opening(to_local(moment)))


def handover_start(received_at: datetime, *, cutoff_hour: int, agency=None) -> datetime:
    """When the processing agency's clock starts for a dossier received at the desk.

    LEGAL.md "15:00 cut-off": passed on at once, or at the start of the next working day if received after 15:00.
    """
    cal = _calendar(agency)
    local = to_local(received_at)
    if cal.is_working_day(local.date()) and local.hour >= cutoff_hour:
        next_day = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return from_local(cal.next_opening(next_day))
    return from_local(cal.next_opening(local))


def limit_due(start: datetime, amount, unit: str, *, agency=None) -> datetime:
    """The due moment of a procedure's time limit counted from `start` (0 = the same-day rule)."""
    try:
        return from_local(_calendar(agency).due(to_local(start), amount, unit))
    except ValueError as exc:
        raise InvalidInput(
            _("Không tính được thời hạn: thời điểm phải trong các năm có lịch làm việc và thời hạn không âm."),
            detail=str(exc),
        )


def working_between(a: datetime, b: datetime, *, agency=None) -> timedelta:
    cal = _calendar(agency)
    return cal.working_time_between(to_local(a), to_local(b))


def shift_for_pause(due: datetime | None, paused_at: datetime, resumed_at: datetime, *, agency=None):
    """A due time after a pause: the working time that remained when the clock stopped resumes now.

    A due time that had already passed when the clock stopped does not move (a pause never undoes lateness).
    """
    if due is None or due <= paused_at:
        return due
    remaining = working_between(paused_at, due, agency=agency)
    hours = Decimal(int(remaining.total_seconds())) / 3600
    return from_local(_calendar(agency).add_working_hours(to_local(resumed_at), hours))


def classify(finished_at: datetime, due: datetime) -> str:
    """Early / on time / late (LEGAL "trước hạn / đúng hạn / quá hạn").

    Late: finished after the due moment. Early: finished on a working day before the due date. On time: on the
    due date, by the due moment.
    """
    if finished_at > due:
        return Outcome.LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(due).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


def due_soon_threshold(now: datetime, *, agency=None) -> datetime:
    """Anything due before this moment is due within one working day (8 working hours) of `now`."""
    return add_hours(now, 8, agency=agency)
