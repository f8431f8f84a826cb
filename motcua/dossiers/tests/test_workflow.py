"""One walk over every (state, action) pair: allowed pairs reach the table's state, the others are refused."""
from datetime import timedelta

import pytest

from motcua.dossiers import services as svc
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import DESK
from motcua.dossiers.workflow import RESUME, SAME, TRANSITIONS, Action, Status, allowed_actions, target
from motcua.errors import Conflict

PDF = b"%PDF-1.4\n%%EOF\n"

# Who performs each action, and with what.
ACTOR = {
    # A leader claims: in progress the step is already the specialist's, and only a leader may take it from him
    # (the holder claiming his own step again is refused, as it was never offered).
    Action.ACCEPT: "desk", Action.REFUSE: "desk", Action.CLAIM: "leader", Action.FORWARD: "specialist",
    Action.SEND_BACK: "leader", Action.REASSIGN: "leader", Action.APPROVE: "leader",
    Action.REQUEST_SUPPLEMENT: "desk", Action.SUPPLEMENT_RECEIVED: "desk", Action.REQUEST_PAYMENT: "desk",
    Action.PAYMENT_RECEIVED: "desk", Action.APOLOGISE: "leader", Action.COMPLETE: "leader", Action.RETURN: "desk",
    Action.WITHDRAW: "desk", Action.STOP: "leader", Action.RECORD_PAYMENT: "desk",
    Action.ATTACH_DRAFT: "specialist", Action.CHOOSE_POST: "desk", Action.HAND_TO_POST: "desk",
    Action.DELIVERED: "desk",
}


def params(action, dossier, staff) -> dict:
    return {
        Action.REFUSE: {"reason": "Không đủ điều kiện"},
        Action.SEND_BACK: {"reason": "Cần thẩm định lại"},
        Action.REASSIGN: {"to_user": staff["specialist2"]},
        Action.REQUEST_SUPPLEMENT: {"items": [{"name": "Bản vẽ", "reason": "Thiếu"}], "reason": "Thiếu bản vẽ"},
        Action.REQUEST_PAYMENT: {"items": [{"name": "Lệ phí", "amount": 50000}]},
        Action.APOLOGISE: {"new_due_at": (dossier.due_at or dossier.submitted_at) + timedelta(days=7),
                           "reason": "Chờ ý kiến liên ngành"},
        Action.COMPLETE: {"result": svc.Upload("kq.pdf", PDF)},
        Action.RETURN: {"method": "desk", "collected_by": "Nguyễn Văn An"},
        Action.WITHDRAW: {"reason": "Công dân xin rút"},
        Action.STOP: {"reason": "Dừng theo văn bản của cơ quan có thẩm quyền"},
        Action.RECORD_PAYMENT: {"fee_ids": list(dossier.fees.values_list("id", flat=True)), "reference": "BL-1"},
        Action.ATTACH_DRAFT: {"draft": svc.Upload("du-thao.pdf", PDF)},
        Action.CHOOSE_POST: {"address": "12 Phan Bội Châu, Tam Kỳ", "postal_fee": 26000},
        Action.HAND_TO_POST: {"postal_tracking": "EL123456789VN"},
    }.get(action, {})


def make_in(state, action, *, receive, submit, staff, building):
    """A dossier in `state`, positioned at the step where `action` makes sense."""
    if state == Status.SUBMITTED:
        return submit(building)
    dossier = receive(building, fees_paid=False)  # so that recording a payment has something to record
    s = staff
    if state == Status.RECEIVED:
        return dossier
    if state == Status.IN_PROGRESS:
        svc.dossier_claim(dossier=dossier, actor=s["specialist"])
        if action in (Action.APPROVE, Action.COMPLETE, Action.SEND_BACK):
            svc.dossier_forward(dossier=dossier, actor=s["specialist"])
            if action == Action.COMPLETE:
                svc.dossier_approve(dossier=dossier, actor=s["leader"])
        return Dossier.objects.get(pk=dossier.pk)
    if state == Status.AWAITING_SUPPLEMENT:
        return svc.dossier_request_supplement(dossier=dossier, actor=s["desk"], items=[{"name": "x"}], reason="thiếu")
    if state == Status.AWAITING_PAYMENT:
        return svc.dossier_request_payment(dossier=dossier, actor=s["desk"], items=[{"name": "Phí", "amount": 1}])
    if state in (Status.COMPLETED, Status.RETURNED):
        svc.dossier_claim(dossier=dossier, actor=s["specialist"])
        svc.dossier_forward(dossier=dossier, actor=s["specialist"])
        svc.dossier_approve(dossier=dossier, actor=s["leader"])
        dossier = svc.dossier_complete(dossier=dossier, actor=s["leader"])
        if state == Status.COMPLETED and action in (Action.HAND_TO_POST, Action.DELIVERED):
            dossier = svc.dossier_choose_post(dossier=dossier, actor=s["desk"], address="12 Phan Bội Châu")
            if action == Action.DELIVERED:
                dossier = svc.dossier_hand_to_post(dossier=dossier, actor=s["desk"], postal_tracking="EL1VN")
        if state == Status.RETURNED:
            dossier = svc.dossier_return(dossier=dossier, actor=s["desk"], method="online")
        return dossier
    closing = {Status.REFUSED: (svc.dossier_refuse, "desk"), Status.WITHDRAWN: (svc.dossier_withdraw, "desk"),
               Status.STOPPED: (svc.dossier_stop, "leader")}
    operation, who = closing[state]
    return operation(dossier=dossier, actor=s[who], reason="đóng hồ sơ")


PAIRS = [(state, action) for state in Status.values for action in Action.values if action != Action.RECEIVE]


@pytest.fixture
def submit(org, intake_of):
    def make(version):
        return svc.dossier_submit(desk=org[DESK], intake=intake_of(version))

    return make


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_state_action_pair(state, action, building, receive, submit, staff):
    dossier = make_in(state, action, receive=receive, submit=submit, staff=staff, building=building)
    assert dossier.status == state
    before = dossier.status
    run = {"dossier": dossier.code, "actor": staff[ACTOR[action]], "action": action,
           **params(action, dossier, staff)}
    expected = target(state, action)
    if expected is None:
        with pytest.raises(Conflict):
            svc.dossier_act(**run)
        assert Dossier.objects.get(pk=dossier.pk).status == before
        return
    after = svc.dossier_act(**run)
    if expected == SAME:
        assert after.status == state
    elif expected == RESUME:
        assert after.status == Status.RECEIVED  # the state it was paused from
    else:
        assert after.status == expected
    assert after.events.last().action == action


def test_every_open_state_allows_leaving_it_and_closed_states_allow_nothing():
    for state in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED):
        assert allowed_actions(state) == []
    for state in (Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT,
                  Status.AWAITING_PAYMENT):
        assert Action.WITHDRAW in TRANSITIONS[state]
