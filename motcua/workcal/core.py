"""The working-time calendar: office hours, holidays, make-up days and deadline arithmetic (pure Python).

No Django import here (DESIGN.md "The calendar"); `motcua.workcal` wraps it for the rest of the project.

Datetimes are naive local wall-clock times in Asia/Ho_Chi_Minh (no DST); the Django layer converts aware and
naive. An aware datetime is refused rather than silently misread. Seconds are kept, microseconds are ignored.

The model (docs/adr/0001-working-time-calendar.md): every working day has the same sessions, so working time
is a number line. A moment's *position* is the number of working seconds from the calendar's first day to it:
``i * day_length + elapsed(time of day)``, where ``i`` is the index of the moment's date among the
precomputed, sorted working days (a bisection; on a non-working day ``i`` is the next working day and nothing
has elapsed). Adding working time adds to the position; the inverse is a ``divmod`` by the day length. No
day-by-day loops.

Where several moments share a position (11:30 and 13:00; 17:00 and the next opening), an addition returns the
earliest: a deadline that falls exactly on a session end is that session end ("by 17:00"), while a clock that
*starts* at a session end starts at the next opening.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from numbers import Rational

__all__ = ["Amount", "OfficeHours", "Unit", "WorkCalendar"]


class Unit(enum.StrEnum):
    """Units of a procedure's time limit (LEGAL.md "Processing rules")."""

    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


_WD, _WH, _CD = Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.CALENDAR_DAYS
# Seconds after midnight -> timedelta, filled as met (at most 86,400): building a timedelta costs more than
# the rest of an addition.
_DELTAS: dict[int, timedelta] = {}
_UNIT_NAMES = ", ".join(u.value for u in Unit)
_MAX_AMOUNT = 1_000_000  # of any unit: far beyond any calendar, small enough to convert safely

Amount = int | float | Decimal | Fraction | str


@dataclass(frozen=True)
class OfficeHours:
    """An agency's two daily sessions, Monday to Friday (LEGAL.md "Working time"; provinces differ).

    ``cutoff`` is the 15:00 cut-off of Decree 61/2018 art. 19 (kept by Decree 118/2025): a same-day procedure
    received at or after it is due the next working day. Times must be whole minutes.
    """

    morning: tuple[time, time] = (time(7, 30), time(11, 30))
    afternoon: tuple[time, time] = (time(13, 0), time(17, 0))
    cutoff: time = time(15, 0)

    def __post_init__(self):
        times = (*self.morning, *self.afternoon, self.cutoff)
        if len(times) != 5 or not all(isinstance(t, time) for t in times):
            raise ValueError("office hours need morning and afternoon as (start, end) datetime.time pairs")
        if any(t.second or t.microsecond or t.tzinfo for t in times):
            raise ValueError("office hours must be whole minutes, without a time zone")
        a, b, c, d = times[:4]
        if not a < b <= c < d:
            raise ValueError(f"office hours must be ordered: {a} < {b} <= {c} < {d} does not hold")

    @property
    def seconds(self) -> tuple[int, int, int, int]:
        """Morning start, morning end, afternoon start, afternoon end, as seconds after midnight."""
        return tuple(t.hour * 3600 + t.minute * 60 for t in (*self.morning, *self.afternoon))

    @property
    def minutes_per_day(self) -> int:
        """Length of a working day: the two sessions together (480 by default)."""
        ms, me, as_, ae = self.seconds
        return (me - ms + ae - as_) // 60

    @property
    def hours_per_day(self) -> Decimal:
        """Working hours in a working day; "N days" means N times this (LEGAL.md: 8 working hours a day)."""
        return Decimal(self.minutes_per_day) / 60


