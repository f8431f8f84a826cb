"""The Django side of the calendar: build the WorkCalendar for an agency from overrides and office hours,
convert between stored UTC and local wall time, and record administrators' calendar changes."""
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.audit.services import audit_record
from motcua.errors import Conflict, InvalidInput, PermissionDenied
from motcua.workcal import core
from motcua.workcal.models import CalendarOverride, OfficeHours, OverrideKind

_cache: dict[tuple, core.WorkCalendar] = {}
_lock = Lock()

# The override and office-hour tables are small and change a few times a year; every deadline needs them.
# Each process keeps a snapshot of both, dropped when (a) this process changes a row (signals, below), (b) the
# change stamp in Django's cache moves (set by any process on a change: with CACHE_URL pointing at Redis, as in
# production, all app servers see it at once), or (c) it is older than WORKCAL_TABLES_SECONDS (default 60), as a
# backstop for changes that bypass both (a database restore, a cache without a shared backend).
STAMP_KEY = "motcua:workcal:stamp"


@dataclass(frozen=True)
class _Tables:
    stamp: object
    loaded: float
    overrides: tuple[tuple[date, str], ...]
    hours: dict[int, core.OfficeHours]


_tables: _Tables | None = None


def _load_tables(stamp) -> _Tables:
    overrides = tuple(CalendarOverride.objects.order_by("date").values_list("date", "kind"))
    hours = {
        row.agency_id: core.OfficeHours(
            morning=(row.morning_start, row.morning_end), afternoon=(row.afternoon_start, row.afternoon_end)
        )
        for row in OfficeHours.objects.all()
    }
    return _Tables(stamp=stamp, loaded=time.monotonic(), overrides=overrides, hours=hours)


def _current_tables() -> _Tables:
    global _tables
    stamp = cache.get(STAMP_KEY)
    tables = _tables
    max_age = getattr(settings, "WORKCAL_TABLES_SECONDS", 60)
    if tables is None or tables.stamp != stamp or time.monotonic() - tables.loaded > max_age:
        tables = _tables = _load_tables(stamp)
    return tables


def forget_tables() -> None:
    """Drop this process's snapshot (tests call it between tests, whose rolled-back rows the stamp never saw)."""
    global _tables
    _tables = None


def tables_changed(**_kwargs) -> None:
    """Forget the snapshot here and tell the other processes (connected to the tables' save and delete signals)."""
    global _tables
    _tables = None
    cache.set(STAMP_KEY, uuid.uuid4().hex, None)
    if transaction.get_connection().in_atomic_block:
        # Another process may have reloaded between the write and the commit: move the stamp again after it.
        transaction.on_commit(lambda: cache.set(STAMP_KEY, uuid.uuid4().hex, None))


def _hours_for(agency, tables: _Tables) -> core.OfficeHours:
    """The agency's own hours, else its nearest ancestor's (by the ids in its path), else the default."""
    if agency is None:
        return core.OfficeHours()
    ids = [int(part) for part in agency.path.split(".") if part] or [agency.pk]
    for agency_id in reversed(ids):
        hours = tables.hours.get(agency_id)
        if hours is not None:
            return hours
    return core.OfficeHours()


def calendar_for(agency=None) -> core.WorkCalendar:
    """The working-time calendar that applies to `agency` (province default when None), cached per process.

    The calendars are cached by content (hours, overrides); the tables they are built from are read through the
    snapshot above, so a deadline costs no query while nothing changed.
    """
    tables = _current_tables()
    hours = _hours_for(agency, tables)
    overrides = tables.overrides
    key = (hours, overrides)
    cal = _cache.get(key)
    if cal is None:
        with _lock:
            cal = _cache.get(key)
            if cal is None:
                cal = core.WorkCalendar.vietnam(
                    hours=hours,
                    days_off=[d for d, k in overrides if k == OverrideKind.DAY_OFF],
                    working_days=[d for d, k in overrides if k == OverrideKind.WORKING_DAY],
                )
                if len(_cache) > 32:
                    _cache.clear()
                _cache[key] = cal
    return cal


