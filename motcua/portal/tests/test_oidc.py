"""Login through an external identity provider (VNeID): off by default, the redirect, the callback, the linking.

The provider's token and userinfo endpoints are mocked (`requests.post` / `requests.get` as the backend calls
them); the ID token is a real HS256 JWT signed with the client secret, so the nonce check runs for real.
"""
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from motcua.accounts.models import CitizenProfile, User
from motcua.accounts.queries import citizen_profile, user_is_verified_citizen
from motcua.accounts.roles import Role
from motcua.accounts.tests.conftest import *  # noqa: F403 - the citizen fixtures (register, outbox)
from motcua.audit.models import AuditEntry

SECRET = "provider-shared-secret-for-tests"  # noqa: S105
AUTHORIZE = "https://id.example.gov.vn/authorize"
TOKEN = "https://id.example.gov.vn/token"  # noqa: S105
USERINFO = "https://id.example.gov.vn/userinfo"


@pytest.fixture
def oidc_on(settings):
    settings.OIDC_RP_CLIENT_ID = "motcua-quangnam"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = AUTHORIZE
    settings.OIDC_OP_TOKEN_ENDPOINT = TOKEN
    settings.OIDC_OP_USER_ENDPOINT = USERINFO
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_LOGIN_LABEL = "Đăng nhập bằng tài khoản định danh điện tử (VNeID)"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "motcua.accounts.oidc.CitizenOIDCBackend"]
    return settings


def _start(client, next_url=""):
    response = client.get("/tai-khoan/dinh-danh/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response, {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def _callback(client, claims, *, sub="vneid-0001", tamper_nonce=False, state=None, next_url=""):
    """Run the whole flow: start, then come back with a code while the provider's endpoints are mocked."""
    _response, params = _start(client, next_url)
    id_token = jwt.encode({"sub": sub, "nonce": params["nonce"] + ("x" if tamper_nonce else ""),
                           "aud": "motcua-quangnam", "iss": "https://id.example.gov.vn"}, SECRET, algorithm="HS256")
    token_response = mock.Mock(status_code=200, json=mock.Mock(return_value={"id_token": id_token,
                                                                             "access_token": "access-1"}))
    userinfo = mock.Mock(headers={"content-type": "application/json"}, json=mock.Mock(return_value={"sub": sub,
                                                                                                   **claims}))
    with mock.patch("mozilla_django_oidc.auth.requests.post", return_value=token_response) as post, \
            mock.patch("mozilla_django_oidc.auth.requests.get", return_value=userinfo) as get:
        response = client.get("/tai-khoan/dinh-danh/callback/", {"code": "auth-code-1",
                                                                  "state": state or params["state"]})
    return response, params, post, get


def test_without_settings_there_is_no_button_and_no_route(client, db):
    assert "VNeID" not in client.get("/tai-khoan/dang-nhap/").content.decode()
    assert client.get("/tai-khoan/dinh-danh/").status_code == 404
    assert client.get("/tai-khoan/dinh-danh/callback/").status_code == 404


def test_with_settings_the_login_page_shows_the_button_with_its_label(client, oidc_on, db):
    html = client.get("/tai-khoan/dang-nhap/?next=/ho-so-cua-toi/").content.decode()
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID)" in html
    assert 'href="/tai-khoan/dinh-danh/?next=/ho-so-cua-toi/"' in html


def test_the_redirect_carries_client_scope_state_nonce_and_pkce(client, oidc_on, db):
    response, params = _start(client)
    assert response["Location"].startswith(AUTHORIZE + "?")
    assert params["response_type"] == "code" and params["client_id"] == "motcua-quangnam"
    assert params["redirect_uri"] == "http://testserver/tai-khoan/dinh-danh/callback/"
    assert params["scope"].split()[0] == "openid"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) >= 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["state"] in client.session["oidc_states"]


def test_a_new_person_comes_back_as_a_verified_citizen(client, oidc_on, db):
    claims = {"name": "Lê Thị Cúc", "id_number": "049190001111", "email": "cuc@example.vn", "email_verified": True}
    response, _params, post, get = _callback(client, claims, next_url="/ho-so-cua-toi/")
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    user = User.objects.get(pk=client.session["_auth_user_id"])
    profile = citizen_profile(user)
    assert profile.name == "Lê Thị Cúc" and profile.id_number == "049190001111" and profile.oidc_subject == "vneid-0001"
    assert user_is_verified_citizen(user) and not user.has_usable_password()
    assert not user.is_staff and not user.grants.exists()
    # The token endpoint got the code, the callback address and the PKCE verifier; userinfo the access token.
    payload = post.call_args.kwargs["data"]
    assert post.call_args.args[0] == TOKEN and payload["code"] == "auth-code-1"
    assert payload["redirect_uri"] == "http://testserver/tai-khoan/dinh-danh/callback/" and payload["code_verifier"]
    assert get.call_args.args[0] == USERINFO
    assert get.call_args.kwargs["headers"] == {"Authorization": "Bearer access-1"}
    assert AuditEntry.objects.filter(action="citizen.oidc_register", actor=user).exists()


