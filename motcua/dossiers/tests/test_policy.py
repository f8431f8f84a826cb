"""What every door offers is what the services accept: state × action × role, through `policy.offered_actions`."""
import pytest
from django.db import transaction

from motcua.dossiers import policy
from motcua.dossiers import services as svc
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_workflow import make_in, params
from motcua.dossiers.workflow import Action, Status, allowed_actions
from motcua.errors import Conflict, InvalidInput, PermissionDenied

PAIRS = [(state, action) for state in Status.values for action in allowed_actions(state) if action != Action.RECEIVE]


class _Rollback(Exception):
    pass


def _accepted(run) -> bool:
    try:
        with transaction.atomic():
            svc.dossier_act(**run)
            raise _Rollback
    except _Rollback:
        return True
    except (PermissionDenied, Conflict):
        return False
    except InvalidInput:  # the policy let it through; only the parameters were refused
        return True


@pytest.fixture
def submit(org, intake_of):
    from motcua.dossiers.tests.conftest import DESK

    return lambda version: svc.dossier_submit(desk=org[DESK], intake=intake_of(version))


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_what_is_offered_is_what_the_service_accepts(state, action, building, receive, submit, staff):
    dossier = make_in(state, action, receive=receive, submit=submit, staff=staff, building=building)
    for role, user in staff.items():
        fresh = Dossier.objects.get(pk=dossier.pk)
        offered = action in policy.offered_actions(user, fresh)
        run = {"dossier": fresh.code, "actor": user, "action": action, **params(action, fresh, staff)}
        assert offered == _accepted(run), f"{role} {'is offered' if offered else 'is not offered'} {action} in {state}"


def test_a_specialist_cannot_finish_a_leaders_review_step(make_procedure, procedure_data, receive, staff):
    steps = [
        {"name": "Tiếp nhận", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "4"},
        {"name": "Chuyên viên thẩm định", "kind": "review", "agency": "@self", "role": "specialist", "hours": "52"},
        {"name": "Trưởng phòng kiểm tra, trình ký", "kind": "review", "agency": "@self", "role": "division_head",
         "hours": "16"},
        {"name": "Phê duyệt", "kind": "approve", "agency": "@self", "role": "leader", "hours": "24"},
        {"name": "Trả kết quả", "kind": "return", "agency": "@self", "role": "desk_officer", "hours": "0"},
    ]
    dossier = receive(make_procedure({**procedure_data, "steps": steps}))
    dossier = svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    assert dossier.current_step.role == "division_head"
    assert "forward" not in policy.offered_actions(staff["specialist"], Dossier.objects.get(pk=dossier.pk))
    with pytest.raises(PermissionDenied):
        svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    assert staff["specialist"] not in policy.takers(dossier.current_step)
    assert staff["leader"] in policy.takers(dossier.current_step)


def test_a_leader_claims_a_step_assigned_to_someone_else_before_approving_it(building, receive, staff, make_user,
                                                                            org):
    from motcua.accounts.roles import Role
    from motcua.dossiers.tests.conftest import XAY_DUNG

    deputy = make_user(Role.LEADER, org[XAY_DUNG], username="pgd_xd")
    dossier = receive(building)
    dossier = svc.dossier_forward(dossier=dossier, actor=staff["specialist"], to_user=deputy)
    with pytest.raises(Conflict):
        svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    assert "approve" not in policy.offered_actions(staff["leader"], Dossier.objects.get(pk=dossier.pk))
    svc.dossier_claim(dossier=dossier, actor=staff["leader"])
    dossier = svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    assert dossier.steps.get(kind="approve").approved_by == staff["leader"]


def test_the_forward_list_offers_only_those_who_may_take_the_next_step(building, receive, staff, make_user, org):
    from motcua.accounts.roles import Role

    province = make_user(Role.LEADER, org["000.00.00.H47"], username="ld_ubnd")
    dossier = receive(building)
    review = dossier.current_step
    names = set(policy.takers(review))
    assert {staff["specialist"], staff["specialist2"], staff["leader"]} <= names
    assert province not in names and staff["outsider"] not in names and staff["desk"] not in names
