"""App configuration for online filings and the citizen's document store."""
from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "motcua.filings"
    verbose_name = "Nộp hồ sơ trực tuyến"

    def ready(self):
        from motcua import hooks
        from motcua.filings.hooks import on_dossier_told

        hooks.subscribe(hooks.DOSSIER_TOLD, on_dossier_told)
