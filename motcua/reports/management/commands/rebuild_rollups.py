"""`manage.py rebuild_rollups`: recount the supervision rollups from the dossiers (idempotent)."""
import time

from django.core.management.base import BaseCommand

from motcua.reports.rollups import rebuild


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp số liệu thống kê từ hồ sơ (chạy lại nhiều lần cho cùng kết quả)."

    def handle(self, *args, **options):
        started = time.monotonic()
        made = rebuild()
        self.stdout.write(f"Rollups rebuilt: {made['dossiers']} dossiers, {made['daily_counts']} daily counts "
                          f"in {time.monotonic() - started:.1f} s.")
