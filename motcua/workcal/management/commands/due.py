"""`manage.py due --from "2026-11-27 15:00" --days 3 [--agency CODE]`: print the due moment (local time)."""
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Agency
from motcua.errors import DomainError
from motcua.workcal.core import Unit
from motcua.workcal.services import calendar_for


def _amount(raw: str) -> Decimal:
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise CommandError(f"Not a number: {raw!r}")
    if value < 0:
        raise CommandError("The amount must not be negative.")
    return value


class Command(BaseCommand):
    help = "Compute a due moment in working time from a start, as the dossier service does."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help='Local start, "YYYY-MM-DD HH:MM".')
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--days", type=_amount, help="Working days (fractions allowed: 0.5; 0 = same day).")
        group.add_argument("--hours", type=_amount, help="Working hours.")
        group.add_argument("--calendar-days", type=_amount, help="Calendar days (never ending on a day off).")
        parser.add_argument("--agency", help="Agency code whose office hours apply.")

    def handle(self, *args, **options):
        try:
            start = datetime.fromisoformat(options["start"].strip().replace(" ", "T", 1))
        except ValueError:
            raise CommandError(f'--from must look like "2026-11-27 15:00", got {options["start"]!r}')
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with code {options['agency']}")
        if options["days"] is not None:
            amount, unit = options["days"], Unit.WORKING_DAYS
        elif options["hours"] is not None:
            amount, unit = options["hours"], Unit.WORKING_HOURS
        else:
            amount, unit = options["calendar_days"], Unit.CALENDAR_DAYS
        try:
            due = calendar_for(agency).due(start.replace(tzinfo=None), amount, unit)
        except (ValueError, DomainError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(due.strftime("%Y-%m-%dT%H:%M"))
