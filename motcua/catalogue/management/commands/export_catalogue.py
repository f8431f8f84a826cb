"""`manage.py export_catalogue --format csv|xlsx --output FILE`: the published catalogue as a file."""
from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.catalogue.models import ProcedureVersion
from motcua.catalogue.transfer import catalogue_export


class Command(BaseCommand):
    help = "Write the published procedures to a CSV or XLSX file that import_catalogue reads back."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, **options):
        versions = ProcedureVersion.objects.published()
        options["output"].write_bytes(catalogue_export(versions=versions, fmt=options["format"]))
        self.stdout.write(f"Đã xuất {versions.count()} thủ tục vào {options['output']}.")
