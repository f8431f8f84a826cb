"""App configuration for online filings and the citizen's document store."""
from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "motcua.filings"
    verbose_name = "Nộp hồ sơ trực tuyến"
