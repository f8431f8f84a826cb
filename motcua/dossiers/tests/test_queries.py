"""Who sees which dossier, the work queues, search, and that lists cost a fixed number of queries."""
import pytest

from motcua.dossiers import queries
from motcua.dossiers import services as svc
from motcua.dossiers.tests.conftest import applicant, local
from motcua.errors import NotFound


@pytest.mark.parametrize(("who", "sees"), [
    ("desk", True), ("specialist", True), ("leader", True), ("supervisor", True),
    ("other_desk", False), ("outsider", False), ("tax", False), ("land", False),
])
def test_visibility_of_a_building_permit_dossier(building, receive, staff, who, sees):
    dossier = receive(building)
    assert queries.visible_to(staff[who]).filter(pk=dossier.pk).exists() is sees
    if not sees:
        with pytest.raises(NotFound):
            queries.dossier_get(user=staff[who], code=dossier.code)


def test_the_tax_office_sees_the_land_dossiers_that_pass_through_it(land, building, receive, staff):
    land_dossier, other = receive(land), receive(building)
    visible = set(queries.visible_to(staff["tax"]).values_list("pk", flat=True))
    assert land_dossier.pk in visible and other.pk not in visible


def test_queues_hold_what_each_person_works_on(building, receive, staff, clock_at, org, intake_of):
    received = receive(building)
    online = svc.dossier_submit(desk=org["000.00.40.H47"], intake=intake_of(building))
    assert list(queries.queue_online(staff["desk"])) == [online]
    assert list(queries.queue_online(staff["other_desk"])) == []
    assert received in queries.queue_mine(staff["specialist"])
    assert received not in queries.queue_mine(staff["outsider"])
    svc.dossier_claim(dossier=received, actor=staff["specialist"])
    assert received not in queries.queue_mine(staff["specialist2"])  # taken by a colleague
    clock_at(local(2026, 12, 22, 10, 0))
    assert received in queries.queue_due_soon(staff["supervisor"])
    clock_at(local(2026, 12, 23, 10, 0))
    assert received in queries.queue_overdue(staff["supervisor"])
    assert received not in queries.queue_due_soon(staff["supervisor"])


def test_search_by_code_name_without_diacritics_id_and_phone(building, receive, staff):
    dossier = receive(building, applicant=applicant(name="Trần Thị Bích Ngọc", id_number="049186000123",
                                                    phone="0905 111 222"))
    receive(building)
    for q in (dossier.code, "tran thi bich", "049186000123", "0905111222"):
        assert list(queries.dossier_list(user=staff["desk"], q=q)) == [dossier], q


def test_the_scoped_list_costs_the_same_for_many_dossiers(building, receive, staff, django_assert_max_num_queries):
    for _ in range(5):
        receive(building)
    staff["specialist"].__dict__.pop("_motcua_grants", None)
    # The grants, the ids of the agencies in reach (given to PostgreSQL as literals so that it uses the indexes,
    # see queries.visible_to), then the list.
    with django_assert_max_num_queries(3):
        rows = list(queries.dossier_list(user=staff["specialist"]))
        assert all(r.procedure_version.name and r.desk.code for r in rows)
