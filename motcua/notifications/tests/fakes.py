"""Stand-in providers for the tests, selected through the SMS_PROVIDER / EMAIL_BACKEND settings."""
import smtplib
import threading
from collections import Counter

from django.core.mail.backends.base import BaseEmailBackend


class RecordingSmsProvider:
    """Records every call; raises `fail_with` (an exception instance) while it is set."""

    lock = threading.Lock()
    calls: list[tuple[str, str]] = []
    fail_with: Exception | None = None

    @classmethod
    def reset(cls):
        cls.calls = []
        cls.fail_with = None

    @classmethod
    def count_by_text(cls) -> Counter:
        return Counter(text for _phone, text in cls.calls)

    def send_sms(self, phone: str, text: str) -> None:
        with self.lock:
            self.calls.append((phone, text))
            error = self.fail_with
        if error is not None:
            raise error


class RefusingEmailBackend(BaseEmailBackend):
    """An e-mail backend whose server answers with `error` (set on the class by the test)."""

    error: Exception = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 no such user")})

    def send_messages(self, email_messages):
        raise self.error
