"""Domain announcements: a domain says what just happened; other domains subscribe without being imported.

A lower domain (dossiers, ratings) must not import the domains built on it (filings, feedback, reports). It calls
`announce(topic, **payload)` instead, and each interested app subscribes in its `AppConfig.ready`:

    hooks.subscribe(hooks.DOSSIER_CHANGED, rollups.on_dossier_changed)

Subscribers run synchronously inside the announcing service's transaction, so what they write (a rollup row, a
feedback item opened from an unhappy rating) commits or rolls back with the change itself. They must not talk to the
outside: anything that leaves the process goes through the outbox (`notifications`), or `transaction.on_commit`.
A subscriber that raises aborts the whole operation, as any other failure inside the transaction would.
"""
from collections import defaultdict
from collections.abc import Callable

# Topics and their payloads (keyword arguments), written down once.
DOSSIER_CHANGED = "dossier.changed"  # dossier, event, from_status, to_status, action
RATING_RECORDED = "rating.recorded"  # rating, dossier, unhappy (bool), open_feedback (bool)
# After the applicant's messages about a dossier change are queued (filings stores a completed result in the
# citizen's document store, ratings invites a returned dossier's applicant to rate).
DOSSIER_TOLD = "dossier.told"  # dossier, action

_subscribers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(topic: str, receiver: Callable) -> None:
    """Call `receiver(**payload)` each time `topic` is announced; subscribing twice is harmless."""
    if receiver not in _subscribers[topic]:
        _subscribers[topic].append(receiver)


def unsubscribe(topic: str, receiver: Callable) -> None:
    if receiver in _subscribers[topic]:
        _subscribers[topic].remove(receiver)


def announce(topic: str, **payload) -> None:
    """Tell every subscriber of `topic`, in the order they subscribed, inside the caller's transaction."""
    for receiver in list(_subscribers.get(topic, ())):
        receiver(**payload)


def subscribers(topic: str) -> tuple[Callable, ...]:
    return tuple(_subscribers.get(topic, ()))
