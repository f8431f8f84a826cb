"""The transition table walked state by state: every (state, action) pair either leads where the table says
or is refused as a conflict, by the same service door every interface uses."""
import pytest

from motcua.errors import Conflict
from motcua.feedback import services as s
from motcua.feedback.models import FeedbackEvent
from motcua.feedback.workflow import TRANSITIONS, Action, Status, target

from .conftest import XAY_DUNG, local

pytestmark = pytest.mark.django_db


def _reach(state, file_item, walk, people, clock_at):
    item = file_item()
    r = people["receiver"]
    if state == Status.RECEIVED:
        return item
    if state == Status.AWAITING_INFO:
        return s.feedback_ask_info(item=item, actor=r, request_text="Số hồ sơ?")
    if state == Status.REFUSED:
        return s.feedback_refuse(item=item, actor=r, reason="Không thuộc phạm vi")
    if state == Status.DUPLICATE:
        return s.feedback_mark_duplicate(item=item, actor=r, of_code=file_item().code)
    if state == Status.CLOSED:
        item = s.feedback_ask_info(item=item, actor=r, request_text="Số hồ sơ?")
        clock_at(local(2027, 2, 1, 9, 0))
        s.feedback_expire_waiting()
        item.refresh_from_db()
        return item
    return walk(item, state)


def _do(action, item, people, org, file_item):
    r, sp, ld = people["receiver"], people["specialist"], people["leader"]
    calls = {
        Action.ACCEPT: lambda: s.feedback_accept(item=item, actor=r),
        Action.REFUSE: lambda: s.feedback_refuse(item=item, actor=r, reason="lý do"),
        Action.ASK_INFO: lambda: s.feedback_ask_info(item=item, actor=r, request_text="thêm"),
        Action.INFO_RECEIVED: lambda: s.feedback_add_info(item=item, text="đây", actor=None),
        Action.EXPIRE: lambda: s._apply(item.code, Action.EXPIRE, actor=None),
        Action.MARK_DUPLICATE: lambda: s.feedback_mark_duplicate(item=item, actor=r, of_code=file_item().code),
        Action.ROUTE: lambda: s.feedback_route(item=item, actor=r, agency=org[XAY_DUNG]),
        Action.FORWARD_BACK: lambda: s.feedback_forward_back(item=item, actor=sp, reason="không thuộc"),
        Action.DRAFT: lambda: s.feedback_draft(item=item, actor=sp, text="trả lời"),
        Action.APPROVE: lambda: s.feedback_approve(item=item, actor=ld),
        Action.RETURN_DRAFT: lambda: s.feedback_return_draft(item=item, actor=ld, reason="sửa"),
        Action.APOLOGISE: lambda: s.feedback_apologise(item=item, actor=ld if item.agency_id else r),
        Action.PUBLISH: lambda: s.feedback_publish(item=item, actor=r),
        Action.EDIT_PUBLISHED: lambda: s.feedback_edit_published(item=item, actor=r, question="q", answer="a"),
    }
    return calls[action]()


@pytest.mark.parametrize("state", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_and_action_goes_where_the_table_says_or_is_a_conflict(
        state, action, file_item, walk, people, org, clock_at):
    item = _reach(state, file_item, walk, people, clock_at)
    assert item.status == state
    if action == Action.APOLOGISE:
        clock_at(local(2027, 3, 1, 9, 0))  # past every handling deadline
    expected = target(state, action)
    events = FeedbackEvent.objects.filter(item=item).count()
    if expected is None:
        with pytest.raises(Conflict):
            _do(action, item, people, org, file_item)
        assert FeedbackEvent.objects.filter(item=item).count() == events
    else:
        done = _do(action, item, people, org, file_item)
        assert done.status == expected
        assert FeedbackEvent.objects.filter(item=item).count() == events + 1


def test_the_table_names_every_state():
    assert set(TRANSITIONS) == set(Status.values)
