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


def test_unhappy_demo_ratings_open_feedback_items_without_queueing_anything_for_their_senders(org, settings,
                                                                                           monkeypatch):
    """The unhappy ratings of the demo open feedback items through the ratings hook, outside the feedback loader's
    quiet block: each queued an acknowledgement (e-mail and SMS) to its made-up sender. The demo keeps them quiet."""
    from motcua import demo
    from motcua.dossiers.demo import load_demo_dossiers
    from motcua.feedback.models import Source
    from motcua.ratings import demo as ratings_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load_users()
    demo.load_catalogue()
    load_demo_dossiers(count=30)
    monkeypatch.setattr(ratings_demo, "_levels", lambda rng, *, late: (4, 5, 5))  # every rating unhappy
    assert demo.load_demo_ratings_quietly(share=1.0) > 0
    opened = FeedbackItem.objects.filter(source=Source.RATING)
    assert opened.exists() and opened.exclude(sender_phone="").exists()
    assert not OutboxMessage.objects.filter(object_type="feedback").exists()
