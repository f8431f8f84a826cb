"""The project's own error pages: Vietnamese first, in the site's layout, English by the language cookie; the API
answers in its JSON shape; the 500 page renders without the request; `make run` serves them with DEBUG off."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from motcua import error_pages
from motcua.tests.sockets import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_a_mistyped_address_shows_the_vietnamese_page_in_the_site_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/thu-tuc-khong-co/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không tìm thấy trang" in html and "Mã lỗi 404" in html
    assert 'class="skip"' in html and '<header class="site">' in html and 'id="lang"' in html
    assert "/thu-tuc-khong-co/" in html  # the address opened, quoted
    assert "Page not found" not in html and "urlpatterns" not in html and "Using the URLconf" not in html


def test_the_404_page_speaks_english_with_the_language_cookie(client, settings):
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/workspace/khong-co/").content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html and "Error code 404" in html and "Back to the home page" in html


def test_an_unknown_api_address_answers_in_the_api_error_shape(client, settings):
    settings.DEBUG = False
    response = client.get("/api/khong-co/")
    assert response.status_code == 404
    assert response.json() == {"message": "Không có địa chỉ này trong API; xem /api/schema/.", "detail": None}


def test_the_500_page_renders_without_a_request_context():
    request = RequestFactory().get("/ho-so-cua-toi/")  # no middleware ran: no user, no session, no CSRF token
    response = error_pages.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống đang gặp lỗi" in html and "Mã lỗi 500" in html and '<header class="site">' in html
    assert 'id="lang"' not in html  # the language form needs the request: left out


def test_a_view_that_fails_answers_with_the_project_500_page(settings, monkeypatch):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("motcua.portal.views.queries.fields_in_use", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    assert "Hệ thống đang gặp lỗi" in response.content.decode()


def test_the_500_page_falls_back_to_plain_text_if_its_template_fails(monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(error_pages, "render_to_string", failing)
    response = error_pages.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp lỗi" in response.content.decode()


def test_the_403_and_400_pages_are_the_projects():
    request = RequestFactory().get("/workspace/thong-ke/")
    request.user = AnonymousUser()
    forbidden = error_pages.permission_denied(request)
    assert forbidden.status_code == 403 and "Bạn không có quyền xem trang này" in forbidden.content.decode()
    bad = error_pages.bad_request(RequestFactory().get("/"))
    assert bad.status_code == 400 and "Yêu cầu không hợp lệ" in bad.content.decode()


def test_a_form_without_its_csrf_token_gets_the_projects_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Biểu mẫu chưa được gửi" in html and "CSRF verification failed" not in html


def test_make_run_serves_with_debug_off_over_plain_http():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "run: export DEBUG := $(or $(DEBUG),false)" in makefile
    assert "run: export MOTCUA_DEMO := $(or $(MOTCUA_DEMO),true)" in makefile


def test_the_demo_server_shows_the_project_404_and_serves_static_files(tmp_path):
    """`manage.py runserver` as `make run` starts it: DEBUG off, MOTCUA_DEMO on, nothing collected."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "STAFF_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", DEBUG="false", MOTCUA_DEMO="true", MOTCUA_TESTING="false",
               MOTCUA_VAR_DIR=str(tmp_path), HOST="127.0.0.1", PORT=str(port))
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                css = urllib.request.urlopen(base + "/static/motcua/site.css", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            pytest.fail("the demo server did not start")
        assert css.status == 200  # whitenoise serves the static files with DEBUG off
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "/dia-chi-go-sai/", timeout=5)  # noqa: S310
        assert missing.value.code == 404  # plain HTTP, no redirect to HTTPS
        html = missing.value.read().decode()
        assert "Không tìm thấy trang" in html and "URLconf" not in html
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_demo_settings_keep_plain_http_and_the_sandbox_bank():
    code = ("import django; django.setup(); from django.conf import settings as s;"
            " print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
            " s.STAFF_OTP_REQUIRED, s.SECURE_HSTS_SECONDS, s.PAYMENTS_SANDBOX,"
            " '192.168.1.20' in s.ALLOWED_HOSTS)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "STAFF_", "PAYMENTS_", "ALLOWED_"))}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", DEBUG="false", MOTCUA_DEMO="true", MOTCUA_TESTING="false",
               HOST="192.168.1.20")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True,
                         timeout=120).stdout.split()
    assert out == ["False", "False", "False", "False", "0", "True", "True"]


def test_a_request_refused_by_the_hygiene_layer_gets_the_site_layout_too():
    from motcua.hygiene import refusal

    response = refusal(RequestFactory().get("/"), 413, "Tệp quá lớn.")
    html = response.content.decode()
    assert response.status_code == 413
    assert '<header class="site">' in html and "Yêu cầu không hợp lệ" in html and "Tệp quá lớn." in html
