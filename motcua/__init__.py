"""Một Cửa: the electronic one-stop shop for a province's administrative procedures."""
from motcua.celery import app as celery_app

__all__ = ("celery_app",)
