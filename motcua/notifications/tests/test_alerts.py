"""One alert per outage of a channel: after NOTIFY_ALERT_AFTER temporary failures in a row, reset by a success."""
import logging
from datetime import timedelta

import pytest
from django.core import mail

from motcua.notifications.models import ChannelHealth, OutboxMessage
from motcua.notifications.providers import PermanentDeliveryError, TemporaryDeliveryError
from motcua.notifications.queries import channel_health
from motcua.notifications.services import ALERT_KIND, notification_enqueue, outbox_deliver
from motcua.notifications.tests.fakes import RefusingEmailBackend

pytestmark = pytest.mark.django_db

ALERTS = "motcua.notifications.alerts"


@pytest.fixture
def alerting(settings, caplog):
    settings.NOTIFY_ALERT_AFTER = 5
    settings.ADMINS = [("", "vanhanh@example.org"), ("", "truc@example.org")]
    caplog.set_level(logging.INFO, logger=ALERTS)
    return caplog


def alerts(caplog):
    return [r for r in caplog.records if r.name == ALERTS and r.levelno == logging.ERROR]


def queue_sms(text):
    return notification_enqueue(channel="sms", recipient="0912345678", body=text, kind="dossier.receive")


def run(frozen, times=1):
    for _ in range(times):
        outbox_deliver()
        frozen.shift(timedelta(hours=1))  # past any back-off: every pending message is tried again


def test_one_alert_after_n_failures_in_a_row_not_one_per_message(sms, frozen, alerting):
    sms.fail_with = TemporaryDeliveryError("gateway down")
    for n in range(3):
        queue_sms(f"tin {n}")
    run(frozen)  # 3 failures in a row: below the threshold
    assert alerts(alerting) == []
    assert ChannelHealth.objects.get(channel="sms").failures_in_row == 3

    run(frozen, times=4)  # 15 failures in all

    [record] = alerts(alerting)
    assert "sms" in record.getMessage() and "gateway down" in record.getMessage()
    queued = OutboxMessage.objects.filter(kind=ALERT_KIND)
    assert sorted(queued.values_list("channel", "recipient")) == [("email", "truc@example.org"),
                                                                  ("email", "vanhanh@example.org")]
    assert sorted(m.to[0] for m in mail.outbox) == ["truc@example.org", "vanhanh@example.org"], (
        "the alert went out by e-mail while SMS was down")
    assert ChannelHealth.objects.get(channel="sms").failures_in_row == 15


def test_a_success_ends_the_outage_and_the_next_outage_alerts_again(sms, frozen, alerting):
    sms.fail_with = TemporaryDeliveryError("gateway down")
    for n in range(5):
        queue_sms(f"tin {n}")
    run(frozen)
    assert len(alerts(alerting)) == 1
    sms.fail_with = None
    run(frozen)
    health = ChannelHealth.objects.get(channel="sms")
    assert (health.failures_in_row, health.alerted_at, health.failing_since) == (0, None, None)
    assert health.recovered_at is not None

    sms.fail_with = TemporaryDeliveryError("down again")
    for n in range(5):
        queue_sms(f"lần hai {n}")
    run(frozen)
    assert len(alerts(alerting)) == 2
    assert "down again" in alerts(alerting)[1].getMessage()


def test_failures_broken_by_a_success_do_not_alert(sms, frozen, alerting):
    for n in range(4):
        queue_sms(f"a {n}")
    sms.fail_with = TemporaryDeliveryError("busy")
    run(frozen)  # 4 failures
    sms.fail_with = None
    queue_sms("ok")
    outbox_deliver()  # 5 successes end the run of failures
    sms.fail_with = TemporaryDeliveryError("busy")
    for n in range(4):
        queue_sms(f"b {n}")
    frozen.shift(timedelta(hours=1))
    run(frozen)  # 4 more failures
    assert alerts(alerting) == []
    assert not OutboxMessage.objects.filter(kind=ALERT_KIND).exists()


def test_permanent_refusals_are_about_the_message_not_an_outage(sms, frozen, alerting):
    sms.fail_with = PermanentDeliveryError("no such subscriber")
    for n in range(10):
        queue_sms(f"tin {n}")
    run(frozen)
    assert alerts(alerting) == []
    assert {h.channel: h.failures_in_row for h in channel_health()} == {"email": 0, "sms": 0}


def test_when_e_mail_is_down_the_alert_is_logged_and_not_sent_through_e_mail(frozen, alerting, settings,
                                                                            monkeypatch):
    settings.EMAIL_BACKEND = "motcua.notifications.tests.fakes.RefusingEmailBackend"
    monkeypatch.setattr(RefusingEmailBackend, "error", ConnectionRefusedError(111, "Connection refused"))
    for n in range(5):
        notification_enqueue(channel="email", recipient="dan@example.org", subject="Hồ sơ", body=f"{n}",
                             kind="dossier.receive")
    run(frozen, times=2)
    [record] = alerts(alerting)
    assert "email" in record.getMessage()
    assert not OutboxMessage.objects.filter(kind=ALERT_KIND).exists(), "no alert e-mail through the failing channel"


def test_without_admins_the_alert_is_only_logged(sms, frozen, alerting, settings):
    settings.ADMINS = []
    sms.fail_with = TemporaryDeliveryError("gateway down")
    for n in range(5):
        queue_sms(f"tin {n}")
    run(frozen)
    assert len(alerts(alerting)) == 1
    assert "No ADMINS" in alerting.text
    assert not OutboxMessage.objects.filter(kind=ALERT_KIND).exists()
