"""API v1 token authentication: who gets a token, the one error shape, and the limit on failed attempts."""
import pytest
from rest_framework.authtoken.models import Token

from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry

URL = "/api/v1/auth/token/"
PASSWORD = "s3cret-pass!"


@pytest.fixture
def officer(org, make_user):
    return make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="desk")


def test_staff_with_a_role_get_a_token_that_opens_the_dossier_api(api, officer):
    response = api.post(URL, {"username": "desk", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=officer).key
    assert AuditEntry.objects.filter(action="auth.token", actor=officer).exists()

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/dossiers/").status_code == 200
    # Signing in again gives the same token.
    again = api.post(URL, {"username": "desk", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token


def test_wrong_credentials_answer_400_in_the_one_error_shape(api, officer):
    for body in ({"username": "desk", "password": "wrong"}, {"username": "nobody", "password": PASSWORD}):
        response = api.post(URL, body, format="json")
        assert response.status_code == 400
        assert response.json() == {"message": "Tên đăng nhập hoặc mật khẩu không đúng.", "detail": None}
    assert not Token.objects.exists()


def test_missing_fields_are_named(api, db):
    response = api.post(URL, {"username": "desk"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "detail"}
    assert "password" in response.json()["message"]


def test_inactive_users_and_users_without_a_role_get_no_token(api, org, make_user, officer):
    make_user(None, org["000.00.40.H47"], username="citizen")
    response = api.post(URL, {"username": "citizen", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "vai trò" in response.json()["message"]

    officer.is_active = False
    officer.save()
    response = api.post(URL, {"username": "desk", "password": PASSWORD}, format="json")
    assert response.status_code == 400  # told apart from a wrong password by nobody
    assert not Token.objects.exists()


def test_a_stale_token_header_does_not_block_signing_in(api, officer):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.post(URL, {"username": "desk", "password": PASSWORD}, format="json").status_code == 200


def test_failed_attempts_are_throttled_per_account_and_successes_are_not_counted(api, officer):
    for _ in range(5):  # successes use none of the allowance
        assert api.post(URL, {"username": "desk", "password": PASSWORD}, format="json").status_code == 200
    for _ in range(10):
        assert api.post(URL, {"username": "desk", "password": "guess"}, format="json").status_code == 400
    blocked = api.post(URL, {"username": "desk", "password": PASSWORD}, format="json")
    assert blocked.status_code == 429  # even the right password waits now
    assert set(blocked.json()) == {"message", "detail"}
    assert "Retry-After" in blocked.headers
    # The account's budget follows the account, from any address (issue 12 item 8: per account, per address).
    other = api.post(URL, {"username": "desk", "password": PASSWORD}, format="json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 429


def test_the_auth_rate_comes_from_the_settings_when_present(api, officer, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "auth": "2/minute"}}
    for _ in range(2):
        assert api.post(URL, {"username": "desk", "password": "guess"}, format="json").status_code == 400
    assert api.post(URL, {"username": "desk", "password": "guess"}, format="json").status_code == 429


def test_the_window_passes(api, officer, clock_at):
    from motcua.dossiers.tests.conftest import local

    for _ in range(10):
        api.post(URL, {"username": "desk", "password": "guess"}, format="json")
    assert api.post(URL, {"username": "desk", "password": PASSWORD}, format="json").status_code == 429
    clock_at(local(2026, 12, 7, 9, 1, 1))  # the API's own window (a minute) has passed, the shared one has not
    assert api.post(URL, {"username": "desk", "password": PASSWORD}, format="json").status_code == 429
    clock_at(local(2026, 12, 7, 9, 15, 1))  # the failures budget every sign-in door shares (15 minutes)
    assert api.post(URL, {"username": "desk", "password": PASSWORD}, format="json").status_code == 200


def test_oversized_json_bodies_are_refused_before_reading(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post("/api/v1/auth/token/", data='{"username": "' + "x" * 200 + '"}',
                           content_type="application/json")
    assert response.status_code == 413
    assert response.json()["message"] == "Dữ liệu gửi lên quá lớn."
