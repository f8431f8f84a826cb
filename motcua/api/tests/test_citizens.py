"""API v1 for citizens: register, `/api/v1/me/`, a token for verified citizens that opens nothing of the staff's."""
import pytest

from motcua.accounts.models import User
from motcua.accounts.queries import citizen_profile
from motcua.accounts.roles import Role
from motcua.accounts.tests.conftest import *  # noqa: F403 - the citizen fixtures (register, outbox)
from motcua.accounts.tests.conftest import PASSWORD
from motcua.audit.models import AuditEntry

REGISTER = "/api/v1/citizens/register/"
ME = "/api/v1/me/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def citizen(register):
    return register("an@example.vn", preverified=True, id_number="049090001234")


def test_registering_answers_201_with_the_unverified_profile_and_queues_the_link(api, outbox, db):
    response = api.post(REGISTER, {"identifier": "an@example.vn", "password": PASSWORD, "name": "Nguyễn Văn An"},
                        format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "an@example.vn" and body["kind"] == "citizen" and body["verified"] is False
    assert len(outbox("citizen.verify_email")) == 1


def test_registration_refusals_use_the_one_error_shape(api, register):
    register("an@example.vn")
    duplicate = api.post(REGISTER, {"identifier": "an@example.vn", "password": PASSWORD, "name": "An"}, format="json")
    assert duplicate.status_code == 400 and "đã được dùng để đăng ký" in duplicate.json()["message"]
    weak = api.post(REGISTER, {"identifier": "b@example.vn", "password": "short", "name": "B"}, format="json")
    assert weak.status_code == 400 and "ít nhất 10 ký tự" in weak.json()["message"]
    assert weak.json()["detail"][0]["field"] == "password"
    missing = api.post(REGISTER, {"identifier": "c@example.vn"}, format="json")
    assert missing.status_code == 400 and "name" in missing.json()["message"]
    assert User.objects.count() == 1


def test_registration_is_limited_per_client(api, settings, db):
    settings.CITIZEN_REGISTER_ATTEMPTS = 1
    api.post(REGISTER, {"identifier": "a@example.vn", "password": PASSWORD, "name": "A"}, format="json")
    blocked = api.post(REGISTER, {"identifier": "b@example.vn", "password": PASSWORD, "name": "B"}, format="json")
    assert blocked.status_code == 429 and set(blocked.json()) == {"message", "detail"}


def test_me_reads_and_updates_only_the_callers_profile_and_audits_the_read(client_for, citizen, register):
    other = register("binh@example.vn", name="Trần Thị Bình", preverified=True)
    api = client_for(citizen)
    body = api.get(ME).json()
    assert body["name"] == "Nguyễn Văn An" and body["id_number"] == "049090001234" and body["email_verified"]
    assert AuditEntry.objects.filter(action="citizen.profile_read", actor=citizen).exists()
    updated = api.put(ME, {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "049090001234",
                           "email": "an@example.vn", "phone": "0905123456", "address": "Tam Kỳ"}, format="json")
    assert updated.status_code == 200 and updated.json()["phone"] == "+84905123456"
    assert updated.json()["phone_verified"] is False
    assert citizen_profile(other).address == "" and client_for(other).get(ME).json()["name"] == "Trần Thị Bình"


def test_me_refuses_invalid_details_field_by_field(client_for, citizen):
    response = client_for(citizen).put(ME, {"kind": "citizen", "name": "An", "id_number": "12",
                                            "email": "an@example.vn", "phone": "", "address": ""}, format="json")
    assert response.status_code == 400 and response.json()["detail"][0]["field"] == "id_number"


def test_me_refuses_anonymous_callers_and_staff(api, client_for, org, make_user):
    assert api.get(ME).status_code in (401, 403)
    staff = make_user(Role.DESK_OFFICER, org["000.00.40.H47"])
    assert client_for(staff).get(ME).status_code == 403


def test_a_verified_citizen_gets_a_token_by_email_that_sees_no_staff_data(api, citizen, building, receive):
    receive(building)  # a dossier exists
    response = api.post(TOKEN, {"username": "AN@example.vn", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get(ME).status_code == 200
    assert api.get("/api/v1/dossiers/").status_code == 403


def test_an_unverified_citizen_gets_no_token(api, register):
    register("0905123456")
    response = api.post(TOKEN, {"username": "0905123456", "password": PASSWORD}, format="json")
    assert response.status_code == 403 and "chưa được xác thực" in response.json()["message"]


def test_the_schema_lists_the_citizen_endpoints(api, db):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/citizens/register/" in schema["paths"] and "/api/v1/me/" in schema["paths"]
    assert {"get", "put"} <= set(schema["paths"]["/api/v1/me/"])


def test_a_name_longer_than_the_users_display_name_is_kept_whole_in_the_profile(client_for, citizen):
    """The profile takes 255 characters, the user's display name 150: PostgreSQL refused the copy (500)."""
    name = "Công ty trách nhiệm hữu hạn " + "x" * 200
    response = client_for(citizen).patch(ME, {"name": name[:255]}, format="json")
    assert response.status_code == 200 and response.json()["name"] == name[:255]
    citizen.refresh_from_db()
    assert citizen.full_name == name[:150]
