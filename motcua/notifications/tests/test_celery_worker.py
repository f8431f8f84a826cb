"""A real Celery worker (in a thread) on Redis delivers the outbox: retries after a failure, sends exactly once."""
import threading
from collections import defaultdict
from datetime import timedelta

import pytest
import time_machine
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import transaction
from django.utils import timezone

from motcua.notifications.models import DeliveryAttempt, OutboxMessage, Status
from motcua.notifications.providers import TemporaryDeliveryError
from motcua.notifications.services import notification_enqueue
from motcua.notifications.tasks import deliver_outbox

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database number of its own, flushed before and after
MESSAGES = 5

pytestmark = pytest.mark.django_db(transaction=True)


class FlakySmsProvider:
    """Fails with a temporary error while `failing` is set; records each call's outcome per message text."""

    lock = threading.Lock()
    failing = True
    outcomes: dict[str, list[bool]] = defaultdict(list)

    def send_sms(self, phone: str, text: str) -> None:
        with self.lock:
            ok = not self.failing
            self.outcomes[text].append(ok)
        if not ok:
            raise TemporaryDeliveryError("gateway down (test)")


class FinishedTasks:
    """Counts deliver_outbox runs finished by the worker, so the test waits on events, not on sleeps."""

    def __init__(self):
        self.count = 0
        self.condition = threading.Condition()

    def __call__(self, sender=None, **kwargs):
        if getattr(sender, "name", None) == deliver_outbox.name:
            with self.condition:
                self.count += 1
                self.condition.notify_all()

    def wait_for(self, count: int, timeout: float = 30):
        with self.condition:
            assert self.condition.wait_for(lambda: self.count >= count, timeout), (
                f"the worker finished {self.count} of {count} deliver_outbox runs within {timeout}s"
            )


@pytest.fixture
def redis_db():
    redis = pytest.importorskip("redis", reason="the redis client is not installed")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Celery worker test skipped: Redis is not reachable at 127.0.0.1:6379 ({exc})")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def worker(redis_db, settings):
    """A Celery app configured like motcua's but on the test Redis database, with an embedded worker thread.

    A separate app, so that motcua's own app (eager in the other tests, its producer pool made for no broker)
    is left as it was; the shared task `deliver_outbox` belongs to every app.
    """
    from motcua.celery import app as motcua_app

    settings.CELERY_BROKER_URL = REDIS_URL  # the after-commit nudge goes to the broker, as in production
    settings.SMS_PROVIDER = f"{__name__}.FlakySmsProvider"
    FlakySmsProvider.failing = True
    FlakySmsProvider.outcomes.clear()
    app = Celery("motcua_worker_test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=REDIS_URL, result_backend=None, task_always_eager=False, task_ignore_result=True,
                    worker_hijack_root_logger=False)
    finished = FinishedTasks()
    task_postrun.connect(finished, weak=False)
    try:
        # start_worker makes `app` the current and default app, so deliver_outbox.delay() goes to its broker.
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
            yield finished
    finally:
        task_postrun.disconnect(finished)
        app.close()
        motcua_app.set_current()
        motcua_app.set_default()
        FlakySmsProvider.outcomes.clear()


def test_worker_retries_after_a_failure_and_sends_each_message_exactly_once(worker):
    with transaction.atomic():
        ids = [
            notification_enqueue(channel="sms", recipient="0912345678", body=f"Hồ sơ {n} đã được tiếp nhận.",
                                 kind="dossier.receive", object_type="dossier", object_id=f"H47-{n:04d}").pk
            for n in range(MESSAGES)
        ]
    worker.wait_for(1)  # the commit nudged the worker, which tried and failed
    deliver_outbox.delay()  # nothing is due yet: the messages wait for their next attempt
    worker.wait_for(2)

    messages = OutboxMessage.objects.filter(pk__in=ids)
    assert {(m.status, m.attempts) for m in messages} == {(Status.PENDING, 1)}
    assert all(m.next_attempt_at > timezone.now() for m in messages)
    assert DeliveryAttempt.objects.filter(message__in=ids, ok=False).count() == MESSAGES
    assert dict(FlakySmsProvider.outcomes) == {m.body: [False] for m in messages}

    FlakySmsProvider.failing = False
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=True):
        deliver_outbox.delay()
        worker.wait_for(3)
        deliver_outbox.delay()  # a further run finds nothing left to send
        worker.wait_for(4)

    messages = OutboxMessage.objects.filter(pk__in=ids)
    assert {m.status for m in messages} == {Status.SENT}
    assert all(m.sent_at is not None and m.attempts == 2 for m in messages)
    for message in messages:
        assert FlakySmsProvider.outcomes[message.body] == [False, True], "sent exactly once, after one failure"
        assert list(message.delivery_attempts.values_list("ok", flat=True)) == [False, True]
