"""The demo loader: items in every state, published Q&As, nothing queued for made-up senders, idempotent."""
import pytest

from motcua.feedback.demo import load_demo_feedback
from motcua.feedback.models import FeedbackItem
from motcua.feedback.workflow import Status
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_demo_items_cover_the_states_and_queue_nothing(org, make_user):
    from motcua.accounts.roles import Role

    make_user(Role.SPECIALIST, org["000.00.05.H47"], username="cv")
    make_user(Role.LEADER, org["000.00.05.H47"], username="ld")
    assert load_demo_feedback(count=30, published=6) == 30
    states = set(FeedbackItem.objects.values_list("status", flat=True))
    assert {Status.PUBLISHED, Status.RECEIVED, Status.IN_PROGRESS} <= states
    assert FeedbackItem.objects.filter(status=Status.PUBLISHED).count() >= 6
    assert not OutboxMessage.objects.filter(object_type="feedback").exists()
    assert load_demo_feedback(count=30) == 0
