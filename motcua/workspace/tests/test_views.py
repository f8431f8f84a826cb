"""Workspace pages: who may open each, and what the catalogue editor and the calendar pages do."""
import pytest

from motcua.accounts.roles import Role
from motcua.catalogue.models import Procedure, VersionStatus
from motcua.catalogue.queries import version_as_data
from motcua.workcal.models import CalendarOverride

CODE = "1.009994.000.00.00.H47"
PAGES = ["/workspace/", "/workspace/co-quan/", "/workspace/thu-tuc/", f"/workspace/thu-tuc/{CODE}/",
         "/workspace/lich/"]
EDITOR_PAGES = ["/workspace/thu-tuc/them/", "/workspace/thu-tuc/nhap/", f"/workspace/thu-tuc/{CODE}/sua/"]


@pytest.fixture
def published(make_procedure, procedure_data):
    return make_procedure(procedure_data)


@pytest.mark.parametrize("url", PAGES + EDITOR_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, published, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/workspace/dang-nhap/")


@pytest.mark.parametrize("url", PAGES + EDITOR_PAGES)
def test_a_user_without_any_role_is_refused(client, published, make_user, org, url):
    client.force_login(make_user(None, org["000.00.05.H47"]))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_opens_the_staff_pages(client, published, make_user, org, role):
    client.force_login(make_user(role, org["000.00.05.H47"]))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.DESK_OFFICER, False), (Role.SPECIALIST, False), (Role.DIVISION_HEAD, False), (Role.LEADER, False),
    (Role.SUPERVISOR, False), (Role.CATALOGUE_EDITOR, True), (Role.ADMIN, True),
])
def test_only_editors_open_the_editing_pages(client, published, make_user, org, role, allowed):
    client.force_login(make_user(role, org["000.00.05.H47"]))
    for url in EDITOR_PAGES:
        assert client.get(url).status_code == (200 if allowed else 403), url


