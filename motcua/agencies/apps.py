"""App configuration for the organisation tree."""
from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "motcua.agencies"
    verbose_name = "Cơ quan, đơn vị"
