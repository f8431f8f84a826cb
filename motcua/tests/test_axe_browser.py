"""axe-core (vendored, motcua/tests/vendor/axe-core) over the main portal and workspace pages in Vietnamese and
English, with the WCAG 2.1 A and AA rules: any violation fails with its rule, the elements and the help text."""
import os
import shutil
import time
from pathlib import Path

import pytest
from django.test import Client

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")  # as the suite's browser_page fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def chromium():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"browser test skipped: Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test skipped: the playwright package is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def demo(db):
    from motcua.demo import load_demo

    load_demo(dossiers=30)


def session_cookie(username: str, base_url: str) -> dict:
    """A signed-in session for `username`, made by Django's test client (no sign-in form: language-neutral)."""
    from motcua.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}


def pages_to_check():
    """(who, viewport, path) for the main pages of each journey, picked from the demo data."""
    from motcua.accounts.models import User
    from motcua.catalogue.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.workflow import Status

    procedure = Procedure.objects.filter(current__name="Đăng ký kết hôn").values_list("code", flat=True).first()
    citizen = User.objects.get(username="congdan")
    own = Dossier.objects.filter(citizen=citizen).values_list("code", flat=True).first()
    desk_dossier = (Dossier.objects.filter(desk__code="000.00.40.H47").exclude(status=Status.SUBMITTED)
                    .order_by("-received_at").values_list("code", flat=True).first())
    assert procedure and own and desk_dossier, "the demo has a marriage registration, citizen and desk dossiers"
    return [
        (None, PHONE, "/"),
        (None, PHONE, "/thu-tuc/?q=ket+hon"),
        (None, PHONE, f"/thu-tuc/{procedure}/"),
        (None, PHONE, "/tai-khoan/dang-nhap/"),
        (None, PHONE, "/tra-cuu/"),
        (None, PHONE, "/phan-anh/"),
        (None, PHONE, "/hoi-dap/"),
        (None, PHONE, "/thong-ke/"),
        (None, PHONE, "/khong-co-trang-nay/"),
        ("congdan", PHONE, f"/nop-ho-so/{procedure}/"),
        ("congdan", PHONE, "/ho-so-cua-toi/"),
        ("congdan", PHONE, f"/ho-so-cua-toi/{own}/"),
        ("congdan", PHONE, "/tai-khoan/"),
        (None, DESKTOP, "/workspace/dang-nhap/"),
        ("tiepnhan.tinh", DESKTOP, "/workspace/ho-so/"),
        ("tiepnhan.tinh", DESKTOP, "/workspace/ho-so/tiep-nhan/"),
        ("tiepnhan.tinh", DESKTOP, f"/workspace/ho-so/tiep-nhan/?procedure={procedure}"),
        ("tiepnhan.tinh", DESKTOP, f"/workspace/ho-so/{desk_dossier}/"),
        ("giamsat.noivu", DESKTOP, "/workspace/danh-gia/"),
        ("giamsat.noivu", DESKTOP, "/workspace/thong-ke/"),
        ("giamsat.noivu", DESKTOP, "/workspace/nhat-ky-kiem-toan/"),
        ("giamsat.noivu", DESKTOP, "/workspace/phan-anh/"),
    ]


def test_main_pages_have_no_wcag_21_aa_violations_in_vietnamese_or_english(chromium, live_server, demo):
    began = time.monotonic()
    found = []
    pages = pages_to_check()
    for language in ("vi", "en"):  # one test: the demo is loaded once for both languages
        found += axe_violations(chromium, live_server.url, pages, language)
    assert not found, f"{len(found)} axe-core violations:\n" + "\n".join(found)
    print(f"axe-core: {2 * len(pages)} page views in {time.monotonic() - began:.0f} s")  # about 40 s on 2 idle cores


def axe_violations(chromium, base_url: str, pages: list, language: str) -> list[str]:
    found = []
    contexts = {}
    try:
        for who, viewport, path in pages:
            key = (who, viewport["width"])
            if key not in contexts:
                # The CSP (script-src 'self') refuses inline scripts, which add_script_tag injects: bypassed here only.
                context = chromium.new_context(viewport=viewport, bypass_csp=True,
                                               locale="vi-VN" if language == "vi" else "en-GB")
                cookies = [{"name": "django_language", "value": language, "url": base_url}]
                if who:
                    cookies.append(session_cookie(who, base_url))
                context.add_cookies(cookies)
                contexts[key] = context.new_page()
                contexts[key].set_default_timeout(20000)
            page = contexts[key]
            page.goto(base_url + path)
            assert page.evaluate("document.documentElement.lang") == language, path
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(RUN_AXE, WCAG_21_AA):
                found.append(f"{language} {path} [{who or 'anonymous'}, {viewport['width']}px]: {violation['id']} "
                             f"({violation['impact']}) {violation['help']} at {violation['targets']}")
    finally:
        for page in contexts.values():
            page.context.close()
    return found
