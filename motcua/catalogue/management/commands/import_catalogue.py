"""`manage.py import_catalogue FILE [--apply]`: check, and with --apply write, a catalogue XLSX or CSV."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalogue.transfer import catalogue_import
from motcua.errors import InvalidInput


class Command(BaseCommand):
    help = "Import procedures from an XLSX or CSV file (docs/catalogue-import.md). A dry run unless --apply."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="write the changes (every row, or none)")
        parser.add_argument("--draft", action="store_true", help="record changes as drafts, not published")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.")
        try:
            # No actor: like loaddemo, a command run on the server acts for the system.
            report = catalogue_import(content=content, filename=path.name, actor=None,
                                      dry_run=not options["apply"], publish=not options["draft"])
        except InvalidInput as exc:
            raise CommandError(exc.message)
        for error in report.errors:
            self.stderr.write(str(error))
        verb = "Đã ghi" if report.applied else "Chạy thử, không ghi gì"
        self.stdout.write(
            f"{verb}: {report.total} thủ tục — {report.created} mới, {report.revised} sửa đổi, "
            f"{report.unchanged} không đổi."
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} lỗi; không ghi thủ tục nào.")
