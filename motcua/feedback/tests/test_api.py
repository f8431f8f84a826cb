"""The feedback API: scoped queues, detail, named actions with 409 on conflicts, citizens' own items, the schema."""
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_staff_route_and_answer_through_the_api(api, file_item, people):
    item = file_item()
    api.force_authenticate(people["receiver"])
    assert [r["code"] for r in api.get("/api/v1/feedback/?queue=intake").json()] == [item.code]
    body = api.post(f"/api/v1/feedback/{item.code}/actions/", {"action": "route", "agency": "000.00.05.H47",
                                                                "expected_version": 1}, format="json")
    assert body.status_code == 200 and body.json()["status"] == "in_progress"
    stale = api.post(f"/api/v1/feedback/{item.code}/actions/", {"action": "publish"}, format="json")
    assert stale.status_code == 409
    api.force_authenticate(people["specialist"])
    detail = api.get(f"/api/v1/feedback/{item.code}/").json()
    assert detail["available_actions"] == ["draft", "forward_back"] and detail["handle_due"]
    api.force_authenticate(people["other"])
    assert api.get(f"/api/v1/feedback/{item.code}/").status_code == 404


def test_a_citizen_lists_only_their_own(api, file_item, make_user, org):
    citizen = make_user(None, org["000.00.00.H47"], username="dan")
    mine = file_item(sender=citizen)
    file_item()
    api.force_authenticate(citizen)
    assert [r["code"] for r in api.get("/api/v1/me/feedback/").json()] == [mine.code]
    assert api.get("/api/v1/feedback/").status_code == 403


def test_the_schema_lists_the_feedback_paths(api, db):
    schema = api.get("/api/schema/?format=json").content.decode()
    assert "/api/v1/feedback/{code}/actions/" in schema and "/api/v1/me/feedback/" in schema