def test_login_with_demo_style_credentials(client, org, make_user):
    make_user(Role.SPECIALIST, org["000.00.05.H47"], username="cv", password="demo12345")
    response = client.post("/workspace/dang-nhap/", {"username": "cv", "password": "demo12345"})
    assert response.status_code == 302 and response["Location"] == "/workspace/ho-so/?tab=mine"
    bad = client.post("/workspace/dang-nhap/", {"username": "cv", "password": "wrong"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in bad.content.decode()


def test_agency_list_shows_only_the_users_subtree(client, make_user, org):
    client.force_login(make_user(Role.LEADER, org["000.00.21.H47"]))  # Tam Kỳ
    html = client.get("/workspace/co-quan/").content.decode()
    assert "UBND Phường An Mỹ" in html
    assert "Sở Xây dựng" not in html
    assert "UBND thành phố Hội An" not in html


def _post_data(data: dict, *, publish: bool) -> dict:
    post = {key: data[key] for key in ("code", "name", "field", "legal_limit", "committed_limit", "limit_unit",
                                       "online_level", "result_name", "result_kind", "legal_basis")}
    post.update({"levels": data["levels"], "agencies": data["agencies"], "applicant_types": data["applicant_types"],
                 "description": data.get("description", ""), "conditions": data.get("conditions", "")})
    for prefix in ("components", "fees", "steps"):
        rows = data[prefix]
        post[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        post[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for key, value in row.items():
                if isinstance(value, bool):
                    if value:
                        post[f"{prefix}-{i}-{key}"] = "on"
                else:
                    post[f"{prefix}-{i}-{key}"] = value
    post["publish" if publish else "draft"] = "1"
    return post


def test_editor_creates_a_procedure_through_the_form(client, editor, procedure_data):
    from motcua.catalogue.models import Field

    Field.objects.create(code="XD", name="Xây dựng")
    client.force_login(editor)
    response = client.post("/workspace/thu-tuc/them/", _post_data(procedure_data, publish=True))
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure = Procedure.objects.get(code=procedure_data["code"])
    assert procedure.current.status == VersionStatus.PUBLISHED
    assert procedure.current.steps.count() == 4


def test_editing_a_published_procedure_makes_version_two(client, editor, published):
    client.force_login(editor)
    data = version_as_data(published)
    data["name"] = "Cấp giấy phép xây dựng nhà ở riêng lẻ tại đô thị"
    response = client.post(f"/workspace/thu-tuc/{CODE}/sua/", _post_data(data, publish=True))
    assert response.status_code == 302
    current = Procedure.objects.get(code=CODE).current
    assert current.number == 2 and current.name == data["name"]
    page = client.get(f"/workspace/thu-tuc/{CODE}/").content.decode()
    assert "v2" in page and "Hết hiệu lực" in page


def test_wrong_step_total_is_shown_and_nothing_is_saved(client, editor, published):
    client.force_login(editor)
    data = version_as_data(published)
    data["steps"][1]["hours"] = "10"
    response = client.post(f"/workspace/thu-tuc/{CODE}/sua/", _post_data(data, publish=True))
    assert response.status_code == 200
    assert "phải bằng thời hạn cam kết" in response.content.decode()
    assert Procedure.objects.get(code=CODE).versions.count() == 1


def test_draft_then_publish_from_the_procedure_page(client, editor, published):
    client.force_login(editor)
    data = version_as_data(published)
    client.post(f"/workspace/thu-tuc/{CODE}/sua/", _post_data(data, publish=False))
    assert Procedure.objects.get(code=CODE).current == published
    client.post(f"/workspace/thu-tuc/{CODE}/cong-bo/")
    assert Procedure.objects.get(code=CODE).current.number == 2


def test_admin_records_a_calendar_override_and_the_due_tool_uses_it(client, org, make_user):
    client.force_login(make_user(Role.ADMIN, org["000.00.00.H47"]))
    client.post("/workspace/lich/", {"o-day": "30/11/2026", "o-kind": "day_off", "o-reason": "Thông báo thử"})
    assert CalendarOverride.objects.filter(kind="day_off").count() == 1
    html = client.post("/workspace/lich/", {"d-start": "27/11/2026 15:00", "d-amount": "3",
                                            "d-unit": "working_days"}).content.decode()
    assert "15:00 03/12/2026" in html  # Monday 30/11 is now a day off


def test_a_specialist_cannot_change_the_calendar(client, org, make_user):
    client.force_login(make_user(Role.SPECIALIST, org["000.00.05.H47"]))
    response = client.post("/workspace/lich/", {"o-day": "30/11/2026", "o-kind": "day_off", "o-reason": "x"})
    assert "không có quyền" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_export_downloads_the_published_catalogue(client, editor, published):
    client.force_login(editor)
    response = client.get("/workspace/thu-tuc/xuat.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert CODE in response.content.decode("utf-8-sig")


def test_navigation_offers_dossiers_only_to_those_who_may_see_them(client, make_user, org):
    client.force_login(make_user(Role.CATALOGUE_EDITOR, org["000.00.00.H47"]))
    assert "/workspace/ho-so/" not in client.get("/workspace/thu-tuc/").content.decode()
    client.force_login(make_user(Role.SPECIALIST, org["000.00.05.H47"]))
    assert "/workspace/ho-so/" in client.get("/workspace/thu-tuc/").content.decode()


def test_sign_in_failures_are_one_budget_across_the_api_the_workspace_and_the_portal(client, org, make_user,
                                                                                     settings):
    settings.CITIZEN_LOGIN_ATTEMPTS = 2
    make_user(Role.SPECIALIST, org["000.00.05.H47"], username="cv", password="demo12345")
    for _ in range(2):
        assert client.post("/api/v1/auth/token/", {"username": "cv", "password": "sai"},
                           content_type="application/json").status_code == 400
    blocked = client.post("/workspace/dang-nhap/", {"username": "cv", "password": "demo12345"})
    assert blocked.status_code == 429 and "_auth_user_id" not in client.session
    assert client.post("/tai-khoan/dang-nhap/", {"username": "cv", "password": "demo12345"}).status_code == 429


def test_a_citizen_account_cannot_sign_in_to_the_workspace(client, db):
    from django.utils import timezone

    from motcua.accounts.models import CitizenProfile, User

    user = User.objects.create_user(username="an@example.vn", password="Hoian2026pho")
    CitizenProfile.objects.create(user=user, name="Nguyễn Văn An", email="an@example.vn",
                                  email_verified_at=timezone.now())
    refused = client.post("/workspace/dang-nhap/", {"username": "an@example.vn", "password": "Hoian2026pho"})
    assert refused.status_code == 400 and "_auth_user_id" not in client.session
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in refused.content.decode()
