"""Security headers on pages and API answers, staff session expiry, and `check --deploy` under production settings."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from motcua.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def _assert_headers(response):
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_page_carries_the_security_headers(client):
    _assert_headers(client.get("/workspace/dang-nhap/"))


@pytest.mark.django_db
def test_an_api_answer_carries_the_security_headers(client):
    response = client.get("/api/v1/procedures/")
    assert response.status_code == 200
    _assert_headers(response)


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/workspace/dang-nhap/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_template_has_inline_script_or_handlers():
    import re

    offenders = []
    for path in (ROOT / "motcua").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_a_staff_session_ends_after_staff_session_seconds(org, make_user, client, settings):
    settings.STAFF_SESSION_SECONDS = 3600
    make_user(Role.SPECIALIST, org["000.00.05.H47"], username="chuyenvien", password="s3cret-pass!")
    response = client.post("/workspace/dang-nhap/", {"username": "chuyenvien", "password": "s3cret-pass!"})
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 3600
    assert client.session.get_expire_at_browser_close() is False


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    dropped = ("MOTCUA_TESTING", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("SECURE_", "DEBUG", "STAFF_")) and k not in dropped}
    environment.update(DJANGO_SETTINGS_MODULE="motcua.settings", DEBUG="false", MOTCUA_TESTING="false",
                       SECRET_KEY="x" * 20 + "production-secret-key-of-sixty-characters-or-more-0123456789",
                       ALLOWED_HOSTS="dichvucong.example.vn", MOTCUA_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=environment, timeout=180, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_test_run_serves_plain_http():
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_SECURE is False


@pytest.mark.django_db
def test_the_api_docs_page_has_no_inline_script(client):
    import re

    html = client.get("/api/docs/").content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert client.get("/api/docs/?script=").status_code == 200
