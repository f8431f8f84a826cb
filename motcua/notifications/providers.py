"""Who carries a message out: an SMS provider chosen by `SMS_PROVIDER`, and Django's mail for e-mail.

Providers raise `TemporaryDeliveryError` when trying again later may work (timeouts, a busy gateway, a 4xx SMTP
reply) and `PermanentDeliveryError` when it cannot (an invalid number or address, a 5xx refusal of the recipient).
Any other exception is treated as temporary by the outbox worker.
"""
import logging
import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_PROVIDER = "motcua.notifications.providers.LoggingSmsProvider"


class DeliveryError(Exception):
    """Base of the errors a provider raises on purpose."""


class TemporaryDeliveryError(DeliveryError):
    """Sending failed for now; the outbox retries later with backoff."""


class PermanentDeliveryError(DeliveryError):
    """Sending can never succeed as written; the outbox gives up at once (the message can be resent by hand)."""


class SmsProvider(Protocol):
    """What an SMS gateway adapter offers. `phone` is in +84 form; return only after the gateway accepted it."""

    def send_sms(self, phone: str, text: str) -> None: ...


class LoggingSmsProvider:
    """The embedded default: writes the SMS to the log and succeeds (no gateway is contacted)."""

    def send_sms(self, phone: str, text: str) -> None:
        logger.info("SMS (logged, not sent) to %s: %s", phone, text)


def sms_provider() -> SmsProvider:
    """An instance of the class named by the `SMS_PROVIDER` setting (a dotted path)."""
    path = getattr(settings, "SMS_PROVIDER", "") or DEFAULT_SMS_PROVIDER
    return import_string(path)()


def _smtp_code(exc: Exception) -> int | None:
    code = getattr(exc, "smtp_code", None)
    return code if isinstance(code, int) else None


def send_email(recipient: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail through `EMAIL_BACKEND`, translating SMTP errors into the two kinds above."""
    try:
        send_mail(subject, body, None, [recipient], fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _message in exc.recipients.values()]
        error = f"recipient refused: {exc.recipients}"
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentDeliveryError(error) from exc
        raise TemporaryDeliveryError(error) from exc
    except smtplib.SMTPDataError as exc:
        # 5xx on the data of this message (e.g. rejected content) will not change by retrying it.
        code = _smtp_code(exc)
        if code is not None and 500 <= code < 600:
            raise PermanentDeliveryError(f"message refused: {code} {exc.smtp_error!r}") from exc
        raise TemporaryDeliveryError(f"message not accepted: {code} {exc.smtp_error!r}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        # Connection, authentication or sender problems concern the server or our settings, not the message.
        raise TemporaryDeliveryError(f"{type(exc).__name__}: {exc}") from exc
