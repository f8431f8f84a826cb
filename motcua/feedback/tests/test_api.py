"""The feedback API: scoped queues, detail, named actions with 409 on conflicts, citizens' own items, the schema."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from motcua.feedback.tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_staff_route_and_answer_through_the_api(api, file_item, people):
    item = file_item()
    api.force_authenticate(people["receiver"])
    assert [r["code"] for r in api.get("/api/v1/feedback/?queue=intake").json()["results"]] == [item.code]
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
    assert [r["code"] for r in api.get("/api/v1/me/feedback/").json()["results"]] == [mine.code]
    assert api.get("/api/v1/feedback/").status_code == 403


def test_the_schema_lists_the_feedback_paths(api, db):
    schema = api.get("/api/schema/?format=json").content.decode()
    assert "/api/v1/feedback/{code}/actions/" in schema and "/api/v1/me/feedback/" in schema


def _walk_pages(api, path):
    """Every page of a list, following `next`; answers the pages and the number of queries each took."""
    pages, queries = [], []
    while path:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(path)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        queries.append(len(captured))
        path = pages[-1]["next"]
    return pages, queries


def test_the_staff_queue_is_paged_by_number_in_its_own_order_and_every_item_is_reached(api, file_item, people,
                                                                                         clock_at):
    from motcua.feedback import queries

    for day in range(25):
        clock_at(local(2026, 12, 7, 9, 0) + timedelta(hours=day))  # 25 due times
        file_item(subject=f"Phản ánh {day}")
    api.force_authenticate(people["receiver"])
    pages, counts = _walk_pages(api, "/api/v1/feedback/?queue=intake")
    assert [len(p["results"]) for p in pages] == [20, 5] and {p["count"] for p in pages} == {25}
    assert pages[0]["previous"] is None and pages[1]["previous"]
    codes = [r["code"] for p in pages for r in p["results"]]
    assert codes == [i.code for i in queries.intake_queue(people["receiver"])]  # earliest due first, none twice
    _, counts = _walk_pages(api, "/api/v1/feedback/?queue=intake")  # again, the user's grants now cached
    assert counts[0] == counts[1]  # 20 rows cost what 5 do: no query per row
    everything, _ = _walk_pages(api, "/api/v1/feedback/")
    assert sorted(r["code"] for p in everything for r in p["results"]) == sorted(codes)
    assert api.get("/api/v1/feedback/?page=9").status_code == 404


def test_a_citizens_own_items_are_paged_newest_first(api, file_item, make_user, org, clock_at):
    citizen = make_user(None, org["000.00.00.H47"], username="dan")
    for hour in range(22):
        clock_at(local(2026, 12, 7, 7, 0) + timedelta(hours=hour))
        file_item(sender=citizen, subject=f"Phản ánh {hour}")
    api.force_authenticate(citizen)
    pages, counts = _walk_pages(api, "/api/v1/me/feedback/")
    assert [len(p["results"]) for p in pages] == [20, 2] and pages[0]["count"] == 22
    received = [r["received_at"] for p in pages for r in p["results"]]
    assert received == sorted(received, reverse=True) and len(set(received)) == 22
    assert counts[0] == counts[1]  # 20 rows cost what 2 do


def test_the_schema_documents_the_paged_feedback_lists(api, db):
    schema = api.get("/api/schema/?format=json").json()
    for path, item in (("/api/v1/feedback/", "FeedbackList"), ("/api/v1/me/feedback/", "MyFeedback")):
        get = schema["paths"][path]["get"]
        assert "page" in [p["name"] for p in get["parameters"]] and "Paged by number" in get["description"]
        ref = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        page = schema["components"]["schemas"][ref]
        assert {"count", "next", "previous", "results"} <= set(page["properties"])
        assert page["properties"]["results"]["items"]["$ref"].endswith(f"/{item}")
