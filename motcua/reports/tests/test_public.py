"""The open-data page and its CSV/JSON: the province's public figures, no login, no personal data, cached."""
import csv
import io
import json

import pytest

from motcua.dossiers.tests.conftest import XAY_DUNG
from motcua.reports.indicators import INDICATORS
from motcua.reports.tests.test_indicators import december, walk  # noqa: F401 - the hand-made December dossiers

PERSONAL = ("Nguyễn Văn An", "049090001234", "0905123456", "an@example.vn", "Phan Bội Châu")


def test_the_page_shows_the_public_figures_without_login(client, december):  # noqa: F811
    response = client.get("/thong-ke/?period=2026-Q4")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quý IV/2026" in html
    for key, indicator in INDICATORS.items():
        assert (f'data-indicator="{key}"' in html) == indicator.public
    on_time = html.split('data-indicator="dossiers.on_time_rate"')[1].split("</tr>")[0]
    assert "66,67 %" in on_time and "2/3" in on_time
    agency_row = html.split(f'data-agency="{XAY_DUNG}"')[1].split("</tr>")[0]
    assert "Sở Xây dựng" in agency_row and "66,67 %" in agency_row
    assert not any(p in html for p in PERSONAL)
    assert "<script>" not in html


def test_csv_and_json_carry_the_same_figures_and_no_personal_data(client, december):  # noqa: F811
    response = client.get("/thong-ke/du-lieu.json?period=2026")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["period"]["label"] == "Năm 2026"
    province = {f["key"]: f for f in data["province"]}
    assert province["dossiers.received"]["value"] == 6
    assert province["dossiers.on_time_rate"]["value"] == 66.67
    (xd,) = [a for a in data["agencies"] if a["code"] == XAY_DUNG]
    assert xd["figures"]["dossiers.completed"]["value"] == 3
    response = client.get("/thong-ke/du-lieu.csv?period=2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Kỳ", "Phạm vi", "Mã cơ quan", "Cơ quan"]
    province_row = rows[[r[4] for r in rows].index("dossiers.on_time_rate")]
    assert province_row[:5] == ["Năm 2026", "tinh", "", "Toàn tỉnh", "dossiers.on_time_rate"]
    assert province_row[7:] == ["66.67", "2", "3"]
    assert any(r[2] == XAY_DUNG and r[4] == "dossiers.on_time_rate" and r[7] == "66.67" for r in rows)
    for body in (text, json.dumps(data, ensure_ascii=False)):
        assert not any(p in body for p in PERSONAL)


def test_the_page_is_cached_for_a_few_minutes(client, december, staff, receive, building):  # noqa: F811
    first = client.get("/thong-ke/du-lieu.json?period=2026-Q4").json()
    receive(building)  # a seventh dossier: the cached answer still says six
    again = client.get("/thong-ke/du-lieu.json?period=2026-Q4").json()
    assert first == again
    from django.core.cache import cache

    cache.clear()
    fresh = {f["key"]: f for f in client.get("/thong-ke/du-lieu.json?period=2026-Q4").json()["province"]}
    assert fresh["dossiers.received"]["value"] == 7


@pytest.mark.parametrize("query", ["period=2026-12", "period=2026-Q9", "from=01/12/2026&to=31/12/2026"])
def test_only_quarters_and_years_and_bad_ones_say_why(client, db, query):
    response = client.get(f"/thong-ke/?{query}")
    assert response.status_code == 400
    assert "quý" in response.content.decode().lower()
    assert client.get(f"/thong-ke/du-lieu.json?{query}").status_code == 400
    assert client.get(f"/thong-ke/du-lieu.csv?{query}").status_code == 400


def test_the_portal_links_to_it(client, db):
    assert 'href="/thong-ke/"' in client.get("/").content.decode()
