"""Scheduled dossier work for Celery beat (production) or the in-process scheduler (`make run`)."""
from celery import shared_task

from motcua.dossiers.reminders import remind_due_soon as _remind_due_soon


@shared_task(name="motcua.dossiers.tasks.remind_due_soon")
def remind_due_soon() -> int:
    return _remind_due_soon()
