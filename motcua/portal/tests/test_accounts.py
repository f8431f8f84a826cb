"""`/tai-khoan/`: sign-in, registration, verification, reset and the profile — every page, refusal and limit."""
import re

import pytest
from django.core.cache import cache

from motcua.accounts.models import User
from motcua.accounts.queries import citizen_profile, user_is_verified_citizen
from motcua.accounts.roles import Role
from motcua.accounts.tests.conftest import *  # noqa: F403 - the citizen fixtures (register, outbox)
from motcua.accounts.tests.conftest import PASSWORD
from motcua.audit.models import AuditEntry


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(register):
    return register("an@example.vn", preverified=True, id_number="049090001234")


def _register_form(**overrides):
    return {"kind": "citizen", "name": "Nguyễn Văn An", "identifier": "an@example.vn", "id_number": "",
            "password1": PASSWORD, "password2": PASSWORD, **overrides}


# --- sign in and out ---------------------------------------------------------------------------------------------


def test_the_login_page_is_where_citizen_pages_send_anonymous_visitors(client, db):
    response = client.get("/tai-khoan/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/?next=/tai-khoan/"
    page = client.get("/tai-khoan/dang-nhap/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thư điện tử hoặc số điện thoại" in html and "Quên mật khẩu?" in html
    assert "VNeID" not in html  # no identity provider configured


def test_a_citizen_signs_in_with_email_or_phone_and_lands_on_the_next_page(client, register):
    register("an@example.vn")
    response = client.post("/tai-khoan/dang-nhap/", {"username": "AN@example.vn", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    client.post("/tai-khoan/dang-xuat/")
    register("0905123456")
    response = client.post("/tai-khoan/dang-nhap/?next=/ho-so-cua-toi/",
                           {"username": "0905 123 456", "password": PASSWORD, "next": "/ho-so-cua-toi/"})
    assert response["Location"] == "/ho-so-cua-toi/"


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client, register):
    register("an@example.vn")
    wrong = client.post("/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": "Sai2026matkhau"})
    unknown = client.post("/tai-khoan/dang-nhap/", {"username": "ai@example.vn", "password": "Sai2026matkhau"})
    assert wrong.status_code == unknown.status_code == 400

    def message(response):
        return re.search(r'class="errorlist-box" role="alert">(.*?)</div>', response.content.decode(), re.S).group(1)

    assert message(wrong) == message(unknown)
    assert "Thông tin đăng nhập hoặc mật khẩu không đúng." in message(wrong)


def test_failed_sign_ins_lock_the_client_out_even_with_the_right_password(client, register, settings):
    settings.CITIZEN_LOGIN_ATTEMPTS = 3
    register("an@example.vn")
    for _ in range(3):
        assert client.post("/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": "x"}).status_code == 400
    locked = client.post("/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": PASSWORD})
    assert locked.status_code == 429
    assert "quá nhiều lần" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_sign_ins_do_not_use_up_the_budget(client, register, settings):
    settings.CITIZEN_LOGIN_ATTEMPTS = 2
    register("an@example.vn")
    for _ in range(4):
        assert client.post("/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": PASSWORD}).status_code \
            == 302
        client.post("/tai-khoan/dang-xuat/")


