"""Concurrent workers and concurrent queueing on PostgreSQL: no message is sent twice, no dedupe key queued twice,
one alert for an outage seen by every worker at once."""
import logging
import threading
import time

import pytest
from django.db import connection, connections, transaction

from motcua import clock
from motcua.notifications.models import Channel, ChannelHealth, OutboxMessage, Status
from motcua.notifications.providers import TemporaryDeliveryError
from motcua.notifications.services import ALERT_KIND, notification_enqueue, outbox_deliver

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 4
MESSAGES = 240


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency test skipped on SQLite: it needs PostgreSQL's row locks and concurrent "
                    "transactions (run with DATABASE_URL=postgres://...)")


def run_in_threads(target, count: int) -> list[BaseException]:
    """Run `target(index)` in `count` threads started together; returns the errors they raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def body(index):
        try:
            barrier.wait()
            target(index)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a worker thread hung"
    return errors


@pytest.mark.parametrize("skip_locked", [True, False], ids=["skip-locked", "conditional-update-only"])
def test_concurrent_deliveries_never_send_a_message_twice(sms, skip_locked, monkeypatch):
    if not skip_locked:
        # Every worker then picks the same candidates, and only the conditional UPDATE keeps them apart.
        monkeypatch.setattr(type(connection.features), "has_select_for_update_skip_locked", False)
    now = clock.now()
    # Rows written directly, so that no after-commit delivery runs before the workers start.
    OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=Channel.SMS, recipient="+84912345678", body=f"tin {n}", kind="test",
                      next_attempt_at=now, created_at=now)
        for n in range(MESSAGES)
    )
    claimed = [0] * WORKERS

    def work(index):
        while OutboxMessage.objects.filter(status__in=[Status.PENDING, Status.SENDING]).exists():
            claimed[index] += outbox_deliver(limit=15, worker=f"thread-{index}").claimed

    errors = run_in_threads(work, WORKERS)

    assert errors == []
    per_message = sms.count_by_text()
    assert len(per_message) == MESSAGES
    assert set(per_message.values()) == {1}, "every message went to the provider exactly once"
    assert OutboxMessage.objects.filter(status=Status.SENT, attempts=1).count() == MESSAGES
    assert sum(claimed) == MESSAGES
    assert sum(1 for c in claimed if c) >= 2, "the work was shared between workers"


def test_concurrent_enqueue_with_one_dedupe_key_queues_once_and_keeps_both_transactions(sms):
    first_inserted = threading.Event()
    results = {}

    def first(_index):
        with transaction.atomic():
            results["first"] = notification_enqueue(channel="sms", recipient="0912345678", body="nhắc",
                                                    kind="step.due_soon", dedupe_key="step:7:due_soon")
            first_inserted.set()
            # Hold the transaction open until the second one is blocked on the unique index.
            deadline = time.monotonic() + 10
            while not _someone_waits_on_a_lock():
                assert time.monotonic() < deadline, "the second transaction never waited on the first"
                time.sleep(0.01)

    def second(_index):
        assert first_inserted.wait(10)
        with transaction.atomic():
            results["second"] = notification_enqueue(channel="sms", recipient="0912345678", body="nhắc",
                                                     kind="step.due_soon", dedupe_key="step:7:due_soon")
            # The caller's transaction is still usable after losing the race.
            results["other"] = notification_enqueue(channel="sms", recipient="0912345678", body="khác",
                                                    kind="test")

    errors = run_in_threads(lambda index: (first, second)[index](index), 2)

    assert errors == []
    assert results["first"] is not None
    assert results["second"] is None
    assert OutboxMessage.objects.filter(dedupe_key="step:7:due_soon").count() == 1
    assert OutboxMessage.objects.filter(body="khác").exists()


def _someone_waits_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # activity is otherwise frozen for the transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_concurrent_workers_failing_together_raise_one_alert(sms, settings, caplog):
    settings.NOTIFY_ALERT_AFTER = 5
    settings.ADMINS = [("", "vanhanh@example.org")]
    caplog.set_level(logging.ERROR, logger="motcua.notifications.alerts")
    sms.fail_with = TemporaryDeliveryError("gateway down")
    now = clock.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=Channel.SMS, recipient="+84912345678", body=f"tin {n}", kind="test",
                      next_attempt_at=now, created_at=now)
        for n in range(60)
    )

    def work(index):
        while outbox_deliver(limit=3, worker=f"thread-{index}").claimed:
            pass

    assert run_in_threads(work, WORKERS) == []

    alerts = [r for r in caplog.records if r.name == "motcua.notifications.alerts" and r.levelno == logging.ERROR]
    assert len(alerts) == 1, "one alert, whichever worker crossed the threshold"
    assert OutboxMessage.objects.filter(kind=ALERT_KIND).count() == 1
    assert ChannelHealth.objects.get(channel="sms").failures_in_row == 60, "no failure lost to a race"
