"""Sign-in budgets: per account and per address, separately, and one budget for every process that serves."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import RequestFactory

from motcua.portal.ratelimit import login_attempt

ROOT = Path(__file__).resolve().parents[3]


def _request(address="203.0.113.7"):
    return RequestFactory().post("/tai-khoan/dang-nhap/", REMOTE_ADDR=address)


def test_one_mistyping_officer_does_not_lock_out_the_others_behind_the_same_address(settings):
    settings.CITIZEN_LOGIN_ATTEMPTS = 3
    settings.LOGIN_ADDRESS_ATTEMPTS = 50
    for _ in range(3):
        assert login_attempt(_request(), "tiepnhan.tinh")
    assert not login_attempt(_request(), "tiepnhan.tinh")  # that account is spent
    assert login_attempt(_request(), "tiepnhan.tamky")  # a colleague on the same connection is not


def test_an_address_trying_many_accounts_is_stopped_by_the_address_budget(settings):
    settings.CITIZEN_LOGIN_ATTEMPTS = 3
    settings.LOGIN_ADDRESS_ATTEMPTS = 5
    answers = [login_attempt(_request(), f"user{n}") for n in range(7)]
    assert answers == [True] * 5 + [False] * 2
    assert login_attempt(_request("198.51.100.9"), "user0")  # another address still may


def test_the_account_budget_follows_the_account_from_any_address(settings):
    settings.CITIZEN_LOGIN_ATTEMPTS = 2
    assert login_attempt(_request("198.51.100.1"), "An@Example.vn")
    assert login_attempt(_request("198.51.100.2"), "an@example.vn")
    assert not login_attempt(_request("198.51.100.3"), "an@example.vn ")


def test_the_failed_sign_in_budget_is_shared_by_every_process_that_serves():
    """Another process (another gunicorn worker) charging the budget is seen here: the cache is not per process."""
    assert "locmem" not in django_settings.CACHES["default"]["BACKEND"] or pytest.fail("a per-process cache")
    code = ("import django; django.setup();"
            "from django.test import RequestFactory; from motcua.portal.ratelimit import login_attempt;"
            "[login_attempt(RequestFactory().post('/', REMOTE_ADDR='192.0.2.44'), 'shared') for _ in range(3)]")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=120)
    keys = [k for k in ("login:192.0.2.44",) if cache.get(k) is not None]
    assert keys and cache.get("login:192.0.2.44") == 3
