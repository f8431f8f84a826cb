"""The reform programme app (QĐ 1908/QĐ-UBND): tasks, targets, agencies' quarterly reports."""
from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "motcua.programme"
    label = "programme"
    verbose_name = "Chương trình cải cách hành chính"
    default_auto_field = "django.db.models.BigAutoField"
