"""Celery tasks of the notifications app. A task is only a nudge: the outbox table holds the truth, so a lost or
duplicated task costs nothing (the next run, or the claim, takes care of it)."""
import os
import time

from celery import shared_task
from django.conf import settings

import motcua.celery  # noqa: F401  (configures Celery from Django settings even where motcua/__init__ does not)
from motcua.notifications.services import DEFAULT_BATCH_SIZE, DELIVERY_TASK, DeliveryReport, outbox_deliver

# A run keeps draining full batches for at most this long, so that beat's next run (a minute later) takes over.
RUN_BUDGET_SECONDS = 50


@shared_task(bind=True, name=DELIVERY_TASK, ignore_result=True)
def deliver_outbox(self) -> dict:
    """Deliver every due outbox message, batch after batch, for up to RUN_BUDGET_SECONDS."""
    limit = getattr(settings, "NOTIFY_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    host = self.request.hostname or "eager"  # a worker's hostname is already "celery@host"
    worker = f"{host if '@' in host else 'celery@' + host}:{os.getpid()}"
    deadline = time.monotonic() + RUN_BUDGET_SECONDS
    total = DeliveryReport(worker=worker)
    while True:
        report = outbox_deliver(limit=limit, worker=worker)
        for field in ("reclaimed", "claimed", "sent", "retrying", "failed"):
            setattr(total, field, getattr(total, field) + getattr(report, field))
        if report.claimed < limit or time.monotonic() > deadline:
            return total.as_dict()
