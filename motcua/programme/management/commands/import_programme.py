"""`manage.py import_programme FILE [--apply]`: a dry run lists every row and problem; --apply writes all or nothing."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.errors import DomainError
from motcua.programme import importer, services


def describe(plan: importer.Plan) -> list[str]:
    lines = []
    for row in plan.rows:
        if plan.kind == "targets":
            how = row.key or "reported"
            lines.append(f"  row {row.line}: [{row.outcome}] {row.period} {row.target_value} {row.unit} "
                         f"→ {how}: {row.text[:70]}")
            continue
        parsed = row.parsed
        when = "?"
        if parsed is not None:
            when = "FLAGGED (needs a date)" if parsed.unparsed else f"due {parsed.due:%d/%m/%Y}"
            if parsed.yearly:
                when += f", yearly {parsed.span_start}-{parsed.span_end}"
            if parsed.recurring:
                when += ", recurring"
        leads = ", ".join(a.name for a, _p in row.leads) or "-"
        lines.append(f"  row {row.line}: [{row.outcome}] {row.year}/{row.number} \"{row.timeline}\" → {when}; "
                     f"lead: {leads}; coordinators: {len(row.coordinators)}")
        for name in row.unmatched:
            lines.append(f"      unmatched agency: {name}")
        for problem in row.problems:
            lines.append(f"      PROBLEM: {problem}")
    return lines


class Command(BaseCommand):
    help = "Import a programme file (tasks CSV/XLSX or targets CSV). Dry run unless --apply."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--apply", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        plan = importer.read(path.name, path.read_bytes())
        for line in describe(plan):
            self.stdout.write(line)
        for error in plan.errors:
            self.stdout.write(f"ERROR: {error}")
        if plan.unmatched:
            self.stdout.write("Unmatched agency names (map them once in the workspace):")
            for name in plan.unmatched:
                self.stdout.write(f"  - {name}")
        self.stdout.write(f"{plan.kind}: {len(plan.rows)} rows, {plan.counts()}")
        if not options["apply"]:
            self.stdout.write("Dry run: nothing written (use --apply).")
            return
        try:
            counts = services.programme_import(plan=plan, actor=None, source=path.name)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Applied: {counts}")
