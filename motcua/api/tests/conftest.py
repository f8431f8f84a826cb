"""Fixtures of the API tests: the dossier fixtures (clock, staff, procedures), API clients by user, a clean cache."""
import pytest
from rest_framework.test import APIClient

from motcua.dossiers.tests.conftest import *  # noqa: F403 - clock_at, staff, building, land, receive, intake_of


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_for(db):
    """client_for(user) -> an APIClient sending that user's token (None: anonymous)."""
    from rest_framework.authtoken.models import Token

    def make(user=None):
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
