"""A dossier accepted at night shows when things happened and, apart, when the clock started (issue 12 item 5)."""
import re

import pytest
from django.test import Client

from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.conftest import local
from motcua.filings import services

CLOCK_NOTE = "thời hạn giải quyết chỉ bắt đầu tính từ giờ làm việc kế tiếp"


@pytest.fixture
def night_dossier(filled_draft, citizen, staff, clock_at):
    """Filed at 01:00 on Thursday 03/12/2026, accepted by the desk at 01:20, the specialist done at 01:22."""
    clock_at(local(2026, 12, 3, 1, 0))
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    clock_at(local(2026, 12, 3, 1, 20))
    dossier = dossier_services.dossier_accept(dossier=dossier, actor=staff["desk"])
    dossier_services.dossier_claim(dossier=dossier, actor=staff["specialist"])
    clock_at(local(2026, 12, 3, 1, 22))
    return dossier_services.dossier_forward(dossier=dossier, actor=staff["specialist"])


def _dd(html: str, dd_id: str) -> str:
    match = re.search(rf'<dd id="{dd_id}">(.*?)</dd>', html, re.S)
    assert match, dd_id
    return match.group(1)


def _both_times_labelled(html: str) -> None:
    assert "Ngày tiếp nhận</dt>" in html and _dd(html, "received-at") == "03/12/2026 01:20"
    assert "Thời hạn giải quyết tính từ</dt>" in html and _dd(html, "clock-started-at").startswith("03/12/2026 07:30")
    assert CLOCK_NOTE in html
    assert "02/12/2026 18:20" not in html  # local time (UTC+7), never UTC


def test_the_citizens_page_shows_the_receipt_time_and_the_clock_start_apart(night_dossier, citizen):
    client = Client()
    client.force_login(citizen)
    html = client.get(f"/ho-so-cua-toi/{night_dossier.code}/").content.decode()
    _both_times_labelled(html)
    assert re.search(r"<time[^>]*>03/12/2026 01:20</time> Tiếp nhận", html)  # the history agrees with the receipt


def test_the_tracking_page_shows_both_times(night_dossier, client):
    html = client.get("/tra-cuu/", {"code": night_dossier.code, "so": "1234"}).content.decode()
    _both_times_labelled(html)


def test_the_workspace_shows_each_step_handed_over_and_its_clock_start(night_dossier, staff):
    client = Client()
    client.force_login(staff["leader"])
    html = client.get(f"/workspace/ho-so/{night_dossier.code}/").content.decode()
    _both_times_labelled(html)
    rows = re.findall(r"<tr[^>]*>\s*<td>\d+</td>.*?</tr>", html, re.S)
    review = next(row for row in rows if "01:22" in row)
    assert "03/12/2026 01:20" in review and "thời hạn tính từ 03/12/2026 07:30" in review  # not "started 07:30"
    assert "Nhận bước lúc" in html


def test_a_dossier_received_in_office_hours_needs_no_note(filled_draft, citizen, staff, clock_at):
    clock_at(local(2026, 12, 3, 9, 0))
    dossier = dossier_services.dossier_accept(dossier=services.filing_submit(draft=filled_draft(), owner=citizen),
                                              actor=staff["desk"])
    client = Client()
    client.force_login(citizen)
    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert _dd(html, "received-at") == _dd(html, "clock-started-at") == "03/12/2026 09:00"
    assert CLOCK_NOTE not in html
