"""Demo data for `make run` and the browser tests: the organisation, staff logins, the catalogue and dossiers.

Every write goes through the domain services; running it again changes nothing.
"""
import json
import time
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.accounts.services import CitizenDetails, citizen_profile_update, citizen_register, role_grant, user_create
from motcua.agencies import demo as org
from motcua.agencies.models import Agency, AgencyKind
from motcua.agencies.services import agency_create
from motcua.catalogue.models import Procedure
from motcua.catalogue.services import field_ensure, procedure_create
from motcua.catalogue.spec import parse_spec
from motcua.dossiers.demo import load_demo_dossiers
from motcua.programme.demo import load_demo_programme
from motcua.ratings.demo import load_demo_ratings

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo password (README)
# The demo citizen (portal sign-in at /tai-khoan/dang-nhap/); citizen passwords need letters and digits, 10 or more.
CITIZEN_USERNAME = "congdan"
CITIZEN_PASSWORD = "Quangnam2026"  # noqa: S105 - documented demo password (docs/citizens.md)
CATALOGUE_FILE = Path(__file__).resolve().parent / "catalogue" / "demo" / "catalogue.json"

# (username, full name, works at, role, role held at, description)
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", "000.00.00.H47", Role.ADMIN, "000.00.00.H47", "quản trị hệ thống"),
    ("tiepnhan.tinh", "Nguyễn Thị Lan", "000.00.40.H47", Role.DESK_OFFICER, "000.00.40.H47",
     "công chức tiếp nhận, Trung tâm Phục vụ HCC tỉnh"),
    ("tiepnhan.tamky", "Trần Văn Hùng", org.district_desk_code("21"), Role.DESK_OFFICER,
     org.district_desk_code("21"), "công chức tiếp nhận, Bộ phận Một cửa TP Tam Kỳ"),
    ("chuyenvien.xaydung", "Lê Minh Tuấn", "000.00.05.H47", Role.SPECIALIST, "000.00.05.H47",
     "chuyên viên, Sở Xây dựng"),
    ("lanhdao.xaydung", "Phạm Quốc Bảo", "000.00.05.H47", Role.LEADER, "000.00.05.H47", "lãnh đạo Sở Xây dựng"),
    ("chuyenvien.tuphap", "Võ Thị Hoa", "000.00.02.H47", Role.SPECIALIST, "000.00.02.H47",
     "chuyên viên, Sở Tư pháp"),
    ("giamsat.noivu", "Huỳnh Văn Nam", "000.00.01.H47", Role.SUPERVISOR, "000.00.00.H47",
     "giám sát toàn tỉnh, Sở Nội vụ"),
    ("lanhdao.tttt", "Ngô Thị Mai", "000.00.07.H47", Role.LEADER, "000.00.07.H47",
     "lãnh đạo Sở Thông tin và Truyền thông (báo cáo chương trình CCHC)"),
    ("bientap", "Đặng Thu Trang", "000.00.01.H47", Role.CATALOGUE_EDITOR, "000.00.00.H47",
     "biên tập thủ tục hành chính"),
]


def _ensure_agency(code, name, kind, parent=None, short_name="") -> Agency:
    existing = Agency.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return agency_create(code=code, name=name, kind=kind, parent=parent, short_name=short_name)


def load_organisation() -> int:
    province = _ensure_agency(*org.PROVINCE)
    for code, name, kind, children in org.DEPARTMENTS:
        department = _ensure_agency(code, name, kind, province)
        for child_code, child_name, child_kind in children:
            _ensure_agency(child_code, child_name, child_kind, department)
    for number, name, short, communes in org.DISTRICTS:
        district = _ensure_agency(f"000.00.{number}.H47", name, AgencyKind.DISTRICT, province, short)
        _ensure_agency(org.district_desk_code(number), f"Bộ phận Một cửa {short}", AgencyKind.DESK, district)
        for div, div_name in org.DISTRICT_DIVISIONS:
            _ensure_agency(f"000.{div}.{number}.H47", f"{div_name} {short}", AgencyKind.DIVISION, district)
        for index, commune_name in enumerate(communes, start=1):
            commune = _ensure_agency(
                org.commune_code(number, index), f"UBND {commune_name}", AgencyKind.COMMUNE, district,
                f"{commune_name}, {short}",
            )
            _ensure_agency(org.commune_desk_code(number, index), f"Bộ phận Một cửa {commune_name}",
                           AgencyKind.DESK, commune)
    return Agency.objects.count()


def load_users() -> list[tuple[str, str]]:
    logins = []
    for username, full_name, works_at, role, held_at, description in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username, password=DEMO_PASSWORD, full_name=full_name,
                agency=Agency.objects.get(code=works_at), is_superuser=(role == Role.ADMIN), actor=None,
            )
        role_grant(user=user, role=role, agency=Agency.objects.get(code=held_at), actor=None)
        logins.append((username, description))
    return logins


