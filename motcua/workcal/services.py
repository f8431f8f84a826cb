"""The Django side of the calendar: build the WorkCalendar for an agency from overrides and office hours,
convert between stored UTC and local wall time, and record administrators' calendar changes."""
from datetime import date, datetime
from threading import Lock

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


def _overrides() -> tuple[tuple[date, str], ...]:
    """Every override as (date, kind): a small table, read whole so that the cache key is its content."""
    return tuple(CalendarOverride.objects.order_by("date").values_list("date", "kind"))


def _hours_for(agency) -> core.OfficeHours:
    """The agency's own hours, else its nearest ancestor's, else the default: one query over the path's ids."""
    if agency is None:
        return core.OfficeHours()
    ids = [int(part) for part in agency.path.split(".") if part] or [agency.pk]
    rows = {row.agency_id: row for row in OfficeHours.objects.filter(agency_id__in=ids)}
    for agency_id in reversed(ids):
        row = rows.get(agency_id)
        if row is not None:
            return core.OfficeHours(
                morning=(row.morning_start, row.morning_end), afternoon=(row.afternoon_start, row.afternoon_end)
            )
    return core.OfficeHours()


def calendar_for(agency=None) -> core.WorkCalendar:
    """The working-time calendar that applies to `agency` (province default when None), cached per process.

    The cache key is the override table's content, so a change made on any app server is seen by all.
    """
    hours = _hours_for(agency)
    overrides = _overrides()
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
