"""Property tests of the working-time calendar core (hypothesis; deterministic, no Django needed).

Several properties compare the bisection arithmetic with a slow minute-by-minute walk over the calendar, which
only uses ``is_working_day`` and the office hours.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcal.core import OfficeHours, WorkCalendar

# Deterministic: the same examples on every run and every machine (applied per test, not as a global profile).
deterministic = settings(derandomize=True, max_examples=300, deadline=None)

VN = WorkCalendar.vietnam()
OTHER_HOURS = OfficeHours(morning=(time(7, 0), time(11, 30)), afternoon=(time(13, 30), time(17, 0)))
PROVINCE = WorkCalendar.vietnam(hours=OTHER_HOURS)
CALENDARS = st.sampled_from([VN, PROVINCE])
MINUTE = timedelta(minutes=1)

# Any moment 2016–2030, to the second; and the same to the minute for the minute-by-minute walks.
starts = st.datetimes(min_value=datetime(2016, 1, 1), max_value=datetime(2030, 12, 31, 23, 59, 59)).map(
    lambda d: d.replace(microsecond=0)
)
minute_starts = starts.map(lambda d: d.replace(second=0))
# Working time as whole minutes, up to 60 working days; passed as hours (a Fraction, so exactly).
minutes = st.integers(min_value=0, max_value=60 * 480)
half_days = st.integers(min_value=1, max_value=120).map(lambda k: Decimal(k) / 2)


def hours(m: int) -> Fraction:
    return Fraction(m, 60)


def sessions(cal: WorkCalendar):
    (a, b), (c, d) = cal.hours.morning, cal.hours.afternoon
    return a, b, c, d


def is_working_minute(cal: WorkCalendar, moment: datetime) -> bool:
    a, b, c, d = sessions(cal)
    t = moment.time()
    return cal.is_working_day(moment.date()) and (a <= t < b or c <= t < d)


def walk(cal: WorkCalendar, start: datetime, m: int) -> datetime:
    """The end of the m-th working minute from ``start`` (m >= 1), one minute at a time."""
    t = start
    while True:
        if is_working_minute(cal, t):
            m -= 1
            if m == 0:
                return t + MINUTE
        t += MINUTE


def in_hours_or_on_a_session_end(cal: WorkCalendar, moment: datetime) -> bool:
    a, b, c, d = sessions(cal)
    t = moment.time()
    return cal.is_working_day(moment.date()) and (a < t <= b or c < t <= d)


@deterministic
@given(CALENDARS, starts, minutes.filter(bool))
def test_results_fall_inside_office_hours_or_on_a_session_end(cal, start, m):
    assert in_hours_or_on_a_session_end(cal, cal.add(start, hours(m), "working_hours"))


@deterministic
@given(CALENDARS, starts, half_days)
def test_working_day_results_fall_inside_office_hours_or_on_a_session_end(cal, start, days):
    due = cal.add(start, days)
    assert in_hours_or_on_a_session_end(cal, due)
    assert due > start


@deterministic
@given(CALENDARS, starts, minutes)
def test_the_working_time_to_the_result_is_the_amount(cal, start, m):
    due = cal.add(start, hours(m), "working_hours")
    assert cal.working_time_between(cal.next_opening(start), due) == timedelta(minutes=m)
    assert cal.working_time_between(start, due) == timedelta(minutes=m)


@deterministic
@given(CALENDARS, starts, half_days)
def test_n_days_are_n_times_the_day_length(cal, start, days):
    due = cal.add(start, days)
    assert cal.working_time_between(start, due) == timedelta(minutes=float(days) * cal.hours.minutes_per_day)


@deterministic
@given(CALENDARS, minute_starts, st.integers(min_value=1, max_value=2 * 480))
def test_adding_agrees_with_a_minute_by_minute_walk(cal, start, m):
    assert cal.add(start, hours(m), "working_hours") == walk(cal, start, m)


@deterministic
@given(CALENDARS, minute_starts, st.integers(min_value=1, max_value=3 * 24 * 60), st.data())
def test_measuring_agrees_with_a_minute_by_minute_walk(cal, a, span, data):
    b = a + span * MINUTE
    pauses = data.draw(
        st.lists(
            st.tuples(st.integers(-600, span + 600), st.integers(0, 24 * 60)).map(
                lambda p: (a + p[0] * MINUTE, a + (p[0] + p[1]) * MINUTE)
            ),
            max_size=4,
        )
    )
    expected = sum(
        1
        for k in range(span)
        if is_working_minute(cal, t := a + k * MINUTE) and not any(ps <= t < pe for ps, pe in pauses)
    )
    assert cal.working_time_between(a, b, pauses) == timedelta(minutes=expected)


@deterministic
@given(CALENDARS, starts, minutes, minutes)
def test_adding_is_monotonic_in_the_amount(cal, start, m1, m2):
    m1, m2 = sorted((m1, m2))
    assert cal.add(start, hours(m1), "working_hours") <= cal.add(start, hours(m2), "working_hours")


@deterministic
@given(CALENDARS, starts, minutes, minutes.filter(bool))
def test_adding_in_two_steps_is_adding_the_sum(cal, start, m1, m2):
    # m2 > 0: adding 0 to a session end moves it to the next opening, which is the same working time.
    two_steps = cal.add(cal.add(start, hours(m1), "working_hours"), hours(m2), "working_hours")
    assert two_steps == cal.add(start, hours(m1 + m2), "working_hours")


@deterministic
@given(CALENDARS, starts, half_days)
def test_every_amount_type_gives_the_same_result(cal, start, days):
    expected = cal.add(start, days)
    assert cal.add(start, float(days)) == expected
    assert cal.add(start, str(days)) == expected
    assert cal.add(start, Fraction(days)) == expected
    assert cal.add(start, days * cal.hours.hours_per_day, "working_hours") == expected


@deterministic
@given(CALENDARS, starts, st.integers(min_value=1, max_value=365) | half_days)
def test_calendar_day_results_are_working_days_in_office_hours(cal, start, days):
    due = cal.add(start, days, "calendar_days")
    assert cal.is_working_day(due.date())
    a, b, c, d = sessions(cal)
    assert a <= due.time() < b or c <= due.time() <= d
    assert due >= cal.next_opening(start) + timedelta(days=float(days)) - timedelta(hours=12)


@deterministic
@given(CALENDARS, starts, st.integers(min_value=1, max_value=365))
def test_whole_calendar_days_land_on_the_first_working_day_from_the_count(cal, start, days):
    begin = cal.next_opening(start)
    due = cal.add(start, days, "calendar_days")
    assert due.time() == begin.time()
    target = begin.date() + timedelta(days=days)
    assert due.date() >= target
    assert all(not cal.is_working_day(target + timedelta(days=k)) for k in range((due.date() - target).days))


@deterministic
@given(CALENDARS, starts)
def test_the_same_day_rule_gives_a_session_end_within_two_working_days(cal, received):
    due = cal.same_day_due(received)
    a, b, c, d = sessions(cal)
    assert cal.is_working_day(due.date())
    assert due.time() in (b, d)
    assert due > received
    opening = cal.next_opening(received)
    assert cal.working_time_between(opening, due) <= 2 * timedelta(minutes=cal.hours.minutes_per_day)


@deterministic
@given(CALENDARS, starts)
def test_next_opening_is_inside_office_hours_and_not_before_the_moment(cal, moment):
    opening = cal.next_opening(moment)
    assert opening >= moment
    assert is_working_minute(cal, opening.replace(second=0))
    assert cal.working_time_between(moment, opening) == timedelta(0)
