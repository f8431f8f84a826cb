"""API v1 procedure endpoints and the OpenAPI schema."""
import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def two_procedures(make_procedure, procedure_data):
    make_procedure(procedure_data)
    make_procedure({**procedure_data, "code": "1.000893.000.00.00.H47", "name": "Đăng ký khai sinh",
                    "field": "HT", "field_name": "Hộ tịch", "levels": ["commune"], "agencies": ["@commune"],
                    "result_name": "Giấy khai sinh",
                    "components": [{"name": "Tờ khai đăng ký khai sinh", "required": True, "originals": 1}]})


def test_list_searches_without_diacritics_and_paginates(api, two_procedures):
    response = api.get("/api/v1/procedures/", {"q": "giay phep xay dung"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["code"] == "1.009994.000.00.00.H47"
    assert item["name"] == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert item["levels"] == ["province"]
    assert item["url"] == "/thu-tuc/1.009994.000.00.00.H47/"


def test_list_filters_by_field_and_agency(api, two_procedures):
    assert [p["name"] for p in api.get("/api/v1/procedures/", {"field": "HT"}).json()["results"]] == [
        "Đăng ký khai sinh"]
    by_agency = api.get("/api/v1/procedures/", {"agency": "000.00.05.H47"}).json()
    assert [p["code"] for p in by_agency["results"]] == ["1.009994.000.00.00.H47"]


def test_list_query_count_does_not_grow_with_results(api, two_procedures, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # count + page
        api.get("/api/v1/procedures/")


def test_detail_has_components_fees_and_steps(api, two_procedures):
    response = api.get("/api/v1/procedures/1.009994.000.00.00.H47/")
    assert response.status_code == 200
    body = response.json()
    assert body["fees"] == [{"name": "Lệ phí cấp giấy phép xây dựng", "amount": 75000, "collected": "intake"}]
    assert [s["kind"] for s in body["steps"]] == ["receive", "review", "approve", "return"]
    assert body["components"][0]["required"] is True
    assert body["agencies"] == [{"code": "000.00.05.H47", "name": "Sở Xây dựng"}]


def test_unknown_procedure_answers_404_in_the_one_error_shape(api, db):
    response = api.get("/api/v1/procedures/0.000000.H47/")
    assert response.status_code == 404
    assert set(response.json()) == {"message", "detail"}


def test_writes_are_not_offered_on_the_catalogue(api, two_procedures):
    assert api.post("/api/v1/procedures/", {}, format="json").status_code in (401, 403, 405)


def test_schema_describes_the_procedure_endpoints(api, db):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/procedures/" in schema["paths"]
    assert "/api/v1/procedures/{code}/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/procedures/"]["get"]["parameters"]}
    assert {"q", "field", "agency", "level", "page"} <= params


def test_docs_page_uses_local_assets(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "jsdelivr" not in html.lower()
