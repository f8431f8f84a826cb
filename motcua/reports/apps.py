"""App configuration for reports: the rollups follow every dossier change through `motcua.hooks`."""
from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = "Thống kê, đánh giá"

    def ready(self):
        from motcua import hooks
        from motcua.reports.rollups import on_dossier_changed

        hooks.subscribe(hooks.DOSSIER_CHANGED, on_dossier_changed)
