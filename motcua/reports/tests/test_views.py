"""The supervisors' area: who may open it, what each page shows, scoping, and the dossiers behind a number."""
import re

import pytest

from motcua.accounts.roles import Role
from motcua.dossiers.tests.conftest import XAY_DUNG, local
from motcua.reports.tests.test_indicators import december, walk  # noqa: F401 - the hand-made December dossiers

TU_PHAP = "000.00.02.H47"
DEC = "period=2026-12"


@pytest.fixture
def tp_leader(org, make_user):
    return make_user(Role.LEADER, org[TU_PHAP], username="ld_tp")


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def codes_in(html: str) -> set[str]:
    return set(re.findall(r'href="/workspace/ho-so/([^/"]+)/"', html))


def test_the_dashboard_shows_the_figures_with_the_previous_period(client, december, staff):  # noqa: F811
    response = get(client, staff["supervisor"], f"/workspace/thong-ke/?{DEC}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tháng 12/2026" in html and "Tháng 11/2026" in html
    # The on-time rate of the month (2 of 3) with its change against November (nothing completed then: no change).
    on_time = re.search(r'data-indicator="dossiers.on_time_rate">(.*?)</tr>', html, re.S).group(1)
    assert "66,67 %" in on_time
    assert 'href="/workspace/thong-ke/ho-so/on_time/?period=2026-12"' in on_time
    received = re.search(r'data-indicator="dossiers.received">(.*?)</tr>', html, re.S).group(1)
    assert ">6<" in received and "+6" in received
    # Sở Xây dựng's row in the agency table (the supervisor sits at the province: its children are listed).
    assert f'data-agency="{XAY_DUNG}"' in html
    assert 'data-chart="bar"' in html and 'data-chart="line"' in html
    assert "vendor/chartjs/chart.umd.js" in html and "<script>" not in html


def test_agency_and_procedure_pages_drill_down(client, december, staff, org, building):  # noqa: F811
    supervisor = staff["supervisor"]
    xd = org[XAY_DUNG]
    response = get(client, supervisor, f"/workspace/thong-ke/co-quan/{xd.pk}/?{DEC}")
    assert response.status_code == 200
    html = response.content.decode()
    code = building.procedure.code
    assert f'href="/workspace/thong-ke/co-quan/{xd.pk}/thu-tuc/{code}/?period=2026-12"' in html
    assert "12/2026" in html  # the month row of the chart's table
    response = get(client, supervisor, f"/workspace/thong-ke/co-quan/{xd.pk}/thu-tuc/{code}/?{DEC}")
    assert response.status_code == 200
    html = response.content.decode()
    assert building.name in html
    late = re.search(r'data-indicator="dossiers.late">(.*?)</tr>', html, re.S).group(1)
    assert f'href="/workspace/thong-ke/ho-so/late/?period=2026-12&amp;agency={xd.pk}&amp;procedure={code}"' in late


def test_the_list_behind_a_number_shows_exactly_those_dossiers(client, december, staff, org, building):  # noqa: F811
    supervisor = staff["supervisor"]
    html = get(client, supervisor, f"/workspace/thong-ke/ho-so/late/?{DEC}").content.decode()
    assert codes_in(html) == {december["late"].code}
    html = get(client, supervisor, f"/workspace/thong-ke/ho-so/on_time/?{DEC}").content.decode()
    assert codes_in(html) == {december["early"].code, december["on_time"].code}
    assert "2 hồ sơ" in html
    xd = org[XAY_DUNG].pk
    narrowed = f"/workspace/thong-ke/ho-so/completed/?{DEC}&agency={xd}&procedure={building.procedure.code}"
    assert len(codes_in(get(client, supervisor, narrowed).content.decode())) == 3
    other = f"/workspace/thong-ke/ho-so/completed/?{DEC}&agency={xd}&procedure=1.000000.000.00.00.H47"
    assert codes_in(get(client, supervisor, other).content.decode()) == set()
    # November: none of them.
    assert codes_in(get(client, supervisor, "/workspace/thong-ke/ho-so/late/?period=2026-11").content.decode()) == set()
    # No applicant's name or phone in the list.
    assert "Nguyễn Văn An" not in html and "0905123456" not in html


def test_a_tu_phap_leader_sees_no_xay_dung_numbers(client, december, staff, org, tp_leader):  # noqa: F811
    html = get(client, tp_leader, f"/workspace/thong-ke/?{DEC}").content.decode()
    received = re.search(r'data-indicator="dossiers.received">(.*?)</tr>', html, re.S).group(1)
    assert ">0<" in received
    assert f'data-agency="{XAY_DUNG}"' not in html and "Sở Xây dựng" not in html
    assert get(client, tp_leader, f"/workspace/thong-ke/co-quan/{org[XAY_DUNG].pk}/?{DEC}").status_code == 404
    html = get(client, tp_leader, f"/workspace/thong-ke/ho-so/received/?{DEC}").content.decode()
    assert codes_in(html) == set()
    listing = get(client, tp_leader, f"/workspace/thong-ke/ho-so/received/?{DEC}&agency={org[XAY_DUNG].pk}")
    assert listing.status_code == 404
    # The Sở Xây dựng leader sees them.
    html = get(client, staff["leader"], f"/workspace/thong-ke/ho-so/received/?{DEC}").content.decode()
    assert len(codes_in(html)) == 6


def test_citizens_and_processing_staff_without_reports_are_refused(client, december, staff, make_user):  # noqa: F811
    assert client.get("/workspace/thong-ke/").status_code == 302
    assert "/workspace/dang-nhap/" in client.get("/workspace/thong-ke/ho-so/late/")["Location"]
    citizen = make_user(None, None, username="congdan")
    assert get(client, citizen, "/workspace/thong-ke/").status_code == 403
    assert get(client, staff["specialist"], "/workspace/thong-ke/").status_code == 403
    assert get(client, staff["specialist"], "/workspace/thong-ke/ho-so/late/").status_code == 403


def test_only_people_with_reports_see_the_link(client, staff):
    assert "/workspace/thong-ke/" in get(client, staff["supervisor"], "/workspace/").content.decode()
    assert "/workspace/thong-ke/" not in get(client, staff["specialist"], "/workspace/").content.decode()


@pytest.mark.parametrize("query", ["period=2026-13", "period=abc", "from=32/12/2026&to=31/12/2026",
                                   "from=31/12/2026&to=01/12/2026", "from=01/12/2026"])
def test_a_bad_period_is_a_clear_400(client, staff, org, query):
    for url in ("/workspace/thong-ke/", f"/workspace/thong-ke/co-quan/{org[XAY_DUNG].pk}/",
                "/workspace/thong-ke/ho-so/late/"):
        response = get(client, staff["supervisor"], f"{url}?{query}")
        assert response.status_code == 400
        assert "Kỳ không hợp lệ" in response.content.decode()


def test_an_unknown_list_or_agency_is_404(client, staff):
    assert get(client, staff["supervisor"], "/workspace/thong-ke/ho-so/everything/").status_code == 404
    assert get(client, staff["supervisor"], "/workspace/thong-ke/ho-so/late/?agency=x").status_code == 404
    assert get(client, staff["supervisor"], "/workspace/thong-ke/co-quan/999999/").status_code == 404


def test_a_custom_period_keeps_its_dates_in_the_links(client, december, staff, clock_at):  # noqa: F811
    clock_at(local(2026, 12, 24, 9, 0))
    html = get(client, staff["supervisor"], "/workspace/thong-ke/?from=07/12/2026&to=09/12/2026").content.decode()
    assert "Từ 07/12/2026 đến 09/12/2026" in html and "Từ 04/12/2026 đến 06/12/2026" in html
    assert 'href="/workspace/thong-ke/ho-so/completed/?from=07%2F12%2F2026&amp;to=09%2F12%2F2026"' in html


def test_a_division_s_dossiers_roll_up_into_its_department(client, staff, org, make_procedure, procedure_data,
                                                            receive):
    """A procedure led by Văn phòng Đăng ký đất đai (under Sở Tài nguyên và Môi trường): the Sở's row counts it."""
    land_office = make_procedure({**procedure_data, "code": "1.003011.000.00.00.H47", "name": "Đăng ký đất đai",
                                  "agencies": ["000.01.04.H47"]})
    receive(land_office)
    receive(land_office)
    html = get(client, staff["supervisor"], f"/workspace/thong-ke/?{DEC}").content.decode()
    department = html.split('data-agency="000.00.04.H47"')[1].split("</tr>")[0]
    assert "gồm đơn vị trực thuộc" in department
    assert 'data-value="2"' in department  # received
    html = get(client, staff["supervisor"], f"/workspace/thong-ke/co-quan/{org['000.00.04.H47'].pk}/?{DEC}")
    division = html.content.decode().split('data-agency="000.01.04.H47"')[1].split("</tr>")[0]
    assert 'data-value="2"' in division
    listing = get(client, staff["supervisor"],
                  f"/workspace/thong-ke/ho-so/received/?{DEC}&agency={org['000.00.04.H47'].pk}").content.decode()
    assert len(codes_in(listing)) == 2
