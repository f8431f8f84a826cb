"""Dossier codes `<desk code>-<yyMMdd>-<NNNN>` and logbook numbers, from counter rows taken under a row lock.

Called inside the intake transaction: a failed intake rolls its number back with it, so numbers never have gaps
and two concurrent intakes never share one (STYLE habit 7; LEGAL.md "Dossier code").
"""
from datetime import date

from django.db import IntegrityError, transaction

from motcua.dossiers.models import DailyCounter


def _next(desk, period: str, day: date) -> int:
    counter = DailyCounter.objects.select_for_update().filter(desk=desk, period=period, day=day).first()
    if counter is None:
        try:
            with transaction.atomic():  # savepoint: a concurrent first intake may create the row first
                DailyCounter.objects.create(desk=desk, period=period, day=day, last=0)
        except IntegrityError:
            pass
        counter = DailyCounter.objects.select_for_update().get(desk=desk, period=period, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


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