def test_staff_cannot_sign_in_on_the_citizen_login(client, org, make_user):
    make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="desk", password="s3cret-pass!")
    response = client.post("/tai-khoan/dang-nhap/", {"username": "desk", "password": "s3cret-pass!"})
    assert response.status_code == 400
    assert "tài khoản cán bộ" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_returns_home(client, citizen):
    client.force_login(citizen)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    response = client.post("/tai-khoan/dang-xuat/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_the_nav_offers_login_or_the_citizen_name_and_their_dossiers(client, citizen):
    html = client.get("/").content.decode()
    assert "Đăng nhập / Đăng ký" in html and "Hồ sơ của tôi" not in html
    client.force_login(citizen)
    html = client.get("/").content.decode()
    assert "Nguyễn Văn An" in html and 'href="/ho-so-cua-toi/"' in html and "Đăng xuất" in html
    assert "Đăng nhập / Đăng ký" not in html


# --- registration ------------------------------------------------------------------------------------------------


def test_registering_by_email_signs_in_and_asks_to_open_the_link(client, outbox, db):
    page = client.get("/tai-khoan/dang-ky/")
    assert page.status_code == 200 and "Bạn là" in page.content.decode()
    response = client.post("/tai-khoan/dang-ky/", _register_form(), follow=True)
    assert response.redirect_chain[-1][0] == "/tai-khoan/"
    html = response.content.decode()
    assert "Hãy mở liên kết xác thực" in html and "Chưa xác thực" in html
    user = User.objects.get(username="an@example.vn")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert len(outbox("citizen.verify_email")) == 1


def test_registering_by_phone_goes_to_the_sms_code_page_and_the_code_verifies(client, outbox, db):
    response = client.post("/tai-khoan/dang-ky/", _register_form(identifier="0905123456"))
    assert response["Location"] == "/tai-khoan/xac-thuc/dien-thoai/"
    page = client.get("/tai-khoan/xac-thuc/dien-thoai/")
    assert "+84905123456" in page.content.decode()
    code = re.search(r"\b(\d{6})\b", outbox("citizen.verify_phone")[0].body).group(1)
    wrong = client.post("/tai-khoan/xac-thuc/dien-thoai/", {"code": "999999" if code != "999999" else "000000"})
    assert wrong.status_code == 400 and "không đúng" in wrong.content.decode()
    done = client.post("/tai-khoan/xac-thuc/dien-thoai/", {"code": code})
    assert done["Location"] == "/tai-khoan/"
    assert user_is_verified_citizen(User.objects.get(username="+84905123456"))


def test_a_duplicate_registration_is_refused_and_keeps_what_was_typed(client, register):
    register("an@example.vn")
    response = client.post("/tai-khoan/dang-ky/", _register_form(name="Trần Thị Bình", identifier="AN@example.vn"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Đã có tài khoản đăng ký bằng thông tin này." in html and 'value="Trần Thị Bình"' in html
    assert User.objects.count() == 1


def test_weak_or_mismatched_passwords_are_refused_on_the_form(client, db):
    weak = client.post("/tai-khoan/dang-ky/", _register_form(password1="abc", password2="abc"))
    assert weak.status_code == 400
    assert "ít nhất 10 ký tự" in weak.content.decode() and "cả chữ cái và chữ số" in weak.content.decode()
    mismatch = client.post("/tai-khoan/dang-ky/", _register_form(password2=PASSWORD + "x"))
    assert "không khớp" in mismatch.content.decode()
    bad_id = client.post("/tai-khoan/dang-ky/", _register_form(identifier="khong-phai"))
    assert bad_id.status_code == 400 and "không hợp lệ" in bad_id.content.decode()
    assert not User.objects.exists()


def test_registrations_are_limited_per_client(client, settings, db):
    settings.CITIZEN_REGISTER_ATTEMPTS = 2
    client.post("/tai-khoan/dang-ky/", _register_form(identifier="a1@example.vn"))
    client.post("/tai-khoan/dang-xuat/")
    client.post("/tai-khoan/dang-ky/", _register_form(identifier="a2@example.vn"))
    client.post("/tai-khoan/dang-xuat/")
    blocked = client.post("/tai-khoan/dang-ky/", _register_form(identifier="a3@example.vn"))
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    assert User.objects.count() == 2


# --- verification ------------------------------------------------------------------------------------------------


def test_the_email_link_page_verifies_or_explains(client, register, outbox):
    user = register("an@example.vn")
    token = re.search(r"/tai-khoan/xac-thuc/([^/\s]+)/", outbox("citizen.verify_email")[0].body).group(1)
    bad = client.get(f"/tai-khoan/xac-thuc/{token}x/")
    assert bad.status_code == 400 and "không hợp lệ" in bad.content.decode()
    good = client.get(f"/tai-khoan/xac-thuc/{token}/")
    assert good.status_code == 200 and "Đã xác thực thư điện tử" in good.content.decode()
    assert user_is_verified_citizen(user)


def test_resending_verification_is_limited_and_refused_once_verified(client, register, outbox, settings):
    settings.CITIZEN_REGISTER_ATTEMPTS = 2
    user = register("an@example.vn")
    client.force_login(user)
    assert client.get("/tai-khoan/xac-thuc/gui-lai/").status_code == 405
    for _ in range(2):
        assert client.post("/tai-khoan/xac-thuc/gui-lai/", {"channel": "email"})["Location"] == "/tai-khoan/"
    assert len(outbox("citizen.verify_email")) == 3
    blocked = client.post("/tai-khoan/xac-thuc/gui-lai/", {"channel": "email"}, follow=True)
    assert "quá nhiều lần" in blocked.content.decode()
    assert len(outbox("citizen.verify_email")) == 3


# --- password reset ----------------------------------------------------------------------------------------------


def test_the_reset_request_answers_the_same_for_known_and_unknown_accounts(client, register, outbox):
    register("an@example.vn")
    known = client.post("/tai-khoan/quen-mat-khau/", {"identifier": "an@example.vn"}).content.decode()
    unknown = client.post("/tai-khoan/quen-mat-khau/", {"identifier": "ai@example.vn"}).content.decode()

    def strip(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert strip(known) == strip(unknown) and "Nếu thông tin này đã được dùng để đăng ký" in known
    assert len(outbox("citizen.password_reset")) == 1


def test_reset_requests_are_limited_per_client(client, register, settings):
    settings.CITIZEN_REGISTER_ATTEMPTS = 1
    register("an@example.vn")
    assert client.post("/tai-khoan/quen-mat-khau/", {"identifier": "an@example.vn"}).status_code == 200
    assert client.post("/tai-khoan/quen-mat-khau/", {"identifier": "an@example.vn"}).status_code == 429


def test_the_reset_link_sets_a_strong_password_once(client, register, outbox):
    user = register("an@example.vn")
    client.post("/tai-khoan/quen-mat-khau/", {"identifier": "an@example.vn"})
    path = re.search(r"(/tai-khoan/dat-lai-mat-khau/[^/]+/[^/]+/)", outbox("citizen.password_reset")[0].body).group(1)
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    assert "set-password" in set_url and "Đặt mật khẩu mới" in form_page.content.decode()
    weak = client.post(set_url, {"new_password1": "ngan1", "new_password2": "ngan1"})
    assert weak.status_code == 200 and "ít nhất 10 ký tự" in weak.content.decode()
    done = client.post(set_url, {"new_password1": "Tamky2026moi", "new_password2": "Tamky2026moi"})
    assert done["Location"] == "/tai-khoan/dang-nhap/"
    user.refresh_from_db()
    assert user.check_password("Tamky2026moi")
    assert AuditEntry.objects.filter(action="citizen.password_set", actor=user).exists()
    client.cookies.clear()
    again = client.get(path, follow=True)
    assert "không hợp lệ hoặc đã được dùng" in again.content.decode()


# --- the profile -------------------------------------------------------------------------------------------------


def test_the_profile_shows_and_saves_the_citizens_own_details(client, citizen):
    client.force_login(citizen)
    page = client.get("/tai-khoan/")
    html = page.content.decode()
    assert page.status_code == 200 and "049090001234" in html and "Đã xác thực" in html
    assert AuditEntry.objects.filter(action="citizen.profile_read", actor=citizen).exists()
    response = client.post("/tai-khoan/", {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "049090001234",
                                           "phone": "0905123456", "email": "an@example.vn",
                                           "address": "12 Trần Phú, Tam Kỳ"})
    assert response["Location"] == "/tai-khoan/"
    assert citizen_profile(citizen).address == "12 Trần Phú, Tam Kỳ"


def test_an_invalid_profile_is_refused_field_by_field_and_nothing_typed_is_lost(client, citizen):
    client.force_login(citizen)
    response = client.post("/tai-khoan/", {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "12",
                                           "phone": "abc", "email": "an@example.vn", "address": "Thôn 3"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "12 chữ số" in html and "Số điện thoại không hợp lệ" in html and "Thôn 3" in html
    assert citizen_profile(citizen).address == ""


def test_a_citizen_sees_only_their_own_profile(client, citizen, register):
    other = register("binh@example.vn", name="Trần Thị Bình", id_number="049090009999", preverified=True)
    client.force_login(other)
    html = client.get("/tai-khoan/").content.decode()
    assert "Trần Thị Bình" in html and "049090001234" not in html and "an@example.vn" not in html
    # No address names another account's profile: the page always shows the signed-in citizen's own.
    assert client.get(f"/tai-khoan/?user={citizen.pk}").content.decode().count("049090001234") == 0


def test_staff_opening_the_citizen_profile_are_refused(client, org, make_user):
    staff = make_user(Role.DESK_OFFICER, org["000.00.40.H47"])
    client.force_login(staff)
    response = client.get("/tai-khoan/")
    assert response.status_code == 403 and "tài khoản cán bộ" in response.content.decode()


def test_a_citizen_opening_the_workspace_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.get("/workspace/").status_code == 403
    assert client.get("/workspace/ho-so/").status_code == 403


def test_a_staff_members_reset_link_is_invalid_on_the_citizens_page(client, org, make_user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    officer = make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="tiepnhan", password=PASSWORD)
    url = (f"/tai-khoan/dat-lai-mat-khau/{urlsafe_base64_encode(force_bytes(officer.pk))}/"
           f"{default_token_generator.make_token(officer)}/")
    page = client.get(url, follow=True)
    assert page.status_code == 200 and page.context["validlink"] is False
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
