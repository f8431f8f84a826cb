"""The list page built from plain rows: the same JSON as field by field, one dossier query whatever the page size,
and a reach over the whole tree read as the whole table."""
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.roles import Perm
from motcua.agencies.models import AgencyKind
from motcua.agencies.services import agency_create
from motcua.api.dossier_serializers import DossierListSerializer
from motcua.dossiers import queries
from motcua.dossiers import services as svc

LIST = "/api/v1/dossiers/"


def test_a_page_of_rows_is_the_same_json_as_the_field_by_field_serializer(building, land, receive, staff):
    receive(building)
    plot = receive(land)
    svc.dossier_act(dossier=plot.code, actor=staff["land"], action="claim")
    late = receive(building)
    svc.dossier_act(dossier=late.code, actor=staff["leader"], action="apologise",
                    new_due_at=late.due_at + timedelta(days=7), reason="Chờ xác minh")
    refused = receive(building)
    svc.dossier_act(dossier=refused.code, actor=staff["desk"], action="refuse", reason="Không thuộc thẩm quyền")

    for user in (staff["supervisor"], staff["specialist"]):
        listed = queries.dossier_list(user=user)
        fast = DossierListSerializer(queries.list_refs(list(queries.list_values(listed))), many=True).data
        slow = DossierListSerializer(list(listed), many=True).data  # model instances: field by field
        assert len(fast) == listed.count() > 0
        assert [dict(row) for row in fast] == [_plain(row) for row in slow]

    rows = {r["code"]: r for r in DossierListSerializer(queries.list_refs(list(queries.list_values(
        queries.dossier_list(user=staff["supervisor"])))), many=True).data}
    assert rows[late.code]["extended_due_at"] is not None  # the cases the rows must tell apart are all there
    assert rows[refused.code]["current_step"] is None and rows[refused.code]["current_agency"] is None
    assert rows[plot.code]["current_step"]["due_at"].endswith("+07:00")


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def test_the_page_reads_the_dossiers_in_one_query_whatever_its_size(building, receive, client_for, staff):
    client = client_for(staff["supervisor"])
    receive(building)

    def dossier_queries(params=None) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, params or {})
        assert response.status_code == 200
        return [q["sql"] for q in captured.captured_queries if '"dossiers_dossier"' in q["sql"]]

    assert len(dossier_queries()) == 1
    for _ in range(6):
        receive(building)
    assert len(dossier_queries()) == 1
    assert len(dossier_queries({"page_size": 3})) == 1


def test_a_reach_over_the_whole_tree_reads_the_whole_table(building, receive, staff, org):
    dossier = receive(building)
    whole = str(queries.visible_to(staff["supervisor"]).query)
    assert "dossierstep" not in whole and "WHERE" not in whole  # no OR over every step of every dossier

    # Another tree beside the province (another root): the supervisor's reach is no longer every agency.
    other = agency_create(code="000.00.00.H99", name="UBND tỉnh khác", kind=AgencyKind.PROVINCE)
    staff["supervisor"].__dict__.pop("_motcua_reach", None)
    narrowed = queries.visible_to(staff["supervisor"])
    assert "dossierstep" in str(narrowed.query)
    assert list(narrowed) == [dossier]
    reach = queries._reach_ids(staff["supervisor"], Perm.DOSSIER_VIEW)
    assert org["000.00.00.H47"].pk in reach and other.pk not in reach
