"""The announcement registry: subscribers hear a dossier's change inside its transaction."""
from motcua import hooks


def test_subscriber_receives_the_payload_in_order():
    heard = []

    def first(**kw):
        heard.append(("first", kw["n"]))

    def second(**kw):
        heard.append(("second", kw["n"]))

    hooks.subscribe("test.topic", first)
    hooks.subscribe("test.topic", second)
    hooks.subscribe("test.topic", first)  # twice is once
    try:
        hooks.announce("test.topic", n=7)
    finally:
        hooks.unsubscribe("test.topic", first)
        hooks.unsubscribe("test.topic", second)
    assert heard == [("first", 7), ("second", 7)]
    assert hooks.subscribers("test.topic") == ()


def test_a_topic_nobody_hears_is_silent():
    hooks.announce("nobody.listens", x=1)
