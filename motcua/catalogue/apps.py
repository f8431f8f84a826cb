"""App configuration for the procedure catalogue."""
from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "motcua.catalogue"
    verbose_name = "Cơ sở dữ liệu thủ tục hành chính"
