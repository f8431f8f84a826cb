"""Request hygiene: control characters and oversized bodies are refused at every door with a 400/413, never a 500."""
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from motcua.accounts.tests.conftest import *  # noqa: F403 - register (citizens)
from motcua.api.tests.conftest import *  # noqa: F403 - staff, client_for, an empty cache

ME = "/api/v1/me/"


@pytest.fixture
def web():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", [
    "/api/v1/procedures/%00/",
    "/api/v1/procedures/?search=%00",
    "/api/v1/procedures/?a%00b=1",
    "/api/v1/dossiers/%00/",
    "/api/v1/me/dossiers/%01x/",
])
def test_a_control_character_in_an_api_path_or_query_is_a_400_in_the_error_shape(web, db, url):
    response = web.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"message", "detail"} and "không hợp lệ" in response.json()["message"]


@pytest.mark.parametrize("url", [
    "/thu-tuc/%00/",
    "/tra-cuu/?ma=%00",
    "/workspace/%00/",
    "/thanh-toan/ipn/vnpay/?vnp_TxnRef=%00&vnp_SecureHash=x",
])
def test_a_nul_in_a_page_path_or_query_is_a_vietnamese_400_page(web, db, url):
    response = web.get(url)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_nul_in_a_form_field_is_refused_before_the_view(web, db):
    response = web.post("/tai-khoan/dang-nhap/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400 and "biểu mẫu" in response.content.decode()


def test_text_areas_keep_their_line_breaks_and_tabs(web, db):
    response = web.post("/tai-khoan/dang-nhap/", {"username": "a\r\n\tb", "password": "x"})
    assert "Dữ liệu biểu mẫu chứa ký tự" not in response.content.decode()


def test_a_body_over_the_limit_is_refused_from_its_content_length_before_reading(web, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = web.post("/api/v1/auth/token/", data=b"{}", content_type="application/json",
                        CONTENT_LENGTH="5000")
    assert response.status_code == 413 and set(response.json()) == {"message", "detail"}


def test_the_anonymous_token_endpoint_refuses_a_large_body_before_parsing_it(db):
    body = json.dumps({"username": "a", "password": "x" * 10_000})
    response = APIClient().post("/api/v1/auth/token/", data=body, content_type="application/json")
    assert response.status_code == 413 and response.json()["message"] == "Dữ liệu gửi lên quá lớn."


def test_deeply_nested_json_is_a_400_not_a_500(db):
    for depth in (40, 5000):
        body = "[" * depth + "]" * depth
        response = APIClient().post("/api/v1/citizens/register/", data=body, content_type="application/json")
        assert response.status_code == 400, depth
        assert set(response.json()) == {"message", "detail"}


def test_a_nul_inside_a_json_string_is_a_400(db):
    body = json.dumps({"username": "a\x00", "password": "x"})
    response = APIClient().post("/api/v1/auth/token/", data=body, content_type="application/json")
    assert response.status_code == 400 and "ký tự" in response.json()["message"]


@pytest.fixture
def citizen(register):
    return register("an@example.vn", preverified=True, id_number="049090001234")


def test_a_name_only_put_is_refused_and_keeps_the_contacts_and_their_verification(client_for, citizen):
    api = client_for(citizen)
    before = api.get(ME).json()
    response = api.put(ME, {"kind": "citizen", "name": "Nguyễn Văn Ân"}, format="json")
    assert response.status_code == 400 and {"phone", "email"} <= set(response.json()["detail"])
    after = api.get(ME).json()
    assert after["email"] == before["email"] and after["email_verified"] is True


def test_patch_changes_only_the_fields_sent(client_for, citizen):
    api = client_for(citizen)
    response = api.patch(ME, {"name": "Nguyễn Văn Ân"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Nguyễn Văn Ân" and body["email"] == "an@example.vn" and body["email_verified"] is True
    assert body["id_number"] == "049090001234"
