"""The organisation tree: paths, subtrees, moves, dissolution with a successor."""
from datetime import date

import pytest

from motcua.agencies.models import Agency, AgencyKind
from motcua.agencies.services import AgencyError, agency_create, agency_current, agency_dissolve, agency_move
from motcua.audit.models import AuditEntry


def test_demo_organisation_has_the_layout_of_the_seed(org):
    kinds = [a.kind for a in org.values()]
    assert kinds.count(AgencyKind.PROVINCE) == 1
    assert kinds.count(AgencyKind.DEPARTMENT) >= 10
    districts = [a for a in org.values() if a.kind == AgencyKind.DISTRICT]
    assert {d.short_name for d in districts} >= {"Tam Kỳ", "Hội An", "Điện Bàn"}
    for district in districts:
        below = Agency.objects.subtree_of(district)
        assert below.filter(kind=AgencyKind.COMMUNE).count() >= 3
        assert below.filter(kind=AgencyKind.DESK).exists()
        for commune in below.filter(kind=AgencyKind.COMMUNE):
            assert commune.children.filter(kind=AgencyKind.DESK).exists()


def test_path_holds_every_ancestor(org):
    commune = org["01.00.21.H47"]
    ancestors = [a for a in org.values() if a.contains(commune)]
    assert {a.code for a in ancestors} == {"000.00.00.H47", "000.00.21.H47", "01.00.21.H47"}
    assert commune.depth == 2


def test_subtree_is_the_agency_and_everything_under_it(org):
    tam_ky = org["000.00.21.H47"]
    codes = set(Agency.objects.subtree_of(tam_ky).values_list("code", flat=True))
    assert "000.00.21.H47" in codes and "01.20.21.H47" in codes
    assert "000.00.22.H47" not in codes and "000.00.00.H47" not in codes


def test_duplicate_code_is_refused_with_a_clear_message(org):
    with pytest.raises(AgencyError, match="000.00.05.H47"):
        agency_create(code="000.00.05.H47", name="Trùng", kind=AgencyKind.DEPARTMENT, parent=org["000.00.00.H47"])


def test_moving_an_agency_moves_its_whole_subtree(org):
    district = org["000.00.22.H47"]  # Hội An
    new_parent = agency_create(code="000.00.99.H47", name="Vùng thử", kind=AgencyKind.DEPARTMENT,
                               parent=org["000.00.00.H47"])
    agency_move(agency=district, new_parent=new_parent)
    commune = Agency.objects.get(code="01.00.22.H47")
    assert commune.path.startswith(new_parent.path)
    assert commune.depth == 3
    assert Agency.objects.subtree_of(new_parent).filter(kind=AgencyKind.COMMUNE).count() == 3
    assert AuditEntry.objects.filter(action="agency.move").count() == 1


def test_an_agency_cannot_move_under_itself(org):
    with pytest.raises(AgencyError):
        agency_move(agency=org["000.00.21.H47"], new_parent=org["01.00.21.H47"])


def test_dissolved_agency_leads_to_its_successor_and_leaves_the_active_list(org):
    old, middle, final = org["01.00.23.H47"], org["02.00.23.H47"], org["03.00.23.H47"]
    agency_dissolve(agency=old, on=date(2025, 6, 30), successor=middle)
    agency_dissolve(agency=middle, on=date(2025, 6, 30), successor=final)
    old.refresh_from_db()
    assert agency_current(old) == final
    active = Agency.objects.active(on=date(2025, 7, 1))
    assert not active.filter(pk=old.pk).exists()
    assert active.filter(pk=final.pk).exists()
    assert Agency.objects.active(on=date(2025, 6, 30)).filter(pk=old.pk).exists()
