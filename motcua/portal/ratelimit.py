"""A per-client budget of attempts in the shared cache: the brute-force guard of the public pages and sign-ins.

`within_budget` counts every request (look-ups, registrations). Sign-ins share one budget of failures per client
whichever door they use (portal, workspace, API token): `login_attempt` charges first (atomic, so a parallel burst
cannot slip through) and `login_succeeded` gives the charge back, so a person who signs in often is never locked
out by their own success.
"""
import contextlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from motcua.client import client_address

LOGIN_SCOPE = "login"


def _key(request, scope: str) -> str:
    return f"{scope}:{client_address(request)}"


def budget_charge(request, *, scope: str, window_seconds: int) -> int:
    """Count one attempt against the client address's budget for `scope`; answers the count in this window."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def within_budget(request, *, scope: str, attempts: int, window_seconds: int) -> bool:
    """Count this request against the client address's budget for `scope`; False once it is spent."""
    return budget_charge(request, scope=scope, window_seconds=window_seconds) <= attempts


def login_attempt(request) -> bool:
    """Count a sign-in attempt; False (refuse it, even with the right password) once the failures are spent."""
    used = budget_charge(request, scope=LOGIN_SCOPE, window_seconds=settings.CITIZEN_LOGIN_WINDOW_SECONDS)
    return used <= settings.CITIZEN_LOGIN_ATTEMPTS


def login_succeeded(request) -> None:
    """A right password: the attempt does not count against the client."""
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(_key(request, LOGIN_SCOPE))


def login_refusal() -> str:
    return _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {
        "minutes": max(settings.CITIZEN_LOGIN_WINDOW_SECONDS // 60, 1)}


class FailedLoginBudgetMixin:
    """For a `LoginView`: one budget of failed sign-ins per client, shared by every sign-in door (429 when spent)."""

    def post(self, request, *args, **kwargs):
        if not login_attempt(request):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, login_refusal())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        login_succeeded(self.request)
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
