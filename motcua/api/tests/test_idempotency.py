"""The Idempotency-Key header: a retry answers the first result and writes nothing new; a reused key is refused."""
from datetime import timedelta

import pytest

from motcua.api.models import IdempotentRequest
from motcua.api.tests.test_dossiers import LIST, intake_body, ok, url
from motcua.dossiers.models import Dossier, DossierEvent


@pytest.fixture
def as_(staff, client_for):
    return lambda name: client_for(staff[name] if name else None)


def test_a_retried_intake_answers_the_first_dossier_and_numbers_nothing_new(building, as_):
    desk = as_("desk")
    first = desk.post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = desk.post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert ok(first, 201) == ok(again, 201)
    assert again.headers["Location"] == first.headers["Location"] and again.headers["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_in_the_error_shape(building, as_):
    desk = as_("desk")
    ok(desk.post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k-1"), 201)
    other = desk.post(LIST, intake_body(building, note="khác"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and set(other.json()) == {"message", "detail"}
    assert "khóa mới" in other.json()["message"] and Dossier.objects.count() == 1


def test_without_a_key_every_request_writes(building, as_):
    desk = as_("desk")
    ok(desk.post(LIST, intake_body(building), format="json"), 201)
    ok(desk.post(LIST, intake_body(building), format="json"), 201)
    assert Dossier.objects.count() == 2 and not IdempotentRequest.objects.exists()


def test_keys_belong_to_one_user(building, staff, as_, make_user, org, client_for):
    from motcua.accounts.roles import Role

    colleague = client_for(make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="desk2"))
    first = ok(as_("desk").post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k"), 201)
    second = ok(colleague.post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k"), 201)
    assert second["code"] != first["code"] and Dossier.objects.count() == 2


def test_a_refused_request_does_not_keep_its_key(building, as_):
    desk = as_("desk")
    bad = desk.post(LIST, intake_body(building, components=[]), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400 and not IdempotentRequest.objects.exists()
    ok(desk.post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k"), 201)


def test_a_key_expires(building, as_, settings):
    desk = as_("desk")
    ok(desk.post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k"), 201)
    IdempotentRequest.objects.update(created_at=IdempotentRequest.objects.get().created_at - timedelta(hours=25))
    ok(desk.post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k"), 201)
    assert Dossier.objects.count() == 2 and IdempotentRequest.objects.count() == 1


def test_a_retry_while_the_first_still_runs_is_told_to_wait(building, as_, staff):
    IdempotentRequest.objects.create(user=staff["desk"], key="k", fingerprint="x" * 64)  # held, no answer yet
    response = as_("desk").post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code in (409, 422) and Dossier.objects.count() == 0


def test_a_retried_action_answers_the_first_result_and_appends_one_event(building, receive, as_):
    dossier = receive(building)
    specialist = as_("specialist")
    before = DossierEvent.objects.filter(dossier=dossier).count()
    headers = {"HTTP_IDEMPOTENCY_KEY": "claim-1"}
    first = specialist.post(url(dossier.code, "actions/"), {"action": "claim"}, format="json", **headers)
    again = specialist.post(url(dossier.code, "actions/"), {"action": "claim"}, format="json", **headers)
    assert ok(first) == ok(again)
    assert DossierEvent.objects.filter(dossier=dossier).count() == before + 1


def test_a_malformed_key_is_refused(building, as_):
    response = as_("desk").post(LIST, intake_body(building), format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400 and Dossier.objects.count() == 0
