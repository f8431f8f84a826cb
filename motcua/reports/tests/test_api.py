"""API v1 indicators: the registry, one figure, a breakdown, the Decree 61 evaluation, scoping, 400s, the schema."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dossiers.tests.conftest import XAY_DUNG
from motcua.reports.tests import test_indicators

december = test_indicators.december  # the fixture: five dossiers of December 2026 at Sở Xây dựng
DEC = "from=2026-12-01&to=2026-12-31"


@pytest.fixture
def client_for(db):
    def make(user):
        client = APIClient()
        token, _c = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client
    return make


def test_the_registry_lists_every_indicator(client_for, staff):
    rows = client_for(staff["supervisor"]).get("/api/v1/indicators/").json()
    keys = {r["key"]: r for r in rows}
    assert keys["dossiers.on_time_rate"]["unit"] == "%" and keys["dossiers.on_time_rate"]["splittable"]
    assert "Nghị định 61/2018" in keys["dossiers.on_time_rate"]["source"]
    assert not keys["ratings.satisfaction_rate"]["splittable"]


def test_one_figure_for_a_period_and_an_agency(december, client_for, staff):
    api = client_for(staff["supervisor"])
    body = api.get(f"/api/v1/indicators/dossiers.on_time_rate/?{DEC}&agency={XAY_DUNG}").json()
    assert body["value"] == 66.67 and body["numerator"] == 2 and body["denominator"] == 3 and body["measured"]
    assert api.get(f"/api/v1/indicators/dossiers.received/?{DEC}").json()["value"] == 6


def test_the_figure_is_scoped_to_the_token_user(december, client_for, staff):
    outsider = client_for(staff["land_leader"])
    assert outsider.get(f"/api/v1/indicators/dossiers.received/?{DEC}").json()["value"] == 0
    response = outsider.get(f"/api/v1/indicators/dossiers.received/?{DEC}&agency={XAY_DUNG}")
    assert response.status_code == 403 and response.json()["message"]
    assert client_for(staff["specialist"]).get("/api/v1/indicators/").status_code == 403  # no reports.view


def test_bad_parameters_answer_400_in_the_error_shape(december, client_for, staff):
    api = client_for(staff["supervisor"])
    for url in ("/api/v1/indicators/dossiers.received/?from=31/12/2026",
                "/api/v1/indicators/dossiers.received/?from=2026-12-31&to=2026-12-01",
                f"/api/v1/indicators/dossiers.received/?{DEC}&agency=KHONG-CO",
                f"/api/v1/indicators/dossiers.received/breakdown/?{DEC}&by=week",
                f"/api/v1/indicators/ratings.satisfaction_rate/breakdown/?{DEC}&by=agency",
                "/api/v1/evaluations/decree61/?quarter=2026-Q5"):
        response = api.get(url)
        assert response.status_code == 400, url
        assert set(response.json()) == {"message", "detail"}
    assert api.get("/api/v1/indicators/khong.co/").status_code == 404


def test_the_breakdown_by_agency_and_month(december, client_for, staff):
    api = client_for(staff["supervisor"])
    rows = api.get(f"/api/v1/indicators/dossiers.completed/breakdown/?{DEC}&by=agency").json()
    assert [(r["label"], r["figure"]["value"]) for r in rows] == [("Sở Xây dựng", 3)]
    months = api.get(f"/api/v1/indicators/dossiers.completed/breakdown/?{DEC}&by=month").json()
    assert [(r["id"], r["label"]) for r in months] == [("2026-12-01", "12/2026")]


def test_the_decree61_evaluation(december, client_for, staff, settings):
    settings.EVALUATION_MIN_DOSSIERS = 3
    rows = client_for(staff["supervisor"]).get("/api/v1/evaluations/decree61/?quarter=2026-Q4").json()
    (row,) = rows
    assert row["agency"] == XAY_DUNG and row["quarter"] == "2026-Q4" and row["rank"] == 1 and row["total"] == 8
    assert [i["points"] for i in row["items"]][:3] == [0, 0, 2] and row["items"][3]["how"] == "missing"
    assert client_for(staff["land_leader"]).get("/api/v1/evaluations/decree61/?quarter=2026-Q4").json() == []


def test_the_schema_lists_the_indicator_endpoints(client_for, staff):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/indicators/", "/api/v1/indicators/{key}/", "/api/v1/indicators/{key}/breakdown/",
                 "/api/v1/evaluations/decree61/"):
        assert "get" in schema["paths"][path], path
    names = {p["name"] for p in schema["paths"]["/api/v1/indicators/{key}/"]["get"]["parameters"]}
    assert {"from", "to", "agency", "procedure"} <= names


def test_the_api_errors_are_translated(december, client_for, staff):
    api = client_for(staff["supervisor"])
    vietnamese = api.get("/api/v1/indicators/khong.co/").json()["message"]
    english = api.get("/api/v1/indicators/khong.co/", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert vietnamese == "Không có chỉ số khong.co."
    assert english == "There is no indicator khong.co."
    late = api.get(f"/api/v1/indicators/ratings.satisfaction_rate/breakdown/?{DEC}&by=agency",
                   HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert late == "Indicator ratings.satisfaction_rate cannot be broken down."