def test_coming_back_again_finds_the_same_account_by_subject(client, oidc_on, db):
    _callback(client, {"name": "Lê Thị Cúc"})
    first = client.session["_auth_user_id"]
    client.post("/tai-khoan/dang-xuat/")
    _callback(client, {"name": "Lê Thị Cúc"})
    assert client.session["_auth_user_id"] == first and CitizenProfile.objects.count() == 1


def test_an_existing_citizen_with_the_same_verified_email_is_linked(client, oidc_on, register):
    existing = register("cuc@example.vn", preverified=True)
    _callback(client, {"name": "Lê Thị Cúc", "email": "CUC@example.vn", "email_verified": True})
    assert int(client.session["_auth_user_id"]) == existing.pk
    profile = citizen_profile(existing)
    assert profile.oidc_subject == "vneid-0001" and profile.identity_verified_at is not None
    assert AuditEntry.objects.get(action="citizen.oidc_login").detail == {"matched_by": "email"}


def test_an_unverified_email_or_a_bare_id_number_does_not_hand_over_an_account(client, oidc_on, register):
    squatter = register("cuc@example.vn", id_number="049190001111")  # e-mail never verified, ID only typed in
    _callback(client, {"name": "Lê Thị Cúc", "email": "cuc@example.vn", "email_verified": True,
                       "id_number": "049190001111"})
    assert int(client.session["_auth_user_id"]) != squatter.pk
    assert citizen_profile(squatter).oidc_subject == ""


def test_an_id_number_with_a_matching_verified_phone_links(client, oidc_on, register):
    existing = register("0905123456", id_number="049190001111", preverified=True)
    _callback(client, {"name": "Lê Thị Cúc", "id_number": "049190001111", "phone_number": "+84905123456",
                       "phone_number_verified": True})
    assert int(client.session["_auth_user_id"]) == existing.pk


def test_a_staff_account_with_the_same_email_is_never_linked(client, oidc_on, org, make_user):
    staff = make_user(Role.ADMIN, org["000.00.00.H47"], username="admin")
    User.objects.filter(pk=staff.pk).update(email="boss@example.vn")
    _callback(client, {"name": "Ai Đó", "email": "boss@example.vn", "email_verified": True})
    signed_in = User.objects.get(pk=client.session["_auth_user_id"])
    assert signed_in.pk != staff.pk and not signed_in.grants.exists()
    assert client.get("/workspace/").status_code == 403


def test_a_wrong_nonce_or_unknown_state_signs_nobody_in(client, oidc_on, db):
    response, *_ = _callback(client, {"name": "X"}, tamper_nonce=True)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/"
    assert "_auth_user_id" not in client.session and not User.objects.exists()
    forged, *_ = _callback(client, {"name": "X"}, state="forged-state")
    assert forged["Location"] == "/tai-khoan/dang-nhap/"
    assert "_auth_user_id" not in client.session and not User.objects.exists()
    page = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert "Không đăng nhập được bằng định danh điện tử" in page


def test_a_userinfo_for_another_subject_is_refused(client, oidc_on, db):
    _response, params = _start(client)
    id_token = jwt.encode({"sub": "vneid-A", "nonce": params["nonce"]}, SECRET, algorithm="HS256")
    token_response = mock.Mock(status_code=200, json=mock.Mock(return_value={"id_token": id_token,
                                                                             "access_token": "a"}))
    userinfo = mock.Mock(headers={}, json=mock.Mock(return_value={"sub": "vneid-B", "name": "B"}))
    with mock.patch("mozilla_django_oidc.auth.requests.post", return_value=token_response), \
            mock.patch("mozilla_django_oidc.auth.requests.get", return_value=userinfo):
        response = client.get("/tai-khoan/dinh-danh/callback/", {"code": "c", "state": params["state"]})
    assert response["Location"] == "/tai-khoan/dang-nhap/" and not User.objects.exists()
