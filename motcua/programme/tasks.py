"""Scheduled programme work for Celery beat (production) or the in-process scheduler (`make run`)."""
from celery import shared_task

from motcua.programme.reminders import remind_reports as _remind_reports


@shared_task(name="motcua.programme.tasks.remind_reports")
def remind_reports() -> int:
    return _remind_reports()
