"""Queueing, delivering, retrying, giving up, reclaiming and resending outbox messages."""
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from motcua.audit.models import AuditEntry
from motcua.errors import Conflict, InvalidInput, PermissionDenied
from motcua.notifications import services
from motcua.notifications.models import DeliveryAttempt, OutboxMessage, Status
from motcua.notifications.providers import PermanentDeliveryError, TemporaryDeliveryError
from motcua.notifications.services import notification_enqueue, outbox_deliver, outbox_resend, retry_delay
from motcua.notifications.tests.conftest import START

pytestmark = pytest.mark.django_db


def enqueue_sms(text="Hồ sơ 000.20.21.H47-261127-0001 đã được tiếp nhận.", *, phone="0912345678", **kwargs):
    kwargs.setdefault("kind", "dossier.receive")
    return notification_enqueue(channel="sms", recipient=phone, body=text, object_type="dossier",
                                object_id="000.20.21.H47-261127-0001", **kwargs)


def attempts_of(message) -> list[bool]:
    return list(DeliveryAttempt.objects.filter(message=message).order_by("at", "id").values_list("ok", flat=True))


# --- queueing --------------------------------------------------------------------------------------------------


def test_enqueue_in_a_transaction_that_rolls_back_queues_nothing(sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        assert enqueue_sms() is not None
        raise RuntimeError("the dossier change failed")
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []
    assert sms.calls == []


def test_delivery_starts_once_and_only_after_commit(sms, django_capture_on_commit_callbacks, monkeypatch):
    runs = []
    real_deliver = services.outbox_deliver
    monkeypatch.setattr(services, "outbox_deliver", lambda **kw: runs.append(kw) or real_deliver(**kw))
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            first = enqueue_sms("một")
            second = enqueue_sms("hai")
            notification_enqueue(channel="email", recipient="dan@example.org", subject="Hồ sơ", body="ba",
                                 kind="dossier.receive")
        assert sms.calls == [], "nothing talks to the outside before the commit"

    for callback in callbacks:  # what Django runs after the commit (no broker configured: delivery in-process)
        callback()

    assert len(runs) == 1, "one delivery run per commit, however many messages"
    assert sorted(text for _phone, text in sms.calls) == ["hai", "một"]
    assert {m.status for m in OutboxMessage.objects.filter(pk__in=[first.pk, second.pk])} == {Status.SENT}
    assert [m.to for m in mail.outbox] == [["dan@example.org"]]


def test_duplicate_dedupe_key_is_queued_once(sms):
    first = enqueue_sms(dedupe_key="step:42:due_soon")
    again = enqueue_sms(dedupe_key="step:42:due_soon")
    assert first is not None
    assert again is None
    assert OutboxMessage.objects.filter(dedupe_key="step:42:due_soon").count() == 1


def test_messages_without_dedupe_key_are_all_queued(sms):
    enqueue_sms()
    enqueue_sms(dedupe_key="")
    assert OutboxMessage.objects.count() == 2
    assert not OutboxMessage.objects.exclude(dedupe_key=None).exists()


@pytest.mark.parametrize("recipient", [None, "", "   "])
@pytest.mark.parametrize("channel", ["sms", "email"])
def test_empty_recipient_queues_nothing(channel, recipient):
    result = notification_enqueue(channel=channel, recipient=recipient, subject="Hồ sơ", body="x", kind="k")
    assert result is None
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("+84 912.345.678", "+84912345678"),
        ("+84-35-123-4567", "+84351234567"),
        ("+84 0912 345 678", "+84912345678"),  # the trunk 0 kept after the country code
        ("02353812345", "+842353812345"),  # a Quảng Nam landline: accepted like the desk accepts it
    ],
)
def test_phone_numbers_are_stored_in_plus_84_form(typed, stored):
    assert enqueue_sms(phone=typed).recipient == stored


@pytest.mark.parametrize("phone", ["091234567", "091234567890", "84912345678", "+1 202 555 0100", "09123abc78",
                                   "+840912345678x"])
def test_bad_phone_number_is_refused_with_a_clear_message(phone):
    with pytest.raises(InvalidInput) as caught:
        enqueue_sms(phone=phone)
    assert "Số điện thoại" in caught.value.message
    assert phone in caught.value.message
    assert caught.value.detail == {"field": "recipient", "value": phone}
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("address", ["dan", "dan@", "@example.org", "dan@example", "dan example@example.org"])
def test_bad_email_address_is_refused_with_a_clear_message(address):
    with pytest.raises(InvalidInput) as caught:
        notification_enqueue(channel="email", recipient=address, subject="Hồ sơ", body="x", kind="k")
    assert "thư điện tử" in caught.value.message
    assert OutboxMessage.objects.count() == 0


