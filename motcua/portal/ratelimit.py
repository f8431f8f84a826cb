"""A per-client budget of attempts in the shared cache: the brute-force guard of the public pages and sign-ins.

`within_budget` counts every request (look-ups, registrations). Sign-in failures are counted twice, separately, and
shared by every door (portal, workspace, API token): per ACCOUNT (a small budget, `CITIZEN_LOGIN_ATTEMPTS`: guessing
one person's password) and per ADDRESS (a large one, `LOGIN_ADDRESS_ATTEMPTS`: one client trying many accounts), so
one officer mistyping behind an office's shared connection locks out only their own account, not the whole desk
(issue 12 item 8; the same split django-axes and similar field libraries make). `login_attempt` charges first and
`login_succeeded` gives the charge back, so a person who signs in often is never locked out by their own success.

The counters live in the default cache, which is shared by every process that serves: Redis when CACHE_URL is set
(required when app servers run on more than one host), otherwise a file cache under MOTCUA_VAR_DIR that all the
processes of one host share (settings.CACHES). A per-process memory cache would give each worker its own budget.
"""
import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from motcua.client import client_address

LOGIN_SCOPE = "login"
ACCOUNT_SCOPE = "login-account"


def _key(request, scope: str) -> str:
    return f"{scope}:{client_address(request)}"


def _account_key(username: str) -> str:
    return f"{ACCOUNT_SCOPE}:{hashlib.sha256(username.strip().casefold().encode()).hexdigest()}"


def _charge(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def budget_charge(request, *, scope: str, window_seconds: int) -> int:
    """Count one attempt against the client address's budget for `scope`; answers the count in this window."""
    return _charge(_key(request, scope), window_seconds)


def within_budget(request, *, scope: str, attempts: int, window_seconds: int) -> bool:
    """Count this request against the client address's budget for `scope`; False once it is spent."""
    return budget_charge(request, scope=scope, window_seconds=window_seconds) <= attempts


def login_attempt(request, username: str = "") -> bool:
    """Count a sign-in attempt against the account and the address; False (refuse it, even with the right
    password) once either budget of failures is spent."""
    window = settings.CITIZEN_LOGIN_WINDOW_SECONDS
    from_address = budget_charge(request, scope=LOGIN_SCOPE, window_seconds=window)
    on_account = _charge(_account_key(username), window) if username else 0
    return from_address <= settings.LOGIN_ADDRESS_ATTEMPTS and on_account <= settings.CITIZEN_LOGIN_ATTEMPTS


def login_succeeded(request, username: str = "") -> None:
    """A right password: the attempt counts against neither the account nor the address."""
    keys = [_key(request, LOGIN_SCOPE)] + ([_account_key(username)] if username else [])
    for key in keys:
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(key)


def login_refusal() -> str:
    return _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {
        "minutes": max(settings.CITIZEN_LOGIN_WINDOW_SECONDS // 60, 1)}


class FailedLoginBudgetMixin:
    """For a `LoginView`: one budget of failed sign-ins per client, shared by every sign-in door (429 when spent)."""

    def post(self, request, *args, **kwargs):
        if not login_attempt(request, request.POST.get("username", "")):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, login_refusal())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        login_succeeded(self.request, self.request.POST.get("username", ""))
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
