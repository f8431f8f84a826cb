"""The administrators' page for a staff member's second factor: who may open it, what it shows, the audited reset."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import second_factor
from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry

XAY_DUNG = "000.00.05.H47"
PASSWORD = "s3cret-pass!"
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SEARCH = "/workspace/can-bo/"

pytestmark = pytest.mark.usefixtures("_noon")


@pytest.fixture
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def leader(org, make_user):
    user = make_user(Role.LEADER, org[XAY_DUNG], username="lanhdao.xd", password=PASSWORD)
    device = second_factor.totp_enrol_start(user=user)
    codes = second_factor.totp_enrol_confirm(
        user=user, token=f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    StaticDevice.objects.get(user=user).verify_token(codes[0])  # one recovery code used: 9 left
    return user


@pytest.fixture
def admin(org, make_user):
    return make_user(Role.ADMIN, org["000.00.00.H47"], username="quantri")


def page(leader) -> str:
    return f"/workspace/can-bo/{leader.pk}/xac-thuc-hai-lop/"


def reset(client, leader, **data):
    return client.post(page(leader), {"reason": "Mất điện thoại, đã gọi xác minh", "confirm": "on", **data})


def test_an_administrator_finds_the_member_and_sees_the_state_of_their_second_factor(client, admin, leader):
    client.force_login(admin)
    listing = client.get(SEARCH, {"q": "lanhdao"}).content.decode()
    assert page(leader) in listing and "Đã đăng ký" in listing
    assert page(leader) not in client.get(SEARCH, {"q": "khong-co-ai"}).content.decode()
    detail = client.get(page(leader)).content.decode()
    assert '<dd id="authenticator">Đã đăng ký</dd>' in detail and '<dd id="recovery-left">9</dd>' in detail
    assert 'href="/workspace/can-bo/"' in client.get("/workspace/").content.decode()  # in the navigation


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER, Role.SUPERVISOR, Role.DESK_OFFICER])
def test_other_staff_may_not_open_or_post_it(client, org, make_user, leader, role):
    client.force_login(make_user(role, org[XAY_DUNG], username="khac"))
    assert client.get(SEARCH).status_code == 403
    assert client.get(page(leader)).status_code == 403
    assert reset(client, leader).status_code == 403
    assert second_factor.has_second_factor(leader)
    assert 'href="/workspace/can-bo/"' not in client.get("/workspace/").content.decode()


def test_anonymous_visitors_go_to_the_sign_in_page(client, leader):
    response = client.get(page(leader))
    assert response.status_code == 302 and response["Location"].startswith("/workspace/dang-nhap/")


def test_a_reset_needs_a_reason_and_the_confirmation(client, admin, leader):
    client.force_login(admin)
    assert reset(client, leader, reason="  ").status_code == 400
    assert reset(client, leader, confirm="").status_code == 400
    assert second_factor.has_second_factor(leader) and not AuditEntry.objects.filter(action="otp.reset").exists()


def test_a_reset_without_the_csrf_token_is_refused(admin, leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert reset(client, leader).status_code == 403
    assert second_factor.has_second_factor(leader)


def test_the_reset_is_audited_with_its_reason_and_the_member_must_enrol_again(client, admin, leader, settings):
    client.force_login(admin)
    response = reset(client, leader)
    assert response.status_code == 302 and response["Location"] == page(leader)
    assert "đăng ký lại" in client.get(page(leader)).content.decode()
    assert not TOTPDevice.objects.filter(user=leader).exists() and not StaticDevice.objects.filter(user=leader)
    entry = AuditEntry.objects.get(action="otp.reset")
    assert (entry.actor, entry.object_id) == (admin, str(leader.pk))
    assert entry.detail == {"devices": 2, "reason": "Mất điện thoại, đã gọi xác minh"}
    settings.STAFF_OTP_REQUIRED = True
    member = Client()
    assert member.post("/workspace/dang-nhap/", {"username": "lanhdao.xd", "password": PASSWORD}).status_code == 302
    asked = member.get("/workspace/")
    assert asked.status_code == 302 and asked["Location"].startswith("/workspace/xac-thuc/dang-ky/")


def test_an_administrator_cannot_reset_their_own(client, admin):
    client.force_login(admin)
    assert "hãy nhờ một quản trị viên khác" in client.get(page(admin)).content.decode()
    assert reset(client, admin).status_code == 400
    assert not AuditEntry.objects.filter(action="otp.reset").exists()


def test_an_absent_member_answers_404(client, admin):
    client.force_login(admin)
    assert client.get("/workspace/can-bo/999999/xac-thuc-hai-lop/").status_code == 404


def test_the_second_factor_messages_have_english(admin, leader):
    from django.utils import translation

    from motcua.errors import DomainError

    with translation.override("en"), pytest.raises(DomainError) as refused:
        second_factor.second_factor_reset(user=leader, actor=admin, reason="")
    assert refused.value.message == "Write the reason for the reset (for example: phone lost)."
    with translation.override("en"), pytest.raises(DomainError) as wrong:
        second_factor.totp_enrol_confirm(user=admin, token="000000")
    assert wrong.value.message == "Enrolment of an authenticator app has not been started."
