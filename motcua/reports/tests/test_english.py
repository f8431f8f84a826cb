"""The statistics pages in English (chosen with /i18n/setlang/): the public open-data page and the dashboard."""
import csv
import io
import re

import pytest

from motcua.reports.tests.test_indicators import december, walk  # noqa: F401 - the hand-made December dossiers


@pytest.fixture
def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_public_statistics_page_speaks_english(english, december):  # noqa: F811
    response = english.get("/thong-ke/?period=2026-Q4")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Statistics on the handling of administrative procedures" in html
    assert "Quarter IV, 2026" in html and "Whole province" in html
    on_time = html.split('data-indicator="dossiers.on_time_rate"')[1].split("</tr>")[0]
    assert "Share resolved on time or early" in on_time and "66,67 %" in on_time  # numbers keep the Vietnamese format
    assert "Thống kê giải quyết thủ tục hành chính" not in html and "Toàn tỉnh" not in html


def test_the_public_csv_has_english_headings(english, december):  # noqa: F811
    text = english.get("/thong-ke/du-lieu.csv?period=2026").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Period", "Scope", "Agency code", "Agency"]
    assert rows[1][:4] == ["2026", "tinh", "", "Whole province"]


def test_a_bad_period_is_explained_in_english(english, db):
    response = english.get("/thong-ke/?period=2026-Q9")
    assert response.status_code == 400
    assert "is not valid: choose a month (2026-12), a quarter (2026-Q4) or a year (2026)." in response.content.decode()


def test_the_supervisors_dashboard_speaks_english(english, december, staff):  # noqa: F811
    english.force_login(staff["supervisor"])
    response = english.get("/workspace/thong-ke/?period=2026-12")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Statistics and supervision of administrative procedures" in html
    assert "(compared with 11/2026)" in html
    assert "By agency (figures include subordinate units)" in html and "Evaluation under Decree 61/2018" in html
    received = re.search(r'data-indicator="dossiers.received">(.*?)</tr>', html, re.S).group(1)
    assert "Dossiers received" in received
    assert "Thống kê, giám sát giải quyết" not in html and "Hồ sơ tiếp nhận" not in html
