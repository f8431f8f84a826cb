"""Table tests of the working-time calendar core (no Django needed).

Dates are chosen around real 2026 rules: Tết 16–20/02, Hùng Kings 26/4 (Sunday, so Monday 27/4 off), 30/4–1/5,
the 2/9 holiday with its swap (Monday 31/8 off, Saturday 22/8 worked), 24/11 from the `holidays` package.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from motcua.workcal.core import OfficeHours, Unit, WorkCalendar

VN = WorkCalendar.vietnam()
D = datetime  # short for the tables
WTB = VN.working_time_between


# -- which days work -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 4), True),  # an ordinary Wednesday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 1, 1), False),  # New Year
        *((date(2026, 2, d), False) for d in range(16, 21)),  # Tết 2026
        (date(2026, 2, 23), True),  # back to work after Tết
        (date(2026, 4, 27), False),  # Hùng Kings (26/4 is a Sunday), observed Monday
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 22), True),  # the make-up Saturday of the 2026 swap
        (date(2026, 8, 31), False),  # ... for Monday 31/8
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 11, 24), False),  # Vietnamese Culture Day, as the `holidays` package lists it
        (date(2019, 1, 5), True),  # make-up Saturday for 31/12/2018
        (date(2018, 12, 31), False),
    ],
)
def test_working_days_follow_the_vietnamese_calendar(day, working):
    assert VN.is_working_day(day) is working


def test_an_override_day_off_is_not_worked_and_shifts_deadlines():
    cal = WorkCalendar.vietnam(days_off=[date(2026, 3, 5)])
    assert not cal.is_working_day(date(2026, 3, 5))
    assert cal.add(D(2026, 3, 4, 9), 1) == D(2026, 3, 6, 9)


def test_an_override_working_saturday_is_worked():
    cal = WorkCalendar.vietnam(working_days=[date(2026, 3, 7)])
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.add(D(2026, 3, 6, 9), 1) == D(2026, 3, 7, 9)


def test_an_override_wins_over_the_package():
    cal = WorkCalendar.vietnam(working_days=[date(2026, 11, 24)], days_off=[date(2026, 8, 22)])
    assert cal.is_working_day(date(2026, 11, 24))
    assert not cal.is_working_day(date(2026, 8, 22))


def test_overrides_accept_datetimes_as_days():
    cal = WorkCalendar.vietnam(days_off=[D(2026, 3, 5, 0, 0)])
    assert not cal.is_working_day(date(2026, 3, 5))


def test_plain_calendar_has_only_weekends_and_the_given_holidays():
    cal = WorkCalendar(holidays=[date(2026, 3, 4)], extra_working_days=[date(2026, 3, 7)])
    assert not cal.is_working_day(date(2026, 3, 4))
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.is_working_day(date(2026, 1, 1))  # no public holidays unless given


# -- where the clock starts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (D(2026, 3, 4, 7, 0), D(2026, 3, 4, 7, 30)),  # before opening
        (D(2026, 3, 4, 7, 30), D(2026, 3, 4, 7, 30)),  # at opening
        (D(2026, 3, 4, 9, 15, 42), D(2026, 3, 4, 9, 15, 42)),  # inside: itself
        (D(2026, 3, 4, 11, 30), D(2026, 3, 4, 13, 0)),  # end of the morning: lunch
        (D(2026, 3, 4, 12, 10), D(2026, 3, 4, 13, 0)),  # lunch
        (D(2026, 3, 4, 16, 59), D(2026, 3, 4, 16, 59)),
        (D(2026, 3, 4, 17, 0), D(2026, 3, 5, 7, 30)),  # the close: next morning
        (D(2026, 3, 6, 20, 0), D(2026, 3, 9, 7, 30)),  # Friday evening: Monday
        (D(2026, 3, 7, 10, 0), D(2026, 3, 9, 7, 30)),  # Saturday
        (D(2026, 2, 13, 17, 30), D(2026, 2, 23, 7, 30)),  # eve of Tết: after the holiday
    ],
)
def test_next_opening(moment, opening):
    assert VN.next_opening(moment) == opening


# -- working days and hours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "due"),
    [
        # LEGAL.md: N working days = N × 8 working hours from the start.
        (D(2026, 11, 27, 15, 0), 3, D(2026, 12, 2, 15, 0)),  # the brief's example, Friday to Wednesday
        (D(2026, 3, 4, 9, 0), 1, D(2026, 3, 5, 9, 0)),
        (D(2026, 3, 4, 7, 30), 1, D(2026, 3, 4, 17, 0)),  # ends exactly at the close: that close
        (D(2026, 3, 4, 7, 30), 0.5, D(2026, 3, 4, 11, 30)),  # ends exactly at the end of the morning
        (D(2026, 3, 4, 17, 0), 1, D(2026, 3, 5, 17, 0)),  # starts at the close: from the next opening
        (D(2026, 3, 4, 12, 0), 1, D(2026, 3, 5, 11, 30)),  # lunch: from 13:00
        (D(2026, 3, 4, 11, 30), 1, D(2026, 3, 5, 11, 30)),  # end of the morning: from 13:00
        (D(2026, 3, 4, 18, 0), 1, D(2026, 3, 5, 17, 0)),  # evening: from the next morning
        (D(2026, 3, 4, 6, 0), 1, D(2026, 3, 4, 17, 0)),  # before opening: from 07:30
        (D(2026, 3, 7, 10, 0), 1, D(2026, 3, 9, 17, 0)),  # Saturday: from Monday 07:30
        (D(2026, 3, 8, 10, 0), 2, D(2026, 3, 10, 17, 0)),  # Sunday
        (D(2026, 3, 4, 8, 0, 37), 1, D(2026, 3, 5, 8, 0, 37)),  # seconds are kept
        # Half days (LEGAL.md "Half days"): morning → same afternoon, afternoon → next morning.
        (D(2026, 3, 4, 8, 0), 0.5, D(2026, 3, 4, 13, 30)),
        (D(2026, 3, 4, 9, 30), Decimal("0.5"), D(2026, 3, 4, 15, 0)),
        (D(2026, 3, 4, 13, 0), "0.5", D(2026, 3, 4, 17, 0)),
        (D(2026, 3, 4, 14, 0), 0.5, D(2026, 3, 5, 8, 30)),
        (D(2026, 3, 6, 15, 0), 0.5, D(2026, 3, 9, 9, 30)),  # Friday afternoon → Monday morning
        (D(2026, 3, 4, 9, 0), Decimal("2.5"), D(2026, 3, 6, 14, 30)),
        (D(2026, 3, 4, 9, 0), Fraction(1, 3), D(2026, 3, 4, 13, 10)),  # 160 minutes
        # Holidays.
        (D(2026, 2, 13, 10, 0), 1, D(2026, 2, 23, 10, 0)),  # Friday before Tết → Monday after
        (D(2026, 2, 18, 10, 0), 1, D(2026, 2, 23, 17, 0)),  # received during Tết (online)
        (D(2026, 4, 24, 9, 0), 2, D(2026, 4, 29, 9, 0)),  # over Hùng Kings (Monday 27/4)
        (D(2026, 4, 29, 9, 0), 1, D(2026, 5, 4, 9, 0)),  # over 30/4–1/5
        (D(2026, 8, 21, 9, 0), 1, D(2026, 8, 22, 9, 0)),  # onto the make-up Saturday
        (D(2026, 8, 28, 9, 0), 1, D(2026, 9, 3, 9, 0)),  # over 31/8 (swapped), 1/9 and 2/9
        (D(2026, 11, 23, 9, 0), 1, D(2026, 11, 25, 9, 0)),  # over 24/11
        (D(2026, 12, 31, 9, 0), 1, D(2027, 1, 4, 9, 0)),  # over New Year and a weekend
        (D(2026, 3, 4, 9, 0), 60, D(2026, 6, 1, 9, 0)),  # 19 in March, 20 in April, 20 in May, then 1/6
    ],
)
def test_adding_working_days(start, amount, due):
    assert VN.add(start, amount) == due
    assert VN.add(start, amount, Unit.WORKING_DAYS) == due
    assert VN.add(start, amount, "working_days") == due


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (D(2026, 3, 4, 9, 0), 2, D(2026, 3, 4, 11, 0)),
        (D(2026, 3, 4, 10, 30), 1, D(2026, 3, 4, 11, 30)),
        (D(2026, 3, 4, 10, 30), 2, D(2026, 3, 4, 14, 0)),
        (D(2026, 3, 6, 16, 0), 2, D(2026, 3, 9, 8, 30)),  # over the weekend
        (D(2026, 3, 4, 9, 0), 16, D(2026, 3, 6, 9, 0)),
        (D(2026, 3, 4, 9, 0), 0.25, D(2026, 3, 4, 9, 15)),
        (D(2026, 3, 4, 9, 0), Decimal("0.0083"), D(2026, 3, 4, 9, 0, 0) + timedelta(minutes=0)),  # 0.498 min
        (D(2026, 3, 4, 9, 0), Decimal("0.00834"), D(2026, 3, 4, 9, 1)),  # 0.5004 min: rounds half up
    ],
)
def test_adding_working_hours(start, hours, due):
    assert VN.add(start, hours, "working_hours") == due
    assert VN.add_working_hours(start, hours) == due


def test_adding_nothing_starts_the_clock():
    assert VN.add(D(2026, 3, 4, 12, 0), 0) == D(2026, 3, 4, 13, 0)
    assert VN.add(D(2026, 3, 4, 9, 0), 0, "working_hours") == D(2026, 3, 4, 9, 0)


# -- calendar days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 3, 2, 9, 0), 4, D(2026, 3, 6, 9, 0)),  # Monday + 4 = Friday
        (D(2026, 3, 2, 9, 0), 5, D(2026, 3, 9, 9, 0)),  # ends on Saturday: Monday
        (D(2026, 3, 2, 9, 0), 6, D(2026, 3, 9, 9, 0)),  # ends on Sunday: Monday
        (D(2026, 4, 20, 10, 0), 10, D(2026, 5, 4, 10, 0)),  # ends on 30/4: after 1/5 and the weekend
        (D(2026, 2, 6, 9, 0), 10, D(2026, 2, 23, 9, 0)),  # ends in Tết
        (D(2026, 8, 12, 9, 0), 10, D(2026, 8, 22, 9, 0)),  # ends on the make-up Saturday: a working day
        (D(2026, 3, 7, 10, 0), 2, D(2026, 3, 11, 7, 30)),  # starts on Saturday: from Monday's opening
        (D(2026, 3, 4, 12, 0), 1, D(2026, 3, 5, 13, 0)),  # starts over lunch: from 13:00
        (D(2026, 3, 4, 14, 0), 0.5, D(2026, 3, 5, 7, 30)),  # lands at 02:00: the next opening
        (D(2026, 3, 4, 16, 0), 1.25, D(2026, 3, 5, 17, 0)),  # lands at 22:00: that day's close
        (D(2026, 3, 6, 16, 0), 0.5, D(2026, 3, 9, 7, 30)),  # lands on Saturday 04:00: Monday's opening
        (D(2026, 3, 4, 9, 0), Decimal("30"), D(2026, 4, 3, 9, 0)),
    ],
)
def test_adding_calendar_days(start, days, due):
    assert VN.add(start, days, "calendar_days") == due
    assert VN.add_calendar_days(start, days) == due
    assert VN.due(start, days, Unit.CALENDAR_DAYS) == due


# -- the same-day rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 3, 4, 9, 0), D(2026, 3, 4, 11, 30)),  # morning → end of the morning
        (D(2026, 3, 4, 7, 0), D(2026, 3, 4, 11, 30)),  # before opening → end of the morning
        (D(2026, 3, 4, 11, 29), D(2026, 3, 4, 11, 30)),
        (D(2026, 3, 4, 11, 30), D(2026, 3, 4, 17, 0)),  # lunch → end of the afternoon
        (D(2026, 3, 4, 12, 0), D(2026, 3, 4, 17, 0)),
        (D(2026, 3, 4, 14, 59), D(2026, 3, 4, 17, 0)),  # afternoon before 15:00
        (D(2026, 3, 4, 15, 0), D(2026, 3, 5, 17, 0)),  # 15:00 cut-off → the next working day
        (D(2026, 3, 4, 16, 30), D(2026, 3, 5, 17, 0)),
        (D(2026, 3, 6, 15, 30), D(2026, 3, 9, 17, 0)),  # Friday after 15:00 → Monday
        (D(2026, 3, 4, 18, 0), D(2026, 3, 5, 11, 30)),  # after the close: as if at the next opening
        (D(2026, 3, 7, 10, 0), D(2026, 3, 9, 11, 30)),  # Saturday: as if at Monday's opening
        (D(2026, 2, 17, 9, 0), D(2026, 2, 23, 11, 30)),  # Tết
        (D(2026, 8, 21, 15, 0), D(2026, 8, 22, 17, 0)),  # the next working day is the make-up Saturday
    ],
)
def test_same_day_rule(received, due):
    assert VN.same_day_due(received) == due
    assert VN.due(received, 0, "working_days") == due


@pytest.mark.parametrize("zero", [0, 0.0, Decimal("0"), Decimal("0.00"), "0", " 0.0 "])
def test_due_uses_the_same_day_rule_for_any_zero(zero):
    for unit in Unit:
        assert VN.due(D(2026, 3, 4, 9, 0), zero, unit) == D(2026, 3, 4, 11, 30)


def test_due_adds_a_nonzero_limit():
    assert VN.due(D(2026, 11, 27, 15, 0), Decimal("3"), "working_days") == D(2026, 12, 2, 15, 0)
    assert VN.due(D(2026, 3, 4, 9, 0), 4, Unit.WORKING_HOURS) == D(2026, 3, 4, 14, 30)


# -- measuring -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "pauses", "hours"),
    [
        (D(2026, 3, 4, 8, 0), D(2026, 3, 5, 8, 0), [], 8),
        (D(2026, 3, 4, 8, 0), D(2026, 3, 4, 8, 0), [], 0),
        (D(2026, 3, 5, 8, 0), D(2026, 3, 4, 8, 0), [], 0),  # reversed: nothing, not negative
        (D(2026, 3, 4, 11, 0), D(2026, 3, 4, 14, 0), [], 1.5),  # lunch is not working time
        (D(2026, 3, 6, 16, 0), D(2026, 3, 9, 8, 30), [], 2),  # the weekend is not either
        (D(2026, 2, 13, 16, 0), D(2026, 2, 23, 8, 30), [], 2),  # nor Tết
        (D(2026, 3, 7, 8, 0), D(2026, 3, 8, 17, 0), [], 0),  # a weekend alone
        (D(2026, 3, 4, 8, 0), D(2026, 3, 5, 8, 0), [(D(2026, 3, 4, 13, 0), D(2026, 3, 4, 15, 0))], 6),
        # Overlapping pauses count once: 13:00–16:00.
        (
            D(2026, 3, 4, 8, 0),
            D(2026, 3, 5, 8, 0),
            [(D(2026, 3, 4, 14, 0), D(2026, 3, 4, 16, 0)), (D(2026, 3, 4, 13, 0), D(2026, 3, 4, 15, 0))],
            5,
        ),
        # A pause inside another, and one touching it: 09:00–12:00 (= 2.5 h of work).
        (
            D(2026, 3, 4, 8, 0),
            D(2026, 3, 5, 8, 0),
            [
                (D(2026, 3, 4, 9, 0), D(2026, 3, 4, 11, 0)),
                (D(2026, 3, 4, 9, 30), D(2026, 3, 4, 10, 0)),
                (D(2026, 3, 4, 11, 0), D(2026, 3, 4, 12, 0)),
            ],
            5.5,
        ),
        # Pauses are clipped to [a, b).
        (D(2026, 3, 4, 8, 0), D(2026, 3, 5, 8, 0), [(D(2026, 3, 3, 10, 0), D(2026, 3, 4, 9, 0))], 7),
        (D(2026, 3, 4, 8, 0), D(2026, 3, 5, 8, 0), [(D(2026, 3, 5, 7, 45), D(2026, 3, 9, 9, 0))], 7.75),
        (D(2026, 3, 4, 8, 0), D(2026, 3, 5, 8, 0), [(D(2026, 3, 1), D(2026, 3, 2))], 8),
        # A pause still running (end None) lasts until b.
        (D(2026, 3, 4, 8, 0), D(2026, 3, 5, 8, 0), [(D(2026, 3, 4, 16, 0), None)], 6.5),
    ],
)
def test_working_time_between(a, b, pauses, hours):
    assert VN.working_time_between(a, b, pauses) == timedelta(hours=hours)


def test_working_time_between_keeps_seconds():
    assert VN.working_time_between(D(2026, 3, 4, 8, 0, 10), D(2026, 3, 4, 8, 1, 0)) == timedelta(seconds=50)


# -- other office hours ----------------------------------------------------------------------------

OTHER = OfficeHours(morning=(time(7, 0), time(11, 30)), afternoon=(time(13, 30), time(17, 0)))
PROVINCE = WorkCalendar.vietnam(hours=OTHER)


def test_other_office_hours_still_make_an_eight_hour_day():
    assert OTHER.hours_per_day == 8
    assert OTHER.minutes_per_day == 480
    assert OfficeHours().hours_per_day == 8


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due"),
    [
        (D(2026, 11, 27, 15, 0), 3, "working_days", D(2026, 12, 2, 15, 0)),
        (D(2026, 3, 4, 7, 0), 1, "working_days", D(2026, 3, 4, 17, 0)),
        (D(2026, 3, 4, 8, 0), 0.5, "working_days", D(2026, 3, 4, 14, 0)),  # 3.5 h + 0.5 h
        (D(2026, 3, 4, 12, 0), 1, "working_hours", D(2026, 3, 4, 14, 30)),  # lunch until 13:30
        (D(2026, 3, 4, 13, 0), 0, "working_days", D(2026, 3, 4, 17, 0)),  # same day, over lunch
        (D(2026, 3, 4, 7, 10), 0, "working_days", D(2026, 3, 4, 11, 30)),
    ],
)
def test_other_office_hours(start, amount, unit, due):
    assert PROVINCE.due(start, amount, unit) == due


def test_a_shorter_day_shortens_a_working_day():
    short = WorkCalendar(hours=OfficeHours(afternoon=(time(13, 0), time(16, 30))))
    assert short.hours.hours_per_day == Decimal("7.5")
    assert short.add(D(2026, 3, 4, 7, 30), 1) == D(2026, 3, 4, 16, 30)
    assert short.add(D(2026, 3, 4, 7, 30), 2) == D(2026, 3, 5, 16, 30)


def test_a_custom_cutoff():
    cal = WorkCalendar(hours=OfficeHours(cutoff=time(16, 0)))
    assert cal.same_day_due(D(2026, 3, 4, 15, 30)) == D(2026, 3, 4, 17, 0)
    assert cal.same_day_due(D(2026, 3, 4, 16, 0)) == D(2026, 3, 5, 17, 0)


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: VN.add(D(2026, 3, 4, 9), -1), "negative"),
        (lambda: VN.add(D(2026, 3, 4, 9), Decimal("-0.5")), "negative"),
        (lambda: VN.add(D(2026, 3, 4, 9), "-1"), "negative"),
        (lambda: VN.add(D(2026, 3, 4, 9), -0.5, "working_hours"), "negative"),
        (lambda: VN.add(D(2026, 3, 4, 9), -1, "calendar_days"), "negative"),
        (lambda: VN.add(D(2026, 3, 4, 9), float("nan")), "finite"),
        (lambda: VN.add(D(2026, 3, 4, 9), float("inf")), "finite"),
        (lambda: VN.add(D(2026, 3, 4, 9), Decimal("NaN")), "finite"),
        (lambda: VN.add(D(2026, 3, 4, 9), Decimal("sNaN")), "finite"),
        (lambda: VN.add(D(2026, 3, 4, 9), "three"), "number"),
        (lambda: VN.add(D(2026, 3, 4, 9), Decimal("1e999999999")), "too large"),
        (lambda: VN.add(D(2026, 3, 4, 9), "1e999999999", "calendar_days"), "too large"),
        (lambda: VN.due(D(2026, 3, 4, 9), Decimal("sNaN")), "finite"),
        (lambda: VN.add(D(2026, 3, 4, 9), True), "number"),
        (lambda: VN.add(D(2026, 3, 4, 9), None), "number"),
        (lambda: VN.add(D(2026, 3, 4, 9), 1, "weeks"), "unknown unit"),
        (lambda: VN.due(D(2026, 3, 4, 9), 0, "weeks"), "unknown unit"),
        (lambda: VN.due(D(2026, 3, 4, 9), "zero"), "number"),
        (lambda: VN.add(D(2009, 12, 31, 9), 1), "outside the calendar's years 2010–2040"),
        (lambda: VN.add(D(2041, 1, 2, 9), 1), "outside"),
        (lambda: VN.add(D(2040, 12, 20, 9), 30), "after the calendar's last year"),
        (lambda: VN.add(D(2040, 12, 20, 9), 30, "calendar_days"), "after the calendar's last year"),
        (lambda: VN.next_opening(D(2040, 12, 31, 18)), "no working day"),
        (lambda: VN.same_day_due(D(2040, 12, 31, 18)), "no working day"),
        (lambda: VN.is_working_day(date(2050, 1, 3)), "outside"),
        (lambda: VN.add(datetime(2026, 3, 4, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), 1), "naive"),
        (lambda: VN.add(date(2026, 3, 4), 1), "expected a datetime"),
        (
            lambda: WTB(D(2026, 3, 4, 9), D(2026, 3, 5), [(D(2026, 3, 4, 12), D(2026, 3, 3))]),
            "ends before it starts",
        ),
        (lambda: VN.working_time_between(D(2030, 3, 4), D(2045, 1, 1)), "outside"),
        (lambda: WorkCalendar.vietnam(days_off=[date(2026, 3, 4)], working_days=[date(2026, 3, 4)]), "both"),
        (lambda: WorkCalendar(first_year=2030, last_year=2020), "first_year"),
        (lambda: OfficeHours(morning=(time(11, 30), time(7, 30))), "ordered"),
        (lambda: OfficeHours(morning=(time(7, 30), time(13, 30))), "ordered"),  # overlaps the afternoon
        (lambda: OfficeHours(morning=(time(7, 30, 15), time(11, 30))), "whole minutes"),
        (lambda: OfficeHours(morning=("07:30", "11:30")), "datetime.time"),
    ],
)
def test_errors_are_value_errors_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_calendar_covers_its_last_year_to_the_end():
    assert VN.add(D(2040, 12, 28, 9), 1) == D(2040, 12, 31, 9)