def _to_minutes(amount: Amount, per_unit: int) -> int:
    """``amount`` units of ``per_unit`` minutes each, rounded half up to a whole minute.

    Accepts int, float, Decimal, Fraction or a numeric string; refuses negative, infinite or other amounts.
    """
    if isinstance(amount, bool):
        raise ValueError(f"amount must be a number, not {amount!r}")
    if isinstance(amount, int):
        minutes = amount * per_unit
    elif isinstance(amount, float):
        if not math.isfinite(amount):
            raise ValueError(f"amount must be finite, not {amount!r}")
        minutes = math.floor(amount * per_unit + 0.5)
    elif isinstance(amount, Rational):
        if amount > _MAX_AMOUNT:
            raise ValueError(f"amount is too large: {amount!r}")
        minutes = math.floor(Fraction(amount) * per_unit + Fraction(1, 2))
    else:
        if isinstance(amount, str):
            try:
                amount = Decimal(amount.strip())
            except InvalidOperation:
                raise ValueError(f"amount must be a number, not {amount!r}")
        if not isinstance(amount, Decimal):
            raise ValueError(f"amount must be a number, not {amount!r}")
        if not amount.is_finite():
            raise ValueError(f"amount must be finite, not {amount!r}")
        if amount > _MAX_AMOUNT:
            raise ValueError(f"amount is too large: {amount!r}")
        minutes = int((amount * per_unit).to_integral_value(rounding=ROUND_HALF_UP))
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount!r}")
    return minutes