def load_citizens() -> list[tuple[str, str, str]]:
    """A verified demo citizen with a saved profile (idempotent)."""
    user = User.objects.filter(username=CITIZEN_USERNAME).first()
    if user is None:
        details = CitizenDetails(kind="citizen", name="Nguyễn Văn Dân", id_number="049090001234")
        user = citizen_register(identifier="congdan@example.vn", password=CITIZEN_PASSWORD, details=details,
                                username=CITIZEN_USERNAME, preverified=True)
        citizen_profile_update(user=user, details=CitizenDetails(
            kind="citizen", name="Nguyễn Văn Dân", id_number="049090001234", phone="0905000111",
            email="congdan@example.vn", address="12 Trần Phú, phường An Mỹ, TP Tam Kỳ, Quảng Nam"))
    return [(CITIZEN_USERNAME, CITIZEN_PASSWORD, "công dân (đã xác thực), đăng nhập cổng dịch vụ công /tai-khoan/")]


def load_catalogue(path: Path = CATALOGUE_FILE) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    names = {f["code"]: f["name"] for f in data["fields"]}
    for code, name in names.items():
        field_ensure(code=code, name=name)
    known = set(Agency.objects.values_list("code", flat=True))
    existing = set(Procedure.objects.values_list("code", flat=True))
    created = 0
    for item in data["procedures"]:
        if item["code"] in existing:
            continue
        spec = parse_spec({**item, "field_name": names.get(item["field"], "")}, known_agency_codes=known)
        procedure_create(spec=spec, actor=None, publish=True)
        created += 1
    return created


def quiet_demo_history(since_id: int) -> int:
    """Demo history is not news: the messages its services queued are marked delivered, never sent (issue 12)."""
    from motcua.notifications.models import OutboxMessage, Status

    return OutboxMessage.objects.filter(id__gt=since_id, status=Status.PENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="demo history: recorded, not sent")


def _loader_steps(dossiers: int) -> list[tuple[str, Callable[[], str]]]:
    """(progress label, step answering its summary line). Another domain's demo adds ONE line here."""
    steps = [
        ("tổ chức / agencies", lambda: f"Agencies: {load_organisation()}"),
        ("tài khoản / staff logins", lambda: f"Staff logins: {len(load_users())}"),
        ("công dân / citizen", lambda: f"Citizens: {len(load_citizens())}"),
        ("thủ tục / catalogue", lambda: f"Procedures added: {load_catalogue()} (total {Procedure.objects.count()})"),
    ]
    if dossiers:
        steps += [
            ("hồ sơ / dossiers (and the demo citizen's own)",
             lambda: _dossiers_line(load_demo_dossiers(count=dossiers, citizen=CITIZEN_USERNAME))),
            ("đánh giá / ratings", lambda: f"Ratings added: {load_demo_ratings_quietly()}"),
            ("phản ánh, khảo sát / feedback and surveys", _load_citizen_voice),
        ]
    steps.append(("chương trình CCHC / reform programme", _load_programme))
    return steps


def _dossiers_line(made: dict) -> str:
    return f"Dossiers added: {made['dossiers']}" + (" (dossiers exist already)" if made.get("skipped") else "")


def demo_logins() -> list[str]:
    """The lines to print LAST, so that nothing scrolls them away."""
    lines = ["Demo logins (staff workspace at /workspace/):"]
    lines += [f"  {username:<20} {DEMO_PASSWORD}   {description}" for username, *_r, description in DEMO_USERS]
    lines.append("Demo citizen (portal at /tai-khoan/dang-nhap/; congdan@example.vn signs in too):")
    lines.append(f"  {CITIZEN_USERNAME:<20} {CITIZEN_PASSWORD}   công dân (đã xác thực), cổng dịch vụ công /tai-khoan/")
    return lines


@transaction.atomic
def load_demo(*, dossiers: int = 500, progress: Callable[[str], None] | None = None) -> list[str]:
    """Run every loader step in one transaction; `progress` hears each step as it starts and ends."""
    from motcua.notifications.models import OutboxMessage

    say = progress or (lambda _line: None)
    since = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
    lines = []
    steps = _loader_steps(dossiers)
    for number, (label, step) in enumerate(steps, start=1):
        began = time.monotonic()
        say(f"[{number}/{len(steps)}] {label} …")
        line = step()
        say(f"[{number}/{len(steps)}] {label}: {line} ({time.monotonic() - began:.1f} s)")
        lines.append(line)
    lines.append(f"Demo notifications marked delivered, not sent: {quiet_demo_history(since)}")
    return lines + demo_logins()


def load_demo_ratings_quietly(**options) -> int:
    """The demo ratings, with feedback quiet: an unhappy one opens a feedback item (issue 8) whose acknowledgement
    to its made-up sender must not be queued at all, as the feedback loader's own items are not."""
    from motcua.feedback.services import quiet

    with quiet():
        return load_demo_ratings(**options)


def _load_citizen_voice() -> str:
    """Demo feedback items and survey answers (motcua.feedback, motcua.surveys)."""
    from motcua.feedback.demo import load_demo_feedback
    from motcua.surveys.demo import load_demo_surveys

    return f"Feedback items added: {load_demo_feedback()}; survey answers added: {load_demo_surveys()}"


def _load_programme() -> str:
    """The shipped reform programme (QĐ 1908/QĐ-UBND) with 2016–2017 reports (motcua.programme)."""
    made = load_demo_programme()
    return f"Programme tasks: {made['tasks']}, demo reports: {made['reports']}"
