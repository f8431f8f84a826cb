"""The workspace queue page counts cheaply: the open tab once and exactly, the other tabs' badges only up to a cap,
and the supplement queue as work held in the user's reach."""
# ruff: noqa: F811 - the dossier fixtures are imported from the dossier tests' conftest and used as arguments
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import queries
from motcua.dossiers import services as svc
from motcua.dossiers.tests.conftest import building, clock_at, intake_of, receive, staff  # noqa: F401
from motcua.workspace import dossier_views

QUEUE = "/workspace/ho-so/"


def badges(response) -> dict[str, str]:
    page = response.content.decode()
    return dict(re.findall(r'href="\?tab=(\w+)"[^>]*>[^<]*<span class="count">([^<]+)</span>', page))


def test_other_tabs_count_up_to_the_cap_and_the_open_tab_exactly(client, building, receive, staff, monkeypatch):
    monkeypatch.setattr(dossier_views, "TAB_COUNT_CAP", 2)
    for _ in range(3):
        receive(building)
    client.force_login(staff["specialist"])
    assert badges(client.get(QUEUE, {"tab": "overdue"}))["mine"] == "2+"
    opened = client.get(QUEUE, {"tab": "mine"})
    assert badges(opened)["mine"] == "3"
    assert re.search(r"<h2>[^<]+<span class=\"muted\">\(3\)</span></h2>", opened.content.decode())


def test_each_tab_is_counted_once_and_the_closed_ones_stop_at_the_cap(client, building, receive, staff):
    receive(building)
    client.force_login(staff["desk"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE, {"tab": "supplement"}).status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    limited = [sql for sql in counts if f"LIMIT {dossier_views.TAB_COUNT_CAP + 1}" in sql]
    # six tabs: at most one exact count (the open tab's, for its pages); the desk's five others capped
    assert len(counts) <= len(queries.QUEUES) and len(counts) - len(limited) <= 1, counts


def test_the_supplement_queue_holds_dossiers_paused_in_the_users_reach(building, receive, staff):
    house = receive(building)
    svc.dossier_request_supplement(dossier=house, actor=staff["desk"], items=[{"name": "Bản vẽ"}], reason="Mờ")
    for name in ("desk", "specialist", "leader", "supervisor"):
        assert list(queries.queue_supplement(staff[name])) == [house], name
    for name in ("outsider", "other_desk", "tax"):
        assert list(queries.queue_supplement(staff[name])) == [], name
