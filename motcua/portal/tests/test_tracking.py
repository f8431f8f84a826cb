"""Tracking without an account: code plus the last four digits; initials only; same answer for misses; rate limit."""
import re

import pytest
from django.core.cache import cache

from motcua.dossiers.tests.conftest import *  # noqa: F403 - the dossier fixtures


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_code_and_last_phone_digits_show_progress_without_personal_data(client, building, receive):
    dossier = receive(building)
    response = client.get("/tra-cuu/", {"code": dossier.code, "so": "3456"})  # phone 0905123456
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận" in html and "N. V. A." in html
    assert "Nguyễn Văn An" not in html and "049090001234" not in html and "0905123456" not in html
    assert "23/12/2026" in html  # the appointment


def test_last_digits_of_the_id_number_work_too(client, building, receive):
    dossier = receive(building)
    assert "N. V. A." in client.get("/tra-cuu/", {"code": dossier.code, "so": "1234"}).content.decode()


def test_a_wrong_guess_looks_exactly_like_an_unknown_code(client, building, receive):
    dossier = receive(building)
    wrong = client.get("/tra-cuu/", {"code": dossier.code, "so": "9999"}).content.decode()
    unknown = client.get("/tra-cuu/", {"code": "000.00.40.H47-261207-9999", "so": "9999"}).content.decode()
    assert "Không tìm thấy hồ sơ" in wrong

    def strip(html, code):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.replace(code, "CODE"))

    assert strip(wrong, dossier.code) == strip(unknown, "000.00.40.H47-261207-9999")


def test_guessing_is_rate_limited_per_client(client, building, receive, settings):
    settings.TRACKING_ATTEMPTS = 3
    dossier = receive(building)
    for _ in range(3):
        assert client.get("/tra-cuu/", {"code": dossier.code, "so": "0000"}).status_code == 200
    blocked = client.get("/tra-cuu/", {"code": dossier.code, "so": "3456"})
    assert blocked.status_code == 429
    assert "N. V. A." not in blocked.content.decode()


def test_the_receipt_qr_link_opens_the_form_with_the_code(client, building, receive):
    dossier = receive(building)
    html = client.get(f"/tra-cuu/?code={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in html


def test_a_refused_dossier_shows_the_reason_and_no_skipped_step_as_done(client, building, receive, staff):
    from motcua.dossiers import services as svc
    from motcua.dossiers.models import StepState

    dossier = svc.dossier_refuse(dossier=receive(building), actor=staff["desk"],
                                 reason="Thủ tục không thuộc thẩm quyền của UBND xã")
    steps = list(dossier.steps.order_by("order"))
    done = [s.name for s in steps if s.state == StepState.DONE]
    skipped = [s.name for s in steps if s.state == StepState.SKIPPED]
    assert skipped and all(s.finished_at is not None for s in steps if s.state == StepState.SKIPPED)
    html = client.get("/tra-cuu/", {"code": dossier.code, "so": "3456"}).content.decode()
    assert "Không được tiếp nhận" in html
    assert "Lý do không tiếp nhận</dt><dd>Thủ tục không thuộc thẩm quyền của UBND xã</dd>" in html
    assert "Mẫu số 03" in html
    done_part = html.split("Các bước đã xong", 1)[1].split("</ol>", 1)[0] if done else ""
    skipped_part = html.split("Các bước không thực hiện", 1)[1].split("</ul>", 1)[0]
    assert all(name in done_part for name in done)
    assert not any(name in done_part for name in skipped if name not in done)
    assert all(name in skipped_part for name in skipped)


def test_a_dossier_in_progress_shows_no_closing_reason_nor_skipped_steps(client, building, receive):
    dossier = receive(building)
    html = client.get("/tra-cuu/", {"code": dossier.code, "so": "3456"}).content.decode()
    assert "Lý do không tiếp nhận" not in html and "Các bước không thực hiện" not in html
