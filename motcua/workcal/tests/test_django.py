"""The Django side of the calendar: the `due` command, administrators' overrides, agencies' own hours."""
from datetime import date, datetime, time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.errors import Conflict, InvalidInput, PermissionDenied
from motcua.workcal.services import due_at, office_hours_set, override_add, override_remove


def run_due(*args) -> str:
    out = StringIO()
    call_command("due", *args, stdout=out)
    return out.getvalue().strip()


def test_due_command_prints_the_example_of_the_issue(db):
    assert run_due("--from", "2026-11-27 15:00", "--days", "3") == "2026-12-02T15:00"


def test_due_command_other_units(db):
    # Friday 15:00–17:00 gives 2 hours, Monday 07:30–09:30 the other 2.
    assert run_due("--from", "2026-11-27 15:00", "--hours", "4") == "2026-11-30T09:30"
    # 10 calendar days from Fri 20/11/2026 is Mon 30/11 (a working day).
    assert run_due("--from", "2026-11-20 09:00", "--calendar-days", "10") == "2026-11-30T09:00"


def test_due_command_uses_an_agencys_own_hours(org):
    office_hours_set(agency=org["000.00.21.H47"], morning=(time(7, 0), time(11, 30)),
                     afternoon=(time(13, 30), time(17, 0)), actor=None)
    # 07:00 + 4.5 working hours ends at the close of the morning in Tam Kỳ (07:00–11:30), not 12:00.
    assert run_due("--from", "2026-11-26 07:00", "--hours", "4.5", "--agency", "000.00.21.H47") == "2026-11-26T11:30"
    # Its communes inherit the hours.
    assert run_due("--from", "2026-11-26 07:00", "--hours", "4.5", "--agency", "01.00.21.H47") == "2026-11-26T11:30"


def test_due_command_rejects_bad_input(db):
    with pytest.raises(CommandError):
        run_due("--from", "27/11/2026", "--days", "3")
    with pytest.raises(CommandError):
        run_due("--from", "2026-11-27 15:00", "--days", "-1")
    with pytest.raises(CommandError):
        run_due("--from", "2026-11-27 15:00", "--days", "1", "--agency", "NO.SUCH")


def test_an_override_day_off_moves_due_times_at_once(org, make_user):
    admin = make_user(Role.ADMIN, org["000.00.00.H47"])
    start = timezone.make_aware(datetime(2026, 11, 27, 15, 0))
    before = due_at(start, 3, "working_days")
    row = override_add(day=date(2026, 11, 30), kind="day_off", reason="Thông báo của UBND tỉnh", actor=admin)
    after = due_at(start, 3, "working_days")
    assert timezone.localtime(before).date() == date(2026, 12, 2)
    assert timezone.localtime(after).date() == date(2026, 12, 3)
    override_remove(override=row, actor=admin)
    assert due_at(start, 3, "working_days") == before


def test_a_saturday_made_a_working_day_counts(org):
    override_add(day=date(2026, 11, 28), kind="working_day", reason="Làm bù", actor=None)
    start = timezone.make_aware(datetime(2026, 11, 27, 9, 0))
    assert timezone.localtime(due_at(start, 1, "working_days")) == timezone.localtime(
        timezone.make_aware(datetime(2026, 11, 28, 9, 0)))


def test_override_rules(org, make_user):
    override_add(day=date(2026, 12, 1), kind="day_off", reason="Nghỉ", actor=None)
    with pytest.raises(Conflict):
        override_add(day=date(2026, 12, 1), kind="working_day", reason="Làm bù", actor=None)
    with pytest.raises(InvalidInput):
        override_add(day=date(2026, 12, 2), kind="day_off", reason="  ", actor=None)
    with pytest.raises(PermissionDenied):
        override_add(day=date(2026, 12, 3), kind="day_off", reason="x",
                     actor=make_user(Role.LEADER, org["000.00.05.H47"]))


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen_at_once_through_the_shared_stamp(monkeypatch):
    """The snapshot of the tables is reused until the stamp in the cache moves (another app server's change)."""
    from django.core.cache import cache

    from motcua.workcal import services
    from motcua.workcal.models import CalendarOverride

    friday = date(2027, 3, 5)
    first = services.calendar_for(None)
    assert first.is_working_day(friday)
    # Written around the signals, as a process that is not this one would: the snapshot does not know yet.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=friday, kind="day_off", reason="QĐ thử")])
    assert services.calendar_for(None).is_working_day(friday)
    cache.set(services.STAMP_KEY, "moved-by-another-server", None)
    assert not services.calendar_for(None).is_working_day(friday)


@pytest.mark.django_db
def test_the_snapshot_is_read_again_when_older_than_the_setting(settings, monkeypatch):
    from motcua.workcal import services
    from motcua.workcal.models import CalendarOverride

    friday = date(2027, 3, 5)
    settings.WORKCAL_TABLES_SECONDS = 60
    assert services.calendar_for(None).is_working_day(friday)
    CalendarOverride.objects.bulk_create([CalendarOverride(date=friday, kind="day_off", reason="QĐ thử")])
    now = services.time.monotonic()
    monkeypatch.setattr(services.time, "monotonic", lambda: now + 61)
    assert not services.calendar_for(None).is_working_day(friday)


@pytest.mark.django_db
def test_no_query_for_the_calendar_while_nothing_changed(django_assert_num_queries, org):
    from motcua.workcal import services

    services.calendar_for(org["000.00.40.H47"])
    with django_assert_num_queries(0):
        services.calendar_for(org["000.00.40.H47"])
        services.calendar_for(org["000.00.21.H47"])
