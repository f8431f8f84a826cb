"""The role × agency matrix: every role reaches its agency (and subtree, as the role allows) and nothing else."""
import pytest

from motcua.accounts.roles import ROLE_PERMS, Perm, Role
from motcua.accounts.scoping import scope, user_can
from motcua.agencies.models import Agency

SO_XAY_DUNG = "000.00.05.H47"
ITS_DIVISION = "000.01.05.H47"
OTHER_DEPARTMENT = "000.00.02.H47"  # Sở Tư pháp
TAM_KY = "000.00.21.H47"
TAM_KY_DESK = "000.20.21.H47"
TAM_KY_COMMUNE = "01.00.21.H47"
PROVINCE = "000.00.00.H47"

# role, where the grant is held, agencies it must reach, agencies it must not reach
MATRIX = [
    (Role.DESK_OFFICER, TAM_KY_DESK, [TAM_KY_DESK], [TAM_KY, TAM_KY_COMMUNE, SO_XAY_DUNG]),
    (Role.SPECIALIST, SO_XAY_DUNG, [SO_XAY_DUNG, ITS_DIVISION], [OTHER_DEPARTMENT, PROVINCE, TAM_KY]),
    (Role.DIVISION_HEAD, ITS_DIVISION, [ITS_DIVISION], [SO_XAY_DUNG, OTHER_DEPARTMENT]),
    (Role.LEADER, TAM_KY, [TAM_KY, TAM_KY_DESK, TAM_KY_COMMUNE], [SO_XAY_DUNG, PROVINCE]),
    (Role.SUPERVISOR, PROVINCE, [PROVINCE, SO_XAY_DUNG, TAM_KY_COMMUNE], []),
    (Role.SUPERVISOR, TAM_KY, [TAM_KY, TAM_KY_COMMUNE], [PROVINCE, SO_XAY_DUNG]),
    (Role.CATALOGUE_EDITOR, SO_XAY_DUNG, [SO_XAY_DUNG, ITS_DIVISION], [OTHER_DEPARTMENT]),
    (Role.ADMIN, SO_XAY_DUNG, [SO_XAY_DUNG, OTHER_DEPARTMENT, PROVINCE, TAM_KY_COMMUNE], []),
]


@pytest.mark.parametrize(("role", "held_at", "inside", "outside"), MATRIX)
def test_role_reaches_inside_and_not_outside(org, make_user, role, held_at, inside, outside):
    user = make_user(role, org[held_at])
    for perm in ROLE_PERMS[role]:
        for code in inside:
            assert user_can(user, perm, org[code]), f"{role} at {held_at} should have {perm} over {code}"
        for code in outside:
            assert not user_can(user, perm, org[code]), f"{role} at {held_at} must not have {perm} over {code}"
        reachable = set(scope(Agency.objects.all(), user, perm, field="").values_list("code", flat=True))
        assert set(inside) <= reachable
        assert not reachable & set(outside)


@pytest.mark.parametrize("role", Role.values)
def test_permissions_a_role_lacks_reach_nothing(org, make_user, role):
    user = make_user(role, org[PROVINCE])
    missing = {v for k, v in vars(Perm).items() if k.isupper()} - ROLE_PERMS[role]
    for perm in missing:
        assert not user_can(user, perm)
        assert not scope(Agency.objects.all(), user, perm, field="").exists()


def test_user_without_grants_and_anonymous_reach_nothing(org, make_user):
    from django.contrib.auth.models import AnonymousUser

    nobody = make_user(None, org[SO_XAY_DUNG])
    for user in (nobody, AnonymousUser()):
        assert not user_can(user, Perm.WORKSPACE)
        assert scope(Agency.objects.all(), user, Perm.AGENCY_VIEW, field="").count() == 0


def test_inactive_user_reaches_nothing(org, make_user):
    user = make_user(Role.ADMIN, org[PROVINCE])
    user.is_active = False
    assert not user_can(user, Perm.AGENCY_VIEW, org[PROVINCE])


def test_several_grants_add_up(org, make_user):
    from motcua.accounts.services import role_grant

    user = make_user(Role.SPECIALIST, org[SO_XAY_DUNG])
    role_grant(user=user, role=Role.SPECIALIST, agency=org[OTHER_DEPARTMENT], actor=None)
    reachable = set(scope(Agency.objects.all(), user, Perm.DOSSIER_PROCESS, field="").values_list("code", flat=True))
    assert {SO_XAY_DUNG, ITS_DIVISION, OTHER_DEPARTMENT} <= reachable
    assert PROVINCE not in reachable


def test_scoped_list_is_one_query_at_any_depth(org, make_user, django_assert_num_queries):
    commune_officer = make_user(Role.LEADER, org[TAM_KY_COMMUNE])
    admin = make_user(Role.ADMIN, org[PROVINCE])
    for user in (commune_officer, admin):
        user_can(user, Perm.AGENCY_VIEW)  # loads the grants once per request
        with django_assert_num_queries(1):
            list(scope(Agency.objects.all(), user, Perm.AGENCY_VIEW, field=""))


def test_scope_filters_related_rows_through_the_agency_path(org, make_user):
    """Rows that point at an agency (here: staff users) are scoped the same way, by the FK's path."""
    from motcua.accounts.models import User

    inside = make_user(None, org[ITS_DIVISION])
    outside = make_user(None, org[OTHER_DEPARTMENT])
    leader = make_user(Role.LEADER, org[SO_XAY_DUNG])
    visible = set(scope(User.objects.all(), leader, Perm.AGENCY_VIEW))
    assert inside in visible
    assert outside not in visible
