"""The Celery task and the after-commit nudge: in-process without a broker, a task with one."""
import threading

import pytest
from celery import current_app
from django.db import transaction

from motcua.notifications import services
from motcua.notifications.models import OutboxMessage, Status
from motcua.notifications.services import notification_enqueue
from motcua.notifications.tasks import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(settings):
    """No broker: tasks run in the calling process (the embedded default), whatever the environment says."""
    from motcua.celery import app

    settings.CELERY_BROKER_URL = ""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def enqueue(text):
    return notification_enqueue(channel="sms", recipient="0912345678", body=text, kind="test")


def test_deliver_outbox_runs_eagerly_without_a_broker(sms):
    enqueue("một")
    enqueue("hai")
    result = deliver_outbox.delay().get()
    assert (result["claimed"], result["sent"]) == (2, 2)
    assert result["worker"].startswith("celery@")


def test_deliver_outbox_drains_batch_after_batch(sms, settings):
    settings.NOTIFY_BATCH_SIZE = 2
    for n in range(5):
        enqueue(f"tin {n}")
    assert deliver_outbox.delay().get()["sent"] == 5
    assert not OutboxMessage.objects.exclude(status=Status.SENT).exists()


def test_with_a_broker_the_commit_queues_one_task(sms, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    queued = []
    monkeypatch.setattr(deliver_outbox, "apply_async", lambda **kwargs: queued.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue("một")
            enqueue("hai")
        assert queued == []
    assert len(queued) == 1
    assert queued[0]["expires"] == services.KICK_EXPIRES_SECONDS
    assert sms.calls == [], "the worker sends, not the web process"


def test_an_unreachable_broker_leaves_the_messages_queued(sms, settings, monkeypatch, caplog,
                                                         django_capture_on_commit_callbacks):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/15"

    def refuse(**kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(deliver_outbox, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue("một")
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert "scheduled run will deliver" in caplog.text


def test_tasks_queued_from_other_threads_use_motcuas_celery_app():
    seen = []
    thread = threading.Thread(target=lambda: seen.append((current_app.main, deliver_outbox.app.main)))
    thread.start()
    thread.join()
    assert seen == [("motcua", "motcua")], "a request thread must not fall back to Celery's unconfigured app"
