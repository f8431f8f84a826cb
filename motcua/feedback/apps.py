"""App configuration for feedback; subscribes to unhappy ratings (motcua.hooks)."""
from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self):
        from motcua import hooks
        from motcua.feedback.subscribers import on_rating_recorded

        hooks.subscribe(hooks.RATING_RECORDED, on_rating_recorded)
