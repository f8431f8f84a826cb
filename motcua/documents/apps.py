"""App configuration for the printed papers."""
from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    verbose_name = "Biểu mẫu, phiếu in"
