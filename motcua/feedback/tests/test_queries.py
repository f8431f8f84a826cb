"""Who sees what: receivers the intake, an agency only what is routed to it, a sender only their own, the public
only published text; the queues; and the supervision counts on hand-made data."""
import datetime

import pytest

from motcua.accounts.roles import Role
from motcua.feedback import queries
from motcua.feedback import services as s
from motcua.feedback.policy import offered_actions
from motcua.feedback.workflow import Action, Status

from .conftest import TU_PHAP, XAY_DUNG, local

pytestmark = pytest.mark.django_db


def test_an_agency_sees_only_items_routed_to_it(file_item, walk, people):
    routed = walk(file_item(), "in_progress")
    waiting = file_item()
    assert set(queries.feedback_visible_to(people["specialist"])) == {routed}
    assert not queries.feedback_visible_to(people["other"]).exists()
    assert not queries.feedback_visible_to(people["desk"]).exists()
    assert set(queries.agency_queue(people["leader"])) == {routed}
    assert set(queries.intake_queue(people["receiver"])) == {waiting}
    assert not queries.intake_queue(people["district_supervisor"]).exists()


def test_an_agency_loses_sight_of_an_item_it_forwards_back(file_item, walk, people):
    item = walk(file_item(), "in_progress")
    s.feedback_forward_back(item=item, actor=people["specialist"], reason="Không thuộc thẩm quyền")
    assert not queries.feedback_visible_to(people["specialist"]).exists()


def test_a_sender_sees_only_their_own(file_item, make_user, org):
    alice, bob = make_user(None, org["000.00.00.H47"], username="alice"), make_user(None, org["000.00.00.H47"],
                                                                                      username="bob")
    mine = file_item(sender=alice)
    file_item(sender=bob)
    assert list(queries.feedback_visible_to(alice)) == [mine]
    assert list(queries.mine(alice)) == [mine]


def test_the_public_sees_only_published_masked_text(file_item, walk, people):
    published = walk(file_item(), "published")
    walk(file_item(), "answered")
    private = s.feedback_accept(item=file_item(), actor=people["receiver"], private=True)
    rows = list(queries.published())
    assert rows == [published]
    assert "0905" not in published.published_question and "Nguyễn Văn An" not in published.published_question
    assert private not in rows


def test_tracking_needs_the_code_and_the_four_digits(file_item):
    item = file_item()
    assert item.check_digits == "3456"
    assert queries.feedback_track(item.code, "3456") == item
    assert queries.feedback_track(item.code, "0000") is None
    assert queries.feedback_track(item.code, "") is None


def test_the_public_answers_are_searchable_without_diacritics(file_item, walk):
    item = walk(file_item(subject="Giấy phép xây dựng"), "published")
    assert list(queries.published(q="giay phep xay dung")) == [item]
    assert list(queries.published(q="dat dai")) == []


def test_a_read_of_one_item_is_audited(file_item, walk, people):
    from motcua.audit.models import AuditEntry

    item = walk(file_item(), "in_progress")
    queries.feedback_get(people["specialist"], item.code, purpose="view")
    assert AuditEntry.objects.filter(action="feedback.read", object_id=str(item.pk)).count() == 1


def test_due_soon_and_overdue_queues(file_item, people, clock_at):
    item = file_item()  # info due Mon 14/12 09:00
    clock_at(local(2026, 12, 11, 10, 0))
    assert list(queries.due_soon(queries.intake_queue(people["receiver"]))) == [item]
    clock_at(local(2026, 12, 14, 10, 0))
    assert list(queries.overdue(queries.intake_queue(people["receiver"]))) == [item]


def test_what_screens_offer_is_what_the_service_accepts(file_item, walk, people):
    item = walk(file_item(), "drafted")
    assert offered_actions(people["specialist"], item) == [Action.DRAFT]
    assert set(offered_actions(people["leader"], item)) == {Action.APPROVE, Action.RETURN_DRAFT, Action.DRAFT}
    assert offered_actions(people["receiver"], item) == []
    assert offered_actions(people["other_leader"], item) == []


def test_reminders_reach_the_holders_of_items_due_soon_once(file_item, walk, people, clock_at):
    from motcua.feedback.reminders import remind_due_soon
    from motcua.notifications.models import OutboxMessage

    people["specialist"].email = "cv@example.vn"
    people["specialist"].save()
    walk(file_item(), "in_progress")  # handle due 28/12 09:00
    clock_at(local(2026, 12, 25, 10, 0))
    assert remind_due_soon() >= 1
    assert remind_due_soon() == 0
    assert OutboxMessage.objects.filter(kind="feedback.due_soon", recipient="cv@example.vn").count() == 1


def test_feedback_timeliness_counts_hand_made_items(file_item, walk, people, org, clock_at):
    on_time = walk(file_item(), "answered")  # Monday 07/12
    late = walk(file_item(), "in_progress")
    open_late = walk(file_item(), "in_progress")
    s.feedback_route(item=s.feedback_accept(item=file_item(), actor=people["receiver"]), actor=people["receiver"],
                     agency=org[TU_PHAP])
    clock_at(local(2026, 12, 29, 9, 0))
    late = s.feedback_approve(item=s.feedback_draft(item=late, actor=people["specialist"], text="Muộn"),
                              actor=people["leader"])
    file_item()  # received 29/12: outside the period
    counts = queries.feedback_timeliness(agency_ids=[org[XAY_DUNG].id], start=datetime.date(2026, 12, 1),
                                         end=datetime.date(2026, 12, 7))
    assert counts == queries.FeedbackCounts(received=3, answered_on_time=1, answered_late=1, open_overdue=1)
    province = queries.feedback_timeliness(agency_ids=None, start=datetime.date(2026, 12, 7),
                                           end=datetime.date(2026, 12, 29))
    assert province.received == 5 and province.open_overdue == 2
    assert on_time.status == Status.ANSWERED and open_late.status == Status.IN_PROGRESS
    assert Role.SUPERVISOR  # receivers are supervisors
