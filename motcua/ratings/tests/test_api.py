"""API v1 ratings: POST by token or by the owning citizen, the scoped summary, and the OpenAPI schema."""
from datetime import date

from rest_framework.test import APIClient

from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry
from motcua.ratings.models import Flag, Rating

ANSWERS = {"convenience": 1, "overall": 2, "attitude": 1, "comment": "Tốt"}


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_token_rates_without_login_once(returned, token):
    response = client_for().post("/api/v1/ratings/", {**ANSWERS, "token": token}, format="json")
    assert response.status_code == 201
    assert response.json()["code"] == returned.code and response.json()["channel"] == "link"
    again = client_for().post("/api/v1/ratings/", {**ANSWERS, "token": token}, format="json")
    assert again.status_code == 409 and "đã được sử dụng" in again.json()["message"]


def test_the_owner_rates_by_code_and_others_are_refused_and_audited(owned, citizen, make_user):
    stranger = make_user(None, None, username="nguoila")
    refused = client_for(stranger).post("/api/v1/ratings/", {**ANSWERS, "code": owned.code}, format="json")
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(action="rating.refused", actor=stranger).exists()
    anonymous = client_for().post("/api/v1/ratings/", {**ANSWERS, "code": owned.code}, format="json")
    assert anonymous.status_code == 403
    unhappy = {**ANSWERS, "attitude": 5, "code": owned.code}
    response = client_for(citizen).post("/api/v1/ratings/", unhappy, format="json")
    assert response.status_code == 201 and response.json()["flagged"] is True
    assert Rating.objects.get().channel == "account" and Flag.objects.exists()


def test_bad_levels_and_missing_token_or_code_are_refused(returned, token):
    bad = client_for().post("/api/v1/ratings/", {**ANSWERS, "overall": 7, "token": token}, format="json")
    assert bad.status_code == 400 and "overall" in bad.json()["detail"]
    neither = client_for().post("/api/v1/ratings/", ANSWERS, format="json")
    assert neither.status_code == 400


def test_the_summary_is_for_report_readers_and_scoped(returned, token, staff, org, make_user):
    client_for().post("/api/v1/ratings/", {**ANSWERS, "token": token}, format="json")
    assert client_for(staff["desk"]).get("/api/v1/ratings/summary/").status_code == 403
    params = {"date_from": date(2026, 12, 1).isoformat(), "date_to": date(2026, 12, 31).isoformat()}
    data = client_for(staff["supervisor"]).get("/api/v1/ratings/summary/", params).json()
    assert data["total"] == 1 and data["agencies"][0]["count"] == 1
    assert data["agencies"][0]["overall"] == {"satisfied": 1, "count": 1, "share": 100.0, "average": 2.0}
    assert data["agencies"][0]["rank"] is None  # below the minimum of 10
    elsewhere = make_user(Role.SUPERVISOR, org["000.00.22.H47"], username="gs_hoian")
    assert client_for(elsewhere).get("/api/v1/ratings/summary/", params).json()["total"] == 0


def test_the_endpoints_are_in_the_schema(db):
    schema = client_for().get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/ratings/" in schema["paths"] and "/api/v1/ratings/summary/" in schema["paths"]
