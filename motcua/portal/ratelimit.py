"""A per-client budget of lookups in the shared cache: the brute-force guard of the public look-up pages."""
from django.core.cache import cache


def within_budget(request, *, scope: str, attempts: int, window_seconds: int) -> bool:
    """Count this request against the client address's budget for `scope`; False once it is spent."""
    key = f"{scope}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= attempts
