"""Which reports a task expects, and when each is due (QĐ 1908 IV.5: quarterly and yearly reports to Sở Nội vụ).

A dated task is reported on each quarter from its section's year (the programme starts in Q2/2016) to the quarter
it is due; a span or a recurring task once a year over its years. A quarterly report is due on the
PROGRAMME_QUARTER_REPORT_DAY (15) of the quarter's last month, the yearly one on PROGRAMME_YEAR_REPORT_DUE (15/12);
a due day that is not a working day moves to the next working day of the calendar (`workcal`; Bộ luật Dân sự 2015,
Điều 148 khoản 5).
"""
from datetime import date, timedelta

from django.conf import settings

FIRST_PERIOD = (2016, 2)  # the decision is dated 02/6/2016


def report_due(year: int, quarter: int, *, agency=None) -> date:
    from motcua.workcal.services import calendar_for

    if quarter:
        day = date(year, 3 * quarter, getattr(settings, "PROGRAMME_QUARTER_REPORT_DAY", 15))
    else:
        month, dom = getattr(settings, "PROGRAMME_YEAR_REPORT_DUE", (12, 15))
        day = date(year, month, dom)
    calendar = calendar_for(agency)
    for _i in range(30):
        if calendar.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def periods(task) -> list[tuple[int, int]]:
    """(year, quarter) of every report the task expects; quarter 0 is the yearly report."""
    if task.yearly and task.span_start and task.span_end:
        return [(y, 0) for y in range(task.span_start, task.span_end + 1)]
    year = task.section.year
    last = (task.due.year, (task.due.month - 1) // 3 + 1) if task.due else (year, 4)
    out = []
    y, q = max((year, 1), FIRST_PERIOD)
    while (y, q) <= last:
        out.append((y, q))
        y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    return out or [last]


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end_date(year: int, quarter: int) -> date:
    from motcua.programme.timeline import quarter_end

    return quarter_end(year, quarter)
