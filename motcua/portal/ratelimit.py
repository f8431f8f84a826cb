"""A per-client budget of attempts in the shared cache: the brute-force guard of the public pages.

`within_budget` counts every request (look-ups, registrations); `budget_spent` + `budget_charge` count only the
attempts that failed (sign-in), so that a citizen who signs in often is never locked out by their own success.
"""
from django.core.cache import cache


def _key(request, scope: str) -> str:
    return f"{scope}:{request.META.get('REMOTE_ADDR', '')}"


def budget_charge(request, *, scope: str, window_seconds: int) -> int:
    """Count one attempt against the client address's budget for `scope`; answers the count in this window."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def budget_spent(request, *, scope: str, attempts: int) -> bool:
    """True once the client address has used up `attempts` for `scope` in the current window (counts nothing)."""
    return (cache.get(_key(request, scope)) or 0) >= attempts


def within_budget(request, *, scope: str, attempts: int, window_seconds: int) -> bool:
    """Count this request against the client address's budget for `scope`; False once it is spent."""
    return budget_charge(request, scope=scope, window_seconds=window_seconds) <= attempts
