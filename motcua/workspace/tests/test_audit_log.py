"""The audit-log page: scoped to the reader's agencies, filtered, paged, exported as a workbook."""
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.accounts.audit_reach import audit_entries_visible_to
from motcua.accounts.roles import Role
from motcua.audit import queries
from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_record

XAY_DUNG, TU_PHAP = "000.00.05.H47", "000.00.02.H47"
URL = "/workspace/nhat-ky-kiem-toan/"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def people(org, make_user):
    """Staff created on 10/01/2026 (their creation is audited too, before the entries under test)."""
    with time_machine.travel(datetime(2026, 1, 10, 8, 0, tzinfo=HCM), tick=False):
        return _people(org, make_user)


def _people(org, make_user):
    return {
        "gs_xd": make_user(Role.SUPERVISOR, org[XAY_DUNG], username="giamsat.xd"),
        "gs_tp": make_user(Role.SUPERVISOR, org[TU_PHAP], username="giamsat.tp"),
        "cv_xd": make_user(Role.SPECIALIST, org[XAY_DUNG], username="chuyenvien.xd"),
        "cv_tp": make_user(Role.SPECIALIST, org[TU_PHAP], username="chuyenvien.tp"),
        "admin": make_user(Role.ADMIN, org["000.00.00.H47"], username="quantri"),
    }


@pytest.fixture
def entries(people):
    """A specialist of each department reads a colleague's personal data on two different days."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=HCM), tick=False):
        xd = audit_record(actor=people["cv_xd"], action="profile.view", obj=people["cv_xd"],
                          summary="hồ sơ cán bộ XD")
    with time_machine.travel(datetime(2026, 3, 5, 15, 0, tzinfo=HCM), tick=False):
        tp = audit_record(actor=people["cv_tp"], action="dossier.view", obj=people["cv_tp"], summary="000.00.02.H47-X")
    return {"xd": xd, "tp": tp}


def _ids(user, **flt):
    return {e.id for e in queries.audit_entries_filtered(audit_entries_visible_to(user), queries.AuditFilter(**flt))}


def test_a_supervisor_sees_only_entries_of_their_agencies(people, entries):
    assert _ids(people["gs_xd"]) >= {entries["xd"].id}
    assert entries["tp"].id not in _ids(people["gs_xd"])
    assert entries["xd"].id not in _ids(people["gs_tp"])


def test_an_administrator_sees_every_entry(people, entries):
    assert {entries["xd"].id, entries["tp"].id} <= _ids(people["admin"])


def test_an_object_of_the_agency_is_seen_whoever_touched_it(people, entries):
    outsider = audit_record(actor=people["cv_tp"], action="user.view", obj=people["cv_xd"])
    assert outsider.id in _ids(people["gs_xd"])


def test_other_staff_cannot_open_the_page(client, people):
    client.force_login(people["cv_xd"])
    assert client.get(URL).status_code == 403


def test_filters_by_actor_code_action_and_days(people, entries):
    admin = people["admin"]
    assert _ids(admin, actor="chuyenvien.tp") == {entries["tp"].id}
    assert _ids(admin, code="000.00.02.H47-X") == {entries["tp"].id}
    assert _ids(admin, action="profile.") == {entries["xd"].id}
    day = queries.parse_day
    # The users were created on 10/01/2026: their entries fall outside March.
    assert _ids(admin, until=day("31/01/2026")) and not _ids(admin, until=day("09/01/2026"))
    assert _ids(admin, since=day("03/03/2026"), until=day("31/03/2026")) == {entries["tp"].id}
    assert _ids(admin, since=day("01/03/2026"), until=day("02/03/2026")) == {entries["xd"].id}
    assert _ids(admin, since=day("02/03/2026"), until=day("05/03/2026")) == {entries["xd"].id, entries["tp"].id}


def test_the_page_lists_filters_and_refuses_a_bad_date(client, people, entries):
    client.force_login(people["gs_xd"])
    html = client.get(URL).content.decode()
    assert "hồ sơ cán bộ XD" in html and "000.00.02.H47-X" not in html
    assert 'href="/workspace/nhat-ky-kiem-toan/"' in html  # the navigation offers the page
    bad = client.get(URL, {"since": "2026-03-02"}).content.decode()
    assert "dd/mm/yyyy" in bad and "hồ sơ cán bộ XD" not in bad


def test_pages_go_back_by_keyset(people, entries):
    admin = people["admin"]
    for n in range(5):
        audit_record(actor=admin, action="probe", summary=f"probe {n}")
    visible, probes = audit_entries_visible_to(admin), queries.AuditFilter(action="probe")
    first, before = queries.audit_page(visible, probes, size=3)
    assert [e.summary for e in first] == ["probe 4", "probe 3", "probe 2"] and before == first[-1].id
    second, after = queries.audit_page(visible, probes, before=before, size=3)
    assert [e.summary for e in second] == ["probe 1", "probe 0"] and after is None


def test_the_export_opens_in_openpyxl_and_is_audited(client, people, entries):
    client.force_login(people["gs_xd"])
    response = client.get(URL + "tai-ve.xlsx", {"action": "profile."})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Thời điểm"
    assert [r[1] for r in rows[1:]] == ["chuyenvien.xd"]
    assert rows[1][0] == "02/03/2026 09:00:00"
    assert AuditEntry.objects.filter(action="audit.export", actor=people["gs_xd"]).exists()
