"""App configuration for the working-time calendar."""
from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "motcua.workcal"
    verbose_name = "Lịch làm việc"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from motcua.workcal.models import CalendarOverride, OfficeHours
        from motcua.workcal.services import tables_changed

        for model in (CalendarOverride, OfficeHours):
            post_save.connect(tables_changed, sender=model, dispatch_uid=f"workcal-{model.__name__}-save")
            post_delete.connect(tables_changed, sender=model, dispatch_uid=f"workcal-{model.__name__}-delete")