def test_email_domain_is_lower_cased_and_subject_required():
    message = notification_enqueue(channel="email", recipient=" Dan.Nguyen@Example.ORG ", subject="  Hồ sơ \n 1 ",
                                   body="x", kind="k")
    assert message.recipient == "Dan.Nguyen@example.org"
    assert message.subject == "Hồ sơ 1"
    with pytest.raises(InvalidInput, match="tiêu đề"):
        notification_enqueue(channel="email", recipient="dan@example.org", body="x", kind="k")


def test_sms_has_no_subject_and_unknown_channels_are_refused():
    assert enqueue_sms(subject="ignored").subject == ""
    with pytest.raises(InvalidInput, match="Kênh"):
        notification_enqueue(channel="zalo", recipient="0912345678", body="x", kind="k")
    with pytest.raises(InvalidInput, match="Nội dung"):
        enqueue_sms(text="  ")
    with pytest.raises(InvalidInput, match="dedupe_key"):
        enqueue_sms(dedupe_key="x" * 256)


# --- delivering ------------------------------------------------------------------------------------------------


def test_success_marks_the_message_sent_with_one_attempt(sms, frozen):
    message = enqueue_sms()

    report = outbox_deliver(worker="test")

    message.refresh_from_db()
    assert (report.claimed, report.sent) == (1, 1)
    assert sms.calls == [("+84912345678", message.body)]
    assert message.status == Status.SENT
    assert message.sent_at == START
    assert message.attempts == 1
    assert message.claimed_by.startswith("test#")
    attempt = DeliveryAttempt.objects.get(message=message)
    assert attempt.ok and attempt.error == "" and attempt.worker == message.claimed_by
    assert outbox_deliver(worker="test").claimed == 0, "a sent message is not sent again"


def test_email_goes_through_djangos_mail():
    message = notification_enqueue(channel="email", recipient="dan@example.org", subject="Hồ sơ đã tiếp nhận",
                                   body="Nội dung", kind="dossier.receive")
    outbox_deliver()
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("Hồ sơ đã tiếp nhận", "Nội dung", ["dan@example.org"])]
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_temporary_failure_backs_off_exponentially(sms, frozen):
    sms.fail_with = TemporaryDeliveryError("gateway busy")
    message = enqueue_sms()
    waits = []
    for _ in range(4):
        report = outbox_deliver()
        assert report.retrying == 1
        message.refresh_from_db()
        assert message.status == Status.PENDING
        assert message.last_error == "TemporaryDeliveryError: gateway busy"
        wait = message.next_attempt_at - services.clock.now()
        waits.append(wait)
        assert outbox_deliver().claimed == 0, "not due before next_attempt_at"
        frozen.shift(wait)
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert attempts_of(message) == [False] * 4

    sms.fail_with = None
    outbox_deliver()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.last_error == ""
    assert attempts_of(message) == [False, False, False, False, True]


def test_backoff_is_capped_at_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_unexpected_exception_counts_as_temporary(sms, frozen):
    sms.fail_with = ConnectionResetError("peer reset")
    message = enqueue_sms()
    assert outbox_deliver().retrying == 1
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.last_error == "ConnectionResetError: peer reset"


def test_permanent_failure_gives_up_at_once(sms, frozen):
    sms.fail_with = PermanentDeliveryError("số thuê bao không tồn tại")
    message = enqueue_sms()

    report = outbox_deliver()

    message.refresh_from_db()
    assert (report.failed, report.retrying) == (1, 0)
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert "không tồn tại" in message.last_error
    attempt = DeliveryAttempt.objects.get(message=message)
    assert not attempt.ok and attempt.permanent
    frozen.shift(timedelta(days=1))
    assert outbox_deliver().claimed == 0


