"""App configuration for the working-time calendar."""
from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "motcua.workcal"
    verbose_name = "Lịch làm việc"
