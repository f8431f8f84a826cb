"""App configuration for ratings."""
from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    verbose_name = "Đánh giá mức độ hài lòng"

    def ready(self):
        from motcua import hooks
        from motcua.ratings.hooks import on_dossier_told

        hooks.subscribe(hooks.DOSSIER_TOLD, on_dossier_told)