def test_after_the_last_attempt_the_message_fails(sms, frozen, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    sms.fail_with = TemporaryDeliveryError("timeout")
    message = enqueue_sms()
    outcomes = []
    for _ in range(3):
        report = outbox_deliver()
        outcomes.append("failed" if report.failed else "retrying")
        frozen.shift(timedelta(hours=1))
    message.refresh_from_db()
    assert outcomes == ["retrying", "retrying", "failed"]
    assert message.status == Status.FAILED
    assert message.attempts == 3
    assert attempts_of(message) == [False, False, False]
    assert len(sms.calls) == 3
    assert outbox_deliver().claimed == 0


def test_bad_sms_provider_setting_fails_sms_but_not_email(settings, frozen):
    settings.SMS_PROVIDER = "motcua.notifications.providers.NoSuchProvider"
    sms_message = enqueue_sms()
    email = notification_enqueue(channel="email", recipient="dan@example.org", subject="s", body="b", kind="k")
    report = outbox_deliver()
    assert (report.sent, report.retrying) == (1, 1)
    sms_message.refresh_from_db()
    email.refresh_from_db()
    assert sms_message.status == Status.PENDING and "NoSuchProvider" in sms_message.last_error
    assert email.status == Status.SENT


def test_a_claim_is_taken_once(sms, frozen):
    message = enqueue_sms()
    first = services._claim(limit=10, token="a#1")
    second = services._claim(limit=10, token="b#2")
    assert [m.pk for m in first] == [message.pk]
    assert second == []
    message.refresh_from_db()
    assert (message.status, message.claimed_by, message.attempts) == (Status.SENDING, "a#1", 1)


def test_limit_bounds_one_run(sms, frozen):
    for n in range(5):
        enqueue_sms(f"tin {n}")
    assert outbox_deliver(limit=2).sent == 2
    assert outbox_deliver(limit=10).sent == 3
    assert sorted(sms.count_by_text().values()) == [1] * 5


def test_message_stuck_in_sending_is_reclaimed_and_delivered(sms, frozen):
    message = enqueue_sms()
    services._claim(limit=10, token="crashed-worker#1")  # the worker dies before sending or reporting
    frozen.shift(timedelta(minutes=9))
    assert outbox_deliver().reclaimed == 0, "not stuck yet: the worker may still be sending"

    frozen.shift(timedelta(minutes=2))
    report = outbox_deliver()

    assert report.reclaimed == 1
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert "crashed-worker#1" in message.last_error
    lost = DeliveryAttempt.objects.get(message=message)
    assert (lost.ok, lost.worker, lost.at) == (False, "crashed-worker#1", START)
    frozen.shift(retry_delay(1))
    assert outbox_deliver().sent == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 2
    assert attempts_of(message) == [False, True]
    assert len(sms.calls) == 1


def test_message_stuck_after_its_last_attempt_fails(sms, frozen, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    message = enqueue_sms()
    services._claim(limit=10, token="crashed-worker#1")
    frozen.shift(timedelta(minutes=11))
    outbox_deliver()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert sms.calls == []


def test_a_late_success_from_a_reclaimed_claim_still_marks_the_message_sent(sms, frozen):
    message = enqueue_sms()
    [claimed] = services._claim(limit=10, token="slow#1")
    frozen.shift(timedelta(minutes=11))
    services._reclaim_stuck(limit=10)  # another worker gives up on the slow one…
    outcome = services._deliver_one(claimed, sender=services._Sender(), token="slow#1")  # …which then succeeds
    assert outcome == "sent"
    message.refresh_from_db()
    assert message.status == Status.SENT
    frozen.shift(timedelta(hours=1))
    assert outbox_deliver().claimed == 0, "it is not sent a second time"


# --- resending -------------------------------------------------------------------------------------------------


def failed_message(sms):
    sms.fail_with = PermanentDeliveryError("invalid number")
    message = enqueue_sms()
    outbox_deliver()
    sms.fail_with = None
    message.refresh_from_db()
    assert message.status == Status.FAILED
    return message


def test_resend_puts_a_failed_message_back_and_it_is_delivered(
    sms, frozen, admin_user, django_capture_on_commit_callbacks
):
    message = failed_message(sms)

    with django_capture_on_commit_callbacks(execute=True):
        resent = outbox_resend(message=message, actor=admin_user)

    assert resent.status == Status.PENDING
    message.refresh_from_db()
    assert message.status == Status.SENT, "delivery was triggered after the resend committed"
    assert attempts_of(message) == [False, True]
    entry = AuditEntry.objects.get(action="notification.resend")
    assert entry.actor == admin_user
    assert entry.object_id == str(message.pk)
    assert entry.detail["last_error"] == "PermanentDeliveryError: invalid number"


def test_resend_resets_the_attempts(sms, frozen, admin_user):
    message = failed_message(sms)
    resent = outbox_resend(message=message, actor=admin_user)
    assert (resent.status, resent.attempts, resent.next_attempt_at) == (Status.PENDING, 0, START)


def test_superuser_may_resend(sms, frozen, superuser):
    assert outbox_resend(message=failed_message(sms), actor=superuser).status == Status.PENDING


def test_resend_by_someone_without_the_permission_is_refused(sms, frozen, clerk):
    message = failed_message(sms)
    for actor in (clerk, None):
        with pytest.raises(PermissionDenied):
            outbox_resend(message=message, actor=actor)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert not AuditEntry.objects.filter(action="notification.resend").exists()


def test_only_failed_messages_can_be_resent(sms, frozen, admin_user):
    message = enqueue_sms()
    with pytest.raises(Conflict, match="Chờ gửi"):
        outbox_resend(message=message, actor=admin_user)
    outbox_deliver()
    with pytest.raises(Conflict):
        outbox_resend(message=message, actor=admin_user)


# --- keeping ---------------------------------------------------------------------------------------------------


def test_rows_are_never_deleted_and_attempts_never_changed(sms):
    message = enqueue_sms()
    outbox_deliver()
    with pytest.raises(TypeError):
        OutboxMessage.objects.all().delete()
    with pytest.raises(TypeError):
        message.delete()
    attempt = DeliveryAttempt.objects.get()
    with pytest.raises(TypeError):
        DeliveryAttempt.objects.update(ok=False)
    with pytest.raises(TypeError):
        attempt.save()
    with pytest.raises(TypeError):
        attempt.delete()
