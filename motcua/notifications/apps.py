"""App configuration for notifications; starts the in-process jobs when MOTCUA_INPROCESS_JOBS is on."""
import logging
import os
import sys

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = "Thông báo"
    scheduler = None  # the in-process scheduler of this process, if started

    def ready(self):
        from motcua.notifications import scheduler, tasks  # noqa: F401 - registers the delivery task by name

        if not inprocess_jobs_enabled() or not scheduler.should_start(sys.argv, os.environ):
            return
        if NotificationsConfig.scheduler is None:
            NotificationsConfig.scheduler = scheduler.start_inprocess_scheduler(inprocess_jobs())


def inprocess_jobs_enabled() -> bool:
    from django.conf import settings

    from motcua.envconf import env_bool

    value = getattr(settings, "MOTCUA_INPROCESS_JOBS", None)
    return env_bool("MOTCUA_INPROCESS_JOBS", False) if value is None else bool(value)


def inprocess_jobs() -> list:
    """Outbox delivery, plus the (dotted path, seconds) entries of MOTCUA_INPROCESS_SCHEDULE (e.g. reminders)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from motcua.notifications.services import DEFAULT_BATCH_SIZE, outbox_deliver

    def deliver_outbox():
        limit = getattr(settings, "NOTIFY_BATCH_SIZE", DEFAULT_BATCH_SIZE)
        outbox_deliver(limit=limit, worker=f"inprocess:{os.getpid()}")

    jobs = [(deliver_outbox, getattr(settings, "NOTIFY_INPROCESS_INTERVAL_SECONDS", 60))]
    for path, seconds in getattr(settings, "MOTCUA_INPROCESS_SCHEDULE", []):
        try:
            jobs.append((import_string(path), seconds))
        except ImportError:
            logger.error("MOTCUA_INPROCESS_SCHEDULE: cannot import %s; that job is not scheduled.", path)
    return jobs
