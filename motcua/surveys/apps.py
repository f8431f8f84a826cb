"""App configuration for surveys."""
from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "motcua.surveys"
    verbose_name = "Khảo sát sự hài lòng (SIPAS)"
