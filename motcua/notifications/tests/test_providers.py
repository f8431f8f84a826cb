"""Choosing the SMS provider, and telling permanent from temporary e-mail errors."""
import logging
import smtplib

import pytest

from motcua.notifications import providers
from motcua.notifications.providers import (
    LoggingSmsProvider,
    PermanentDeliveryError,
    TemporaryDeliveryError,
    send_email,
    sms_provider,
)
from motcua.notifications.tests.fakes import RecordingSmsProvider, RefusingEmailBackend


def test_the_default_sms_provider_logs_and_succeeds(settings, caplog):
    settings.SMS_PROVIDER = ""  # unset
    provider = sms_provider()
    assert isinstance(provider, LoggingSmsProvider)
    with caplog.at_level(logging.INFO, logger="motcua.notifications.providers"):
        provider.send_sms("+84912345678", "Hồ sơ đã được tiếp nhận")
    assert "+84912345678" in caplog.text and "Hồ sơ đã được tiếp nhận" in caplog.text


def test_sms_provider_is_chosen_by_dotted_path(settings):
    settings.SMS_PROVIDER = "motcua.notifications.tests.fakes.RecordingSmsProvider"
    assert isinstance(sms_provider(), RecordingSmsProvider)


def test_unknown_sms_provider_is_an_import_error(settings):
    settings.SMS_PROVIDER = "motcua.notifications.providers.Nope"
    with pytest.raises(ImportError):
        sms_provider()


@pytest.fixture
def refusing_mail(settings):
    settings.EMAIL_BACKEND = "motcua.notifications.tests.fakes.RefusingEmailBackend"
    original = RefusingEmailBackend.error
    yield RefusingEmailBackend
    RefusingEmailBackend.error = original


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")}), PermanentDeliveryError),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (452, b"mailbox full, try later")}), TemporaryDeliveryError),
        (smtplib.SMTPDataError(554, b"message rejected"), PermanentDeliveryError),
        (smtplib.SMTPDataError(451, b"local error"), TemporaryDeliveryError),
        (smtplib.SMTPServerDisconnected("gone"), TemporaryDeliveryError),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), TemporaryDeliveryError),
        (smtplib.SMTPSenderRefused(553, b"sender refused", "no-reply@localhost"), TemporaryDeliveryError),
        (ConnectionRefusedError(111, "Connection refused"), TemporaryDeliveryError),
        (TimeoutError("timed out"), TemporaryDeliveryError),
    ],
)
def test_email_errors_are_sorted_into_permanent_and_temporary(refusing_mail, error, expected):
    refusing_mail.error = error
    with pytest.raises(expected):
        send_email("x@example.org", "Tiêu đề", "Nội dung")


def test_both_delivery_errors_share_a_base():
    assert issubclass(PermanentDeliveryError, providers.DeliveryError)
    assert issubclass(TemporaryDeliveryError, providers.DeliveryError)
