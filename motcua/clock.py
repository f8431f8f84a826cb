"""The one clock services read, so that backfills (demo history) can set the time without patching Django.

`now()` is `django.utils.timezone.now()` unless a `travel(moment)` block is active in this thread. Only
set-up code (demo data) uses `travel`; tests freeze time with time-machine, which this honours too.
"""
import threading
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_local = threading.local()


def now() -> datetime:
    moment = getattr(_local, "moment", None)
    return moment if moment is not None else timezone.now()


@contextmanager
def travel(moment: datetime):
    """Within the block, `now()` answers `moment` (aware) in this thread."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    previous = getattr(_local, "moment", None)
    _local.moment = moment
    try:
        yield
    finally:
        _local.moment = previous