class WorkCalendar:
    """Working time for one set of office hours, holidays and overrides, over [first_year, last_year].

    A working day is Monday–Friday and not a holiday, or any day in ``extra_working_days`` (which wins over
    ``holidays``). Civil servants work Monday to Friday, 40 hours (LEGAL.md "Working time").
    """

    def __init__(
        self,
        *,
        hours: OfficeHours = OfficeHours(),  # noqa: B008 - frozen, so a shared default is safe
        holidays: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        first_year: int = 2010,
        last_year: int = 2040,
    ):
        if not 1 <= first_year <= last_year <= 9998:
            raise ValueError(f"need 1 <= first_year <= last_year <= 9998, got {first_year}..{last_year}")
        self.hours = hours
        self.first_year, self.last_year = first_year, last_year
        lo, hi = date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal()
        off = {d.toordinal() for d in holidays}
        on = {d.toordinal() for d in extra_working_days}
        # date.weekday() == (ordinal + 6) % 7; Monday..Friday are 0..4.
        days = [o for o in range(lo, hi + 1) if o in on or ((o + 6) % 7 < 5 and o not in off)]
        if not days:
            raise ValueError("the calendar has no working day")
        self._working = frozenset(days)
        ms, me, as_, ae = hours.seconds
        length = me - ms + ae - as_
        mids = [datetime.fromordinal(o) for o in days]
        # A sentinel after the last working day: `days[bisect_left(days, o)] == o` needs no bound check.
        days.append(hi + 1)
        self._days, self._mids, self._n, self._lo, self._hi = days, mids, len(mids), lo, hi
        self._ms, self._me, self._as, self._ae, self._length, self._mlen = ms, me, as_, ae, length, me - ms
        self._cutoff = hours.cutoff.hour * 3600 + hours.cutoff.minute * 60
        self._cache_days: dict[Decimal | str, int] = {}
        self._cache_hours: dict[Decimal | str, int] = {}
        self._hot = (days, mids, self._n, lo, hi, length, ms, me, as_, ae, me - ms, as_ - (me - ms))

    def __repr__(self) -> str:
        (a, b), (c, d) = self.hours.morning, self.hours.afternoon
        return (
            f"<WorkCalendar {self.first_year}–{self.last_year}: {self._n} working days, "
            f"{a:%H:%M}–{b:%H:%M} {c:%H:%M}–{d:%H:%M}>"
        )

    @property
    def working_day_count(self) -> int:
        """How many working days the calendar holds."""
        return self._n

    @classmethod
    def vietnam(
        cls,
        *,
        hours: OfficeHours = OfficeHours(),  # noqa: B008 - frozen, so a shared default is safe
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        first_year: int = 2010,
        last_year: int = 2040,
    ) -> WorkCalendar:
        """Weekends off; Vietnamese public holidays and make-up Saturdays from `holidays`; then the overrides.

        Labour Code 2019 art. 112: 1/1, Tết (5 days), Hùng Kings, 30/4, 1/5, 2/9 plus an adjacent day, with
        compensatory days for holidays on a weekend; the state's yearly swaps (e.g. 2026: Monday 31/8 off,
        Saturday 22/8 worked) come from the package's special holidays and ``weekend_workdays``. From 2026 the
        package also lists 24/11 (Vietnamese Culture Day); if it is not a day off, put it in ``working_days``.

        Overrides are the administrator's record of the state's decisions and win over the package:
        ``days_off`` are added (also cancelling a package make-up Saturday), ``working_days`` are worked (also
        cancelling a package holiday). A date in both is refused.
        """
        days_off = {_as_date(d) for d in days_off}
        working_days = {_as_date(d) for d in working_days}
        if both := days_off & working_days:
            raise ValueError(f"dates both off and working: {', '.join(map(str, sorted(both)))}")
        public, makeup = _vietnam_days(first_year, last_year)
        return cls(
            hours=hours,
            holidays=(public | days_off) - working_days,
            extra_working_days=(makeup - days_off) | working_days,
            first_year=first_year,
            last_year=last_year,
        )

    # -- queries ------------------------------------------------------------------------------------------

    def _ordinal(self, d: date) -> int:
        o = d.toordinal()
        if not self._lo <= o <= self._hi:
            raise ValueError(f"{d} is outside the calendar's years {self.first_year}–{self.last_year}")
        return o

    def _naive(self, moment: datetime) -> int:
        """Validate a moment and return its ordinal."""
        if not isinstance(moment, datetime):
            raise ValueError(f"expected a datetime, got {moment!r}")
        if moment.tzinfo is not None:
            raise ValueError(f"expected a naive local datetime (Asia/Ho_Chi_Minh), got {moment!r}")
        return self._ordinal(moment)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` (a date, or a datetime's date) is a working day."""
        return self._ordinal(d) in self._working

    def _position(self, moment: datetime) -> int:
        """Working seconds from the calendar's first day to ``moment`` (the inverse of ``_moment``)."""
        o = self._naive(moment)
        i = bisect_left(self._days, o)
        if self._days[i] != o:
            return i * self._length
        s = moment.hour * 3600 + moment.minute * 60 + moment.second
        ms, me, as_, ae = self._ms, self._me, self._as, self._ae
        if s <= ms:
            e = 0
        elif s < me:
            e = s - ms
        elif s <= as_:
            e = me - ms
        elif s < ae:
            e = s - as_ + me - ms
        else:
            e = self._length
        return i * self._length + e

    def _moment(self, position: int) -> datetime:
        """The earliest moment at ``position`` (> 0): a deadline on a session end is that session end."""
        i, r = divmod(position - 1, self._length)
        if i >= self._n:
            raise ValueError(f"the result falls after the calendar's last year {self.last_year}")
        r += 1
        second = self._ms + r if r <= self._mlen else self._as - self._mlen + r
        return self._mids[i] + timedelta(seconds=second)

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself if inside office hours, else the start of the next session.

        A clock started outside office hours (lunch, evening, weekend, holiday) starts at the next opening
        (DESIGN.md "The calendar"; LEGAL.md "15:00 cut-off": online filings count from the next working
        period). A session end (11:30, 17:00) is outside.
        """
        o = self._naive(moment)
        i = bisect_left(self._days, o)
        if self._days[i] == o:
            s = moment.hour * 3600 + moment.minute * 60 + moment.second
            if s < self._ms:
                return self._mids[i] + timedelta(seconds=self._ms)
            if s < self._me or self._as <= s < self._ae:
                return moment
            if s < self._as:
                return self._mids[i] + timedelta(seconds=self._as)
            i += 1
        if i >= self._n:
            raise ValueError(f"no working day after {moment} before the end of {self.last_year}")
        return self._mids[i] + timedelta(seconds=self._ms)

    # -- arithmetic ---------------------------------------------------------------------------------------

    def add(self, start: datetime, amount: Amount, unit: Unit | str = _WD) -> datetime:
        """``start`` plus ``amount`` (int, float, Decimal, str; fractions allowed) of ``unit``.

        Working days and hours: the clock starts at ``next_opening(start)``; N working days are N × the day
        length of working time (LEGAL.md "Processing rules": 8 working hours a day), so Friday 15:00 + 3 days
        is Wednesday 15:00 and 0.5 day from 08:00 is 13:30. The result is inside a session or exactly on a
        session end. Amounts are rounded half up to the minute. An amount of 0 gives ``next_opening(start)``.

        Calendar days: see ``add_calendar_days``.
        """
        if unit is _WD or unit == "working_days":
            per, cache = self._length // 60, self._cache_days
        elif unit is _WH or unit == "working_hours":
            per, cache = 60, self._cache_hours
        elif unit is _CD or unit == "calendar_days":
            return self.add_calendar_days(start, amount)
        else:
            raise ValueError(f"unknown unit {unit!r}; use one of {_UNIT_NAMES}")
        # The hot path (bench/workcal.py): `_to_minutes`, `_position` and `_moment` inlined on local names.
        t = type(amount)
        if t is int and amount >= 0:
            add = amount * per * 60
        elif t is float and 0.0 <= amount < 1e12:
            add = int(amount * per + 0.5) * 60
        elif t is Decimal or t is str:
            # A procedure's limit comes as a Decimal (or text); there are few distinct ones, so remember them.
            try:
                add = cache[amount]
            except KeyError:
                add = _to_minutes(amount, per) * 60
                if len(cache) < 4096:
                    cache[amount] = add
            except TypeError:  # a signalling NaN cannot be hashed
                add = _to_minutes(amount, per) * 60
        else:
            add = _to_minutes(amount, per) * 60
        if type(start) is not datetime or start.tzinfo is not None:
            self._naive(start)  # raises with the reason
        days, mids, n, lo, hi, length, ms, me, as_, ae, mlen, gap = self._hot
        o = start.toordinal()
        if not lo <= o <= hi:
            self._ordinal(start)  # raises
        if not add:
            return self.next_opening(start)
        i = bisect_left(days, o)
        position = i * length + add
        if days[i] == o:
            s = start.hour * 3600 + start.minute * 60 + start.second
            if s > ms:
                if s < me:
                    position += s - ms
                elif s <= as_:
                    position += mlen
                elif s < ae:
                    position += s - gap
                else:
                    position += length
        i, r = divmod(position - 1, length)
        if i >= n:
            raise ValueError(f"the result falls after the calendar's last year {self.last_year}")
        r += 1
        r = ms + r if r <= mlen else gap + r
        try:
            return mids[i] + _DELTAS[r]
        except KeyError:
            delta = _DELTAS[r] = timedelta(seconds=r)
            return mids[i] + delta

    def add_working_hours(self, start: datetime, hours: Amount) -> datetime:
        """``start`` plus ``hours`` working hours (internal step times, LEGAL.md "Processing rules")."""
        return self.add(start, hours, _WH)

    def add_calendar_days(self, start: datetime, days: Amount) -> datetime:
        """``start`` plus ``days`` calendar days; the result never falls on a weekend or holiday.

        LEGAL.md "Processing rules": calendar days never end on a weekend or holiday. The clock starts at
        ``next_opening(start)``; the result keeps its wall time and, if its date is not a working day, moves
        to the next working day at the same wall time. A fractional amount may land outside a session: after
        the close the result is that day's close, otherwise (before opening, lunch) the next opening.
        """
        minutes = _to_minutes(days, 24 * 60)
        begin = self.next_opening(start)
        if not minutes:
            return begin
        end = begin + timedelta(minutes=minutes)
        o = end.toordinal()
        if o > self._hi:
            raise ValueError(f"the result falls after the calendar's last year {self.last_year}")
        i = bisect_left(self._days, o)
        if i >= self._n:
            raise ValueError(f"the result falls after the calendar's last year {self.last_year}")
        s = end.hour * 3600 + end.minute * 60 + end.second
        end = self._mids[i] + timedelta(seconds=s, microseconds=end.microsecond)
        if s >= self._ae:
            return self._mids[i] + timedelta(seconds=self._ae)
        return self.next_opening(end)

    def working_time_between(
        self, a: datetime, b: datetime, pauses: Iterable[tuple[datetime, datetime | None]] = ()
    ) -> timedelta:
        """Working time in [a, b) minus the working time inside ``pauses``; never negative.

        Pauses (supplement requests, awaiting payment: LEGAL.md "Supplement once"; Decree 118/2025 art. 11)
        are clipped to [a, b) and merged, so overlapping pauses count once. A pause whose end is None is still
        running and lasts until ``b``.
        """
        if b <= a:
            self._naive(a), self._naive(b)
            return timedelta(0)
        start, end = self._position(a), self._position(b)
        spans = []
        for ps, pe in pauses:
            if pe is None:
                pe = b
            elif pe < ps:
                raise ValueError(f"a pause ends before it starts: {ps} .. {pe}")
            ps, pe = max(ps, a), min(pe, b)
            if ps < pe:
                spans.append((self._position(ps), self._position(pe)))
        spans.sort()
        paused, cur_s, cur_e = 0, None, None
        for s, e in spans:
            if cur_e is None or s > cur_e:
                if cur_e is not None:
                    paused += cur_e - cur_s
                cur_s, cur_e = s, e
            elif e > cur_e:
                cur_e = e
        if cur_e is not None:
            paused += cur_e - cur_s
        return timedelta(seconds=end - start - paused)

    def same_day_due(self, received: datetime) -> datetime:
        """Due time of a 0-day ("trong ngày") procedure.

        LEGAL.md "Half days" (practice, e-PAR) and "15:00 cut-off" (Decree 61/2018 art. 19; Decree 118/2025):
        received in the morning session → the end of the morning (11:30); in the afternoon or over lunch
        before 15:00 → the end of the afternoon (17:00); at or after 15:00 during office hours → the end of
        the next working day (17:00: the law says "the next working day", no half; we give the whole day).
        Outside office hours (before opening, after the close, a weekend or holiday) the dossier counts as
        received at the next opening, so it is due at the end of that morning.
        """
        o = self._naive(received)
        i = bisect_left(self._days, o)
        s = received.hour * 3600 + received.minute * 60 + received.second
        if self._days[i] == o and self._ms <= s < self._ae:
            if s < self._me:
                return self._mids[i] + timedelta(seconds=self._me)
            if s < self._cutoff:
                return self._mids[i] + timedelta(seconds=self._ae)
            end = self._ae
            i += 1
        else:
            end = self._me
            if self._days[i] == o and s >= self._ae:
                i += 1
        if i >= self._n:
            raise ValueError(f"no working day after {received} before the end of {self.last_year}")
        return self._mids[i] + timedelta(seconds=end)

    def due(self, received: datetime, amount: Amount, unit: Unit | str = _WD) -> datetime:
        """Due time for a procedure's limit: an amount of 0 is the same-day rule, anything else is ``add``."""
        if unit not in _UNIT_VALUES:
            raise ValueError(f"unknown unit {unit!r}; use one of {_UNIT_NAMES}")
        t = type(amount)
        try:
            if t is str:
                zero = Decimal(amount.strip()) == 0
            else:
                zero = (t is int or t is float or t is Decimal) and amount == 0
        except InvalidOperation:  # not a number, or a signalling NaN
            zero = False  # `add` says why
        if zero:
            return self.same_day_due(received)
        return self.add(received, amount, unit)


_UNIT_VALUES = frozenset(u.value for u in Unit)


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


@lru_cache(maxsize=8)
def _vietnam_days(first_year: int, last_year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Public holidays and make-up working Saturdays from the `holidays` package, within the years."""
    from holidays.countries.vietnam import Vietnam  # imported here: only the Vietnam calendar needs it

    # A swap may name a Saturday of the year before (2015: 2/1 off for 27/12/2014): look one year around.
    vn = Vietnam(years=range(max(first_year - 1, 1), last_year + 2))
    lo, hi = date(first_year, 1, 1), date(last_year, 12, 31)
    public = frozenset(d for d in vn if lo <= d <= hi)
    makeup = frozenset(d for d in vn.weekend_workdays if lo <= d <= hi and d.weekday() >= 5)
    return public, makeup