def to_local(moment: datetime) -> datetime:
    """An aware moment as naive local wall time (Asia/Ho_Chi_Minh), the core's currency."""
    if timezone.is_naive(moment):
        return moment
    return timezone.localtime(moment).replace(tzinfo=None)


def from_local(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def due_at(start: datetime, amount, unit: str, *, agency=None) -> datetime:
    """The due moment for a time limit of `amount` `unit` counted from `start` (0 = the same-day rule)."""
    cal = calendar_for(agency)
    try:
        return from_local(cal.due(to_local(start), amount, unit))
    except ValueError as exc:
        # The core's message is for developers (English); people get ours, the core's goes in `detail`.
        raise InvalidInput(
            _("Không tính được thời hạn: thời điểm phải trong các năm có lịch làm việc và thời hạn không âm."),
            detail=str(exc),
        )


def working_time_between(a: datetime, b: datetime, *, pauses=(), agency=None):
    """Working time from `a` to `b` minus the pauses; a pause still running has end None (runs until `b`)."""
    cal = calendar_for(agency)
    local_pauses = [(to_local(p), to_local(q) if q is not None else None) for p, q in pauses]
    return cal.working_time_between(to_local(a), to_local(b), local_pauses)


def _require(actor) -> None:
    if actor is not None and not user_can(actor, Perm.CALENDAR_MANAGE):
        raise PermissionDenied(_("Bạn không có quyền điều chỉnh lịch làm việc."))


@transaction.atomic
def override_add(*, day: date, kind: str, reason: str, actor) -> CalendarOverride:
    """Record a state decision for one day (extra day off, or a weekend day made a working day)."""
    _require(actor)
    if kind not in OverrideKind.values:
        raise InvalidInput(_("Loại điều chỉnh không hợp lệ: %(kind)s.") % {"kind": kind})
    if not reason.strip():
        raise InvalidInput(_("Hãy ghi căn cứ hoặc lý do điều chỉnh (ví dụ số thông báo của Bộ Nội vụ)."))
    if CalendarOverride.objects.filter(date=day).exists():
        raise Conflict(
            _("Ngày %(day)s đã có điều chỉnh; hãy xoá điều chỉnh cũ trước.") % {"day": f"{day:%d/%m/%Y}"}
        )
    row = CalendarOverride.objects.create(date=day, kind=kind, reason=reason.strip())
    audit_record(actor=actor, action="calendar.override_add", obj=row, detail={"date": day.isoformat(), "kind": kind})
    return row


@transaction.atomic
def override_remove(*, override: CalendarOverride, actor) -> None:
    _require(actor)
    audit_record(actor=actor, action="calendar.override_remove", obj=override,
                 detail={"date": override.date.isoformat(), "kind": override.kind})
    override.delete()


@transaction.atomic
def office_hours_set(*, agency, morning, afternoon, actor) -> OfficeHours:
    """Give an agency its own office hours: two (start, end) sessions, morning before afternoon."""
    if actor is not None and not user_can(actor, Perm.CALENDAR_MANAGE, agency):
        raise PermissionDenied(_("Bạn không có quyền đặt giờ làm việc cho đơn vị này."))
    (m1, m2), (a1, a2) = morning, afternoon
    if not (m1 < m2 <= a1 < a2):
        raise InvalidInput(_("Giờ làm việc không hợp lệ: buổi sáng phải kết thúc trước buổi chiều."))
    row, _created = OfficeHours.objects.update_or_create(
        agency=agency,
        defaults={"morning_start": m1, "morning_end": m2, "afternoon_start": a1, "afternoon_end": a2},
    )
    audit_record(actor=actor, action="calendar.office_hours", obj=agency, detail={"hours": str(row)})
    return row
