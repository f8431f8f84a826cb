"""Fixtures of the notifications tests: a recording SMS provider, a frozen clock, users who may resend."""
from datetime import UTC, datetime

import pytest
import time_machine

from motcua.notifications.tests.fakes import RecordingSmsProvider

START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


@pytest.fixture
def sms(settings):
    """The recording SMS provider, reset, and selected through SMS_PROVIDER."""
    settings.SMS_PROVIDER = "motcua.notifications.tests.fakes.RecordingSmsProvider"
    RecordingSmsProvider.reset()
    yield RecordingSmsProvider
    RecordingSmsProvider.reset()


@pytest.fixture
def frozen():
    """Time stands still at START; `frozen.shift(seconds)` moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin_user(org, make_user):
    from motcua.accounts.roles import Role

    return make_user(Role.ADMIN, org["000.00.00.H47"], username="quantri")


@pytest.fixture
def clerk(org, make_user):
    from motcua.accounts.roles import Role

    return make_user(Role.DESK_OFFICER, org["000.20.21.H47"], username="tiepnhan")


@pytest.fixture
def superuser(db):
    from motcua.accounts.services import user_create

    return user_create(username="root", password="s3cret-pass!", full_name="Quản trị", is_superuser=True)
