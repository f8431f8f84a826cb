"""Second factor for leaders, supervisors and administrators: enrol with a QR, confirm, codes, recovery, reset."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import second_factor
from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry
from motcua.errors import DomainError

XAY_DUNG = "000.00.05.H47"
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PASSWORD = "s3cret-pass!"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_OTP_REQUIRED = True


@pytest.fixture
def leader(org, make_user):
    return make_user(Role.LEADER, org[XAY_DUNG], username="lanhdao.xd", password=PASSWORD)


def _sign_in(client, username):
    response = client.post("/workspace/dang-nhap/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get("/workspace/")


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_only_leaders_supervisors_and_administrators_need_it(org, make_user, settings):
    agency = org[XAY_DUNG]
    assert second_factor.needs_second_factor(make_user(Role.SUPERVISOR, agency))
    assert second_factor.needs_second_factor(make_user(Role.ADMIN, agency))
    specialist = make_user(Role.SPECIALIST, agency)
    assert not second_factor.needs_second_factor(specialist)
    settings.STAFF_OTP_REQUIRED = False
    assert not second_factor.needs_second_factor(make_user(Role.LEADER, agency))


def test_a_specialist_signs_in_with_a_password_only(client, org, make_user):
    make_user(Role.SPECIALIST, org[XAY_DUNG], username="chuyenvien.xd", password=PASSWORD)
    assert _sign_in(client, "chuyenvien.xd").status_code == 200


@time_machine.travel(NOON, tick=False)
def test_a_leader_without_a_device_enrols_and_gets_ten_recovery_codes(client, leader):
    response = _sign_in(client, "lanhdao.xd")
    assert response.status_code == 302 and response["Location"].startswith("/workspace/xac-thuc/dang-ky/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "<script>" not in page  # the QR code is drawn on the server
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    assert second_factor.totp_secret_text(device).replace(" ", "") in page.replace(" ", "")
    wrong = client.post("/workspace/xac-thuc/dang-ky/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "không đúng" in wrong.content.decode()
    done = client.post("/workspace/xac-thuc/dang-ky/", {"token": _code(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/workspace/").status_code == 200  # verified for this session
    assert AuditEntry.objects.filter(action="otp.enrol", actor=leader).exists()


def _enrolled(leader) -> tuple[TOTPDevice, list[str]]:
    device = second_factor.totp_enrol_start(user=leader)
    codes = second_factor.totp_enrol_confirm(user=leader, token=_code(device))
    device.refresh_from_db()
    return device, codes


@time_machine.travel(NOON, tick=False)
def test_a_leader_with_a_device_is_asked_for_the_code(client, leader):
    device, _codes = _enrolled(leader)
    response = _sign_in(client, "lanhdao.xd")
    assert response.status_code == 302 and response["Location"].startswith("/workspace/xac-thuc/")
    assert client.get("/admin/").status_code == 302  # the admin waits for the code too
    refused = client.post("/workspace/xac-thuc/", {"token": "12345"})
    assert refused.status_code == 200 and client.get("/workspace/").status_code == 302
    with time_machine.travel(datetime(2026, 3, 2, 12, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        ok = client.post("/workspace/xac-thuc/", {"token": _code(device), "next": "/workspace/"})
        assert ok.status_code == 302 and ok["Location"] == "/workspace/"
        assert client.get("/workspace/").status_code == 200


@time_machine.travel(NOON, tick=False)
def test_a_recovery_code_works_once(client, leader):
    _device, codes = _enrolled(leader)
    _sign_in(client, "lanhdao.xd")
    assert client.post("/workspace/xac-thuc/", {"token": codes[0]}).status_code == 302
    client.post("/workspace/dang-xuat/")
    _sign_in(client, "lanhdao.xd")
    again = client.post("/workspace/xac-thuc/", {"token": codes[0]})
    assert again.status_code == 200 and client.get("/workspace/").status_code == 302
    assert AuditEntry.objects.filter(action="otp.verify.recovery", actor=leader).count() == 1


@time_machine.travel(NOON, tick=False)
def test_an_administrator_resets_a_lost_device_and_it_is_audited(org, make_user, leader):
    _enrolled(leader)
    admin = make_user(Role.ADMIN, org["000.00.00.H47"], username="quantri")
    with pytest.raises(DomainError):
        second_factor.second_factor_reset(user=leader, actor=make_user(Role.SUPERVISOR, org[XAY_DUNG]), reason="x")
    assert second_factor.second_factor_reset(user=leader, actor=admin, reason="Mất điện thoại") == 2  # app + codes
    assert not second_factor.has_second_factor(leader)
    entry = AuditEntry.objects.get(action="otp.reset")
    assert entry.actor == admin and entry.object_id == str(leader.pk)
