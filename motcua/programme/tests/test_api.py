"""API v1 programme endpoints: in the OpenAPI schema, scoped, and the report workflow through them."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from motcua.programme.models import Task

pytestmark = pytest.mark.django_db


def test_the_programme_endpoints_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api:schema")).content.decode()
    for path in ("/api/v1/programme/tasks/", "/api/v1/programme/reports/", "/api/v1/programme/targets/",
                 "/api/v1/programme/reports/{id}/actions/"):
        assert path in schema


def test_a_report_goes_through_the_api_from_draft_to_accepted(programme, people):
    api = APIClient()
    api.force_authenticate(people["tttt_leader"])
    task = Task.objects.get(section__year=2016, number=29)
    made = api.post(reverse("api:programme-report-list"), {"task": task.pk, "agency": "000.00.07.H47", "year": 2016,
                                                          "quarter": 3, "status": "in_progress", "done": "Đã làm"},
                    format="json")
    assert made.status_code == 200, made.content
    pk = made.json()["id"]
    assert api.post(reverse("api:programme-report-actions", args=[pk]), {"action": "submit"},
                    format="json").json()["state"] == "submitted"
    assert api.post(reverse("api:programme-report-actions", args=[pk]), {"action": "accept"},
                    format="json").status_code == 403
    api.force_authenticate(people["manager"])
    assert api.post(reverse("api:programme-report-actions", args=[pk]), {"action": "accept"},
                    format="json").json()["state"] == "accepted"
    assert len(api.get(reverse("api:programme-target-list")).json()) == 31
    api.force_authenticate(people["xaydung_leader"])
    assert api.get(reverse("api:programme-report-list")).json() == []
    refs = {t["ref"] for t in api.get(reverse("api:programme-task-list")).json()}
    assert "2016/29" not in refs and "2016/1" in refs  # named only as one of "Các Sở, Ban, ngành" in 2016/1
