"""The Celery app: `celery -A motcua worker -l info` runs tasks, `celery -A motcua beat -l info` runs schedules.

Configuration comes from Django settings named `CELERY_*` (docs/notifications.md). Without `CELERY_BROKER_URL`
tasks run eagerly in the calling process, which is the embedded default.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Celery's "current app" is per thread and only the importing thread gets this one; without a default, a
# shared task queued from another thread (threaded runserver, gunicorn gthread) would use Celery's unconfigured
# fallback app (amqp://localhost, not eager).
app.set_default()
