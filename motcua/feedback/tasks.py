"""Feedback's periodic job: reminders of items due soon, and closing items whose sender never sent what was asked."""
from celery import shared_task


@shared_task(name="motcua.feedback.tasks.feedback_jobs")
def feedback_jobs() -> int:
    from motcua.feedback.reminders import remind_due_soon
    from motcua.feedback.services import feedback_expire_waiting

    return feedback_expire_waiting() + remind_due_soon()
