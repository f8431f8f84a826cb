"""Fixtures of the citizen account tests: a registered citizen by e-mail and by phone, the outbox read back."""
import pytest

PASSWORD = "Hoian2026pho"  # letters and digits, 12 characters


@pytest.fixture
def register(db):
    """register(identifier, **details) -> the new citizen user (through the service)."""
    from motcua.accounts.services import CitizenDetails, citizen_register

    def _register(identifier: str, *, password: str = PASSWORD, kind: str = "citizen", name: str = "Nguyễn Văn An",
                  id_number: str = "", preverified: bool = False, username: str = ""):
        return citizen_register(identifier=identifier, password=password, username=username,
                                details=CitizenDetails(kind=kind, name=name, id_number=id_number),
                                preverified=preverified)

    return _register


@pytest.fixture
def outbox(db):
    """outbox(kind) -> the queued messages of that kind, newest first."""
    from motcua.notifications.models import OutboxMessage

    def _messages(kind: str):
        return list(OutboxMessage.objects.filter(kind=kind).order_by("-id"))

    return _messages
