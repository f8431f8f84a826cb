"""Dossier codes `<desk code>-<yyMMdd>-<NNNN>` and logbook numbers, from counter rows taken under a row lock.

Called inside the intake transaction: a failed intake rolls its number back with it, so numbers never have gaps
and two concurrent intakes never share one (STYLE habit 7; LEGAL.md "Dossier code").
"""
from datetime import date

from django.db import connection

from motcua.dossiers.models import DailyCounter


def _next(desk, period: str, day: date) -> int:
    """Take the next number in one statement: insert the period's row at 1, or bump it under its row lock.

    `INSERT … ON CONFLICT DO UPDATE … RETURNING` (PostgreSQL; SQLite ≥ 3.35) locks the row until the intake
    commits, so a concurrent intake at the same desk waits and then gets the following number; the first
    intake of a day creates the row without a race on the unique constraint.
    """
    qn = connection.ops.quote_name
    table, last = qn(DailyCounter._meta.db_table), qn("last")
    columns = ", ".join(qn(DailyCounter._meta.get_field(name).column) for name in ("desk", "period", "day"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {last}) VALUES (%s, %s, %s, 1) "  # noqa: S608 - model identifiers, bound values
            f"ON CONFLICT ({columns}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
            [desk.pk, period, connection.ops.adapt_datefield_value(day)],
        )
        return cursor.fetchone()[0]


def next_code(desk, day: date) -> str:
    """The next dossier code at `desk` on the local date `day` (counter reset daily per desk)."""
    number = _next(desk, DailyCounter.DAY, day)
    if number > 9999:
        # Four digits per desk and day is the national format; beyond it the code grows rather than wraps.
        return f"{desk.code}-{day:%y%m%d}-{number}"
    return f"{desk.code}-{day:%y%m%d}-{number:04d}"


def next_logbook_number(desk, year: int) -> int:
    """The next entry in the desk's logbook (Mẫu 06) for `year`."""
    return _next(desk, DailyCounter.YEAR, date(year, 1, 1))
