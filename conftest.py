"""Shared test fixtures: the demo organisation, staff users by role, and a headless Chromium page."""
import os
import shutil

import pytest

from motcua.accounts.roles import Role

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Every test starts in Vietnamese, whatever language an earlier test's request switched the thread to."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: sign-in and look-up budgets of one test must not spend the next's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_calendar_tables():
    """Each test reads the calendar tables afresh: an earlier test's rows were rolled back without a signal."""
    from motcua.workcal.services import forget_tables

    forget_tables()
    yield
    forget_tables()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; PBKDF2's deliberate slowness is for production, not for the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    """The demo organisation tree; `org["000.00.05.H47"]` gives an agency by code."""
    from motcua.agencies.models import Agency
    from motcua.demo import load_organisation

    load_organisation()
    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def make_user(db):
    """make_user(role, agency) -> a staff user holding `role` at `agency`."""
    from motcua.accounts.services import role_grant, user_create

    counter = {"n": 0}

    def _make(role: str | None, agency, *, username: str | None = None, password: str = "s3cret-pass!"):
        counter["n"] += 1
        user = user_create(
            username=username or f"user{counter['n']}", password=password, full_name=f"Cán bộ {counter['n']}",
            agency=agency, actor=None,
        )
        if role is not None:
            role_grant(user=user, role=role, agency=agency, actor=None)
        return user

    return _make


@pytest.fixture
def editor(org, make_user):
    """A catalogue editor over the whole province."""
    return make_user(Role.CATALOGUE_EDITOR, org["000.00.00.H47"], username="editor")


@pytest.fixture
def procedure_data():
    """Plain data for one valid procedure (Sở Xây dựng, 15 working days committed 12)."""
    return {
        "code": "1.009994.000.00.00.H47",
        "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "field": "XD",
        "field_name": "Xây dựng",
        "levels": ["province"],
        "agencies": ["000.00.05.H47"],
        "legal_limit": "15",
        "committed_limit": "12",
        "limit_unit": "working_days",
        "online_level": "partial",
        "applicant_types": ["citizen"],
        "result_name": "Giấy phép xây dựng",
        "result_kind": "licence",
        "legal_basis": "Luật Xây dựng 2014; Nghị định 15/2021/NĐ-CP",
        "components": [
            {"name": "Đơn đề nghị cấp giấy phép xây dựng", "required": True, "originals": 1},
            {"name": "Bản vẽ thiết kế", "required": True, "originals": 2},
        ],
        "fees": [{"name": "Lệ phí cấp giấy phép xây dựng", "amount": 75000, "collected": "intake"}],
        "steps": [
            {"name": "Tiếp nhận hồ sơ", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "4"},
            {"name": "Thẩm định hồ sơ", "kind": "review", "agency": "@self", "role": "specialist", "hours": "68"},
            {"name": "Phê duyệt", "kind": "approve", "agency": "@self", "role": "leader", "hours": "24"},
            {"name": "Trả kết quả", "kind": "return", "agency": "@self", "role": "desk_officer", "hours": "0"},
        ],
    }


@pytest.fixture
def make_procedure(org):
    """make_procedure(data, publish=True) -> the created ProcedureVersion (through the service)."""
    from motcua.catalogue.services import procedure_create
    from motcua.catalogue.spec import parse_spec

    def _make(data, *, publish: bool = True):
        return procedure_create(spec=parse_spec(data), actor=None, publish=publish)

    return _make


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in real headless Chromium (Debian's), pointed at the live server."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"browser test skipped: Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test skipped: the playwright package is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still sync.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()
