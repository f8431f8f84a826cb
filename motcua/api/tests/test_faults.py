"""Faults: the database connection dropping in the middle of an intake loses nothing and numbers nothing twice."""
import psycopg
import pytest
from django.db import connection

from motcua import hooks
from motcua.dossiers.models import DailyCounter, Dossier
from motcua.dossiers.tests.conftest import DESK

from .test_dossiers import LIST, intake_body


@pytest.fixture
def kill_once():
    """A DOSSIER_CHANGED subscriber that terminates its own database backend the first time it runs."""
    state = {"killed": 0}

    def kill(**_payload):
        if state["killed"]:
            return
        state["killed"] += 1
        pid = connection.connection.info.backend_pid
        s = connection.settings_dict
        with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"] or "postgres",
                             dbname="postgres", autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    hooks.subscribe(hooks.DOSSIER_CHANGED, kill)
    yield state
    hooks.unsubscribe(hooks.DOSSIER_CHANGED, kill)


@pytest.fixture
def desk_client(staff, client_for):
    return client_for(staff["desk"])


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_mid_intake_is_a_clear_503_and_the_retry_succeeds(building, desk_client, kill_once):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (pg_terminate_backend): run the suite with DATABASE_URL=postgres://…")
    client = desk_client
    body = intake_body(building)
    response = client.post(LIST, body, format="json")
    assert kill_once["killed"] == 1
    assert response.status_code == 503, response.content
    assert set(response.json()) == {"message", "detail"} and "gửi lại" in response.json()["message"]
    assert response["Retry-After"] == "5"
    assert Dossier.objects.count() == 0  # no partial dossier
    assert not DailyCounter.objects.filter(desk__code=DESK, last__gt=0).exists()  # no number taken

    retry = client.post(LIST, body, format="json")
    assert retry.status_code == 201, retry.content
    assert retry.json()["code"].endswith("-0001")  # the number the lost intake would have had
    assert Dossier.objects.count() == 1
