"""The SMS gateway down for two days, then back (issue 13 §3): nothing lost, nothing sent twice, back-off, one alert."""
import logging
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core import mail

from motcua import clock
from motcua.notifications.models import ChannelHealth, DeliveryAttempt, OutboxMessage, Status
from motcua.notifications.providers import TemporaryDeliveryError
from motcua.notifications.queries import messages_visible_to, stuck_messages
from motcua.notifications.services import ALERT_KIND, notification_enqueue, outbox_deliver, outbox_resend_many
from motcua.notifications.tests.conftest import START

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
OUTAGE = timedelta(days=2)
BACKOFF_MINUTES = [1, 2, 4, 8, 16, 32, 60]  # between the 8 attempts NOTIFY_MAX_ATTEMPTS allows


def queue(text):
    return notification_enqueue(channel="sms", recipient="0912345678", body=text, kind="dossier.receive",
                                object_type="dossier", object_id=text)


def beat(frozen, until, *, arrivals=()):
    """Celery beat's schedule: a delivery run every minute until `until`; `arrivals` are (when, text) to queue.

    Minutes in which nothing is due are skipped (a run then does nothing), so two days take a few hundred runs.
    """
    arrivals = sorted(arrivals)
    while clock.now() < until:
        while arrivals and arrivals[0][0] <= clock.now():
            queue(arrivals.pop(0)[1])
        outbox_deliver(worker="beat")
        due = OutboxMessage.objects.filter(status=Status.PENDING).order_by("next_attempt_at").first()
        upcoming = [until] + ([due.next_attempt_at] if due else []) + ([arrivals[0][0]] if arrivals else [])
        minutes = max(-(-(min(upcoming) - clock.now()) // MINUTE), 1)  # the next whole minute that matters
        frozen.shift(minutes * MINUTE)


@pytest.fixture
def outage_settings(settings):
    settings.NOTIFY_MAX_ATTEMPTS = 8
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    settings.NOTIFY_RETRY_MAX_SECONDS = 3600
    settings.NOTIFY_ALERT_AFTER = 5
    settings.ADMINS = [("Trực vận hành", "vanhanh@example.org")]
    return settings


def test_a_two_day_gateway_outage_loses_nothing_and_sends_nothing_twice(
    sms, frozen, outage_settings, admin_user, caplog
):
    caplog.set_level(logging.ERROR, logger="motcua.notifications.alerts")
    sms.fail_with = TemporaryDeliveryError("gateway unreachable")
    early = [queue(f"sớm {n}") for n in range(5)]  # queued as the gateway goes down
    # More arrive through the outage, the last one shortly before the gateway is back.
    arrivals = [(START + timedelta(hours=6 * k), f"giữa {k}") for k in range(1, 8)]
    arrivals.append((START + OUTAGE - timedelta(minutes=30), "muộn"))

    beat(frozen, START + OUTAGE, arrivals=arrivals)

    texts = [m.body for m in early] + [text for _when, text in arrivals]
    messages = {m.body: m for m in OutboxMessage.objects.filter(kind="dossier.receive")}
    assert sorted(messages) == sorted(texts), "every message is kept"
    assert not DeliveryAttempt.objects.filter(ok=True, message__kind="dossier.receive").exists()

    # Back-off: each message that used its attempts was tried 8 times, 1, 2, 4 … 32, 60 minutes apart, then gave up.
    by_message = defaultdict(list)
    for message_id, at in DeliveryAttempt.objects.filter(message__kind="dossier.receive").values_list(
        "message_id", "at"
    ).order_by("at", "id"):
        by_message[message_id].append(at)
    for text, message in messages.items():
        times = by_message[message.pk]
        gaps = [(later - earlier) / MINUTE for earlier, later in zip(times, times[1:], strict=False)]
        if text == "muộn":  # still retrying when the gateway comes back
            assert message.status == Status.PENDING and gaps == BACKOFF_MINUTES[: len(gaps)]
        else:
            assert message.status == Status.FAILED, text
            assert gaps == BACKOFF_MINUTES, text
    failed = {m.pk for m in stuck_messages(messages_visible_to(admin_user), state="failed")}
    assert failed == {m.pk for t, m in messages.items() if t != "muộn"}, "every message that gave up is listed"

    # One alert for the whole outage, not one per message or per failure, and by e-mail (SMS is what is down).
    alerts = [r for r in caplog.records if r.name == "motcua.notifications.alerts" and r.levelno == logging.ERROR]
    assert len(alerts) == 1 and "sms" in alerts[0].getMessage()
    alert_mail = [m for m in mail.outbox if m.to == ["vanhanh@example.org"]]
    assert len(alert_mail) == 1 and "SMS" in alert_mail[0].subject
    assert OutboxMessage.objects.filter(kind=ALERT_KIND).count() == 1
    health = ChannelHealth.objects.get(channel="sms")
    assert health.alerted_at is not None and health.failures_in_row == len(DeliveryAttempt.objects.filter(
        message__kind="dossier.receive"))

    # The gateway is back: the waiting message goes out by itself; an administrator resends those that gave up.
    sms.fail_with = None
    calls_before = len(sms.calls)
    outcome = outbox_resend_many(message_ids=failed, actor=admin_user)
    assert sorted(outcome.resent) == sorted(failed)
    again = outbox_resend_many(message_ids=failed, actor=admin_user)  # a second click changes nothing
    assert again.resent == [] and set(again.skipped) == failed
    beat(frozen, START + OUTAGE + timedelta(hours=2))

    sent_after = Counter(text for _phone, text in sms.calls[calls_before:])
    assert sent_after == Counter(texts), "after the outage every message went out exactly once"
    for message in OutboxMessage.objects.filter(kind="dossier.receive"):
        assert message.status == Status.SENT
        assert message.delivery_attempts.filter(ok=True).count() == 1
    health.refresh_from_db()
    assert (health.failures_in_row, health.alerted_at) == (0, None), "the success ended the outage"
    assert len([r for r in caplog.records if r.name == "motcua.notifications.alerts"]) == 1
    assert not stuck_messages(messages_visible_to(admin_user)).exists()
