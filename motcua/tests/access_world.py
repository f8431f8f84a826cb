"""The access matrix's world: one user per demo role, two dossiers (inside and outside each role's agencies), and
one real object for every other kind of URL argument, all made through the domain services."""
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from motcua.accounts.roles import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FROZEN_AT = datetime(2026, 12, 7, 9, 0, tzinfo=VN)  # a Monday, no holiday near
PROVINCE = "000.00.00.H47"
PROVINCE_DESK = "000.00.40.H47"  # Trung tâm Phục vụ hành chính công tỉnh
XAY_DUNG = "000.00.05.H47"  # Sở Xây dựng
TAM_KY = "000.00.21.H47"  # UBND TP Tam Kỳ
TAM_KY_DESK = "000.20.21.H47"  # Bộ phận Một cửa TP Tam Kỳ
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROGRAMME_DATA = Path(__file__).resolve().parent.parent / "programme" / "data"

# The two dossiers' applicants: what must never show on a page of someone outside the dossier's agencies.
APPLICANTS = {
    "xd": {"name": "Nguyễn Văn Ma Trận", "id_number": "049090771234", "phone": "0905771234"},
    "tk": {"name": "Trần Thị Ngoài Vùng", "id_number": "049090885678", "phone": "0905885678"},
}

# role -> (how the user is made, which dossier is inside its reach). "xd": received at the provincial centre for Sở
# Xây dựng, filed online by the citizen; "tk": received at Tam Kỳ's desk for UBND TP Tam Kỳ.
# The supervisor is held at UBND TP Tam Kỳ (the demo's is province-wide) so that it too has an outside dossier.
ROLES = ("anonymous", "citizen", "desk", "specialist", "leader", "supervisor", "editor", "admin")
INSIDE = {
    "anonymous": (), "citizen": ("xd",), "desk": ("xd",), "specialist": ("xd",), "leader": ("xd",),
    "supervisor": ("tk",), "editor": (), "admin": ("xd", "tk"),
}


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (anonymous: None)
    dossiers: dict = field(default_factory=dict)  # "xd" / "tk" -> Dossier
    attachments: dict = field(default_factory=dict)  # "xd" / "tk" -> Attachment pk
    agencies: dict = field(default_factory=dict)  # "xd" / "tk" -> Agency (the dossier's processing agency)
    values: dict = field(default_factory=dict)  # "@name" -> a real object's key for other URL arguments
    sessions: dict = field(default_factory=dict)  # role -> session key, signed in once for the module

    def inside(self, role: str) -> tuple[str, ...]:
        return INSIDE[role]

    def outside(self, role: str) -> tuple[str, ...]:
        return tuple(key for key in ("xd", "tk") if key not in INSIDE[role])


def _procedure(code: str, agency: str, name: str):
    from motcua.catalogue.services import procedure_create
    from motcua.catalogue.spec import parse_spec

    data = {
        "code": code, "name": name, "field": "XD", "field_name": "Xây dựng", "levels": ["province"],
        "agencies": [agency], "legal_limit": "15", "committed_limit": "12", "limit_unit": "working_days",
        "online_level": "partial", "applicant_types": ["citizen"], "result_name": "Giấy phép",
        "result_kind": "licence", "legal_basis": "Luật Xây dựng 2014",
        "components": [{"name": "Đơn đề nghị", "required": True, "originals": 1}],
        "fees": [{"name": "Lệ phí", "amount": 75000, "collected": "intake"}],
        "steps": [
            {"name": "Tiếp nhận hồ sơ", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "4"},
            {"name": "Thẩm định hồ sơ", "kind": "review", "agency": "@self", "role": "specialist", "hours": "68"},
            {"name": "Phê duyệt", "kind": "approve", "agency": "@self", "role": "leader", "hours": "24"},
            {"name": "Trả kết quả", "kind": "return", "agency": "@self", "role": "desk_officer", "hours": "0"},
        ],
    }
    return procedure_create(spec=parse_spec(data), actor=None, publish=True)


def _intake(version, key: str):
    from motcua.dossiers.applicants import ApplicantData
    from motcua.dossiers.services import Intake, ReceivedComponent, Upload

    who = APPLICANTS[key]
    applicant = ApplicantData(type="citizen", name=who["name"], id_number=who["id_number"], phone=who["phone"],
                              email=f"{key}@example.vn", address="12 Phan Bội Châu, Tam Kỳ")
    components = [ReceivedComponent(component_id=c.id, originals=1) for c in version.components.all()]
    return Intake(procedure=version, applicant=applicant, components=components,
                  uploads=[Upload(f"don-{key}.pdf", PDF)])


def _staff(role, agency, username):
    from motcua.accounts.services import role_grant, user_create

    user = user_create(username=username, password="s3cret-pass!", full_name=f"Cán bộ {username}", agency=agency,
                       is_superuser=(role == Role.ADMIN), actor=None)
    role_grant(user=user, role=role, agency=agency, actor=None)
    return user


def build() -> World:
    """Make the world (call inside a transaction that the caller rolls back)."""
    from motcua.accounts.services import CitizenDetails, citizen_register
    from motcua.agencies.models import Agency
    from motcua.demo import load_organisation
    from motcua.dossiers import services as dossiers
    from motcua.feedback import services as feedback
    from motcua.filings import services as filings
    from motcua.programme import importer
    from motcua.programme import services as programme
    from motcua.programme.models import Target, Task
    from motcua.workcal.services import override_add

    load_organisation()
    org = {a.code: a for a in Agency.objects.all()}
    w = World()
    w.users = {
        "anonymous": None,
        "citizen": citizen_register(
            identifier="matran@example.vn", password="Quangnam2026", username="congdan.matran", preverified=True,
            details=CitizenDetails(kind="citizen", name="Nguyễn Văn Ma Trận", id_number="049090771234")),
        "desk": _staff(Role.DESK_OFFICER, org[PROVINCE_DESK], "tiepnhan.tinh"),
        "specialist": _staff(Role.SPECIALIST, org[XAY_DUNG], "chuyenvien.xaydung"),
        "leader": _staff(Role.LEADER, org[XAY_DUNG], "lanhdao.xaydung"),
        "supervisor": _staff(Role.SUPERVISOR, org[TAM_KY], "giamsat.tamky"),
        "editor": _staff(Role.CATALOGUE_EDITOR, org[PROVINCE], "bientap"),
        "admin": _staff(Role.ADMIN, org[PROVINCE], "admin"),
    }
    tam_ky_desk = _staff(Role.DESK_OFFICER, org[TAM_KY_DESK], "tiepnhan.tamky")
    receiver = _staff(Role.SUPERVISOR, org[PROVINCE], "giamsat.noivu")  # receives feedback, runs the programme

    building = _procedure("1.009994.000.00.00.H47", XAY_DUNG, "Cấp giấy phép xây dựng (ma trận)")
    district = _procedure("1.009995.000.00.00.H47", TAM_KY, "Cấp giấy phép xây dựng cấp huyện (ma trận)")
    xd = dossiers.dossier_submit(desk=org[PROVINCE_DESK], intake=_intake(building, "xd"), citizen=w.users["citizen"])
    xd = dossiers.dossier_accept(dossier=xd, actor=w.users["desk"])
    tk = dossiers.dossier_receive(actor=tam_ky_desk, desk=org[TAM_KY_DESK], intake=_intake(district, "tk"))
    w.dossiers = {"xd": xd, "tk": tk}
    w.attachments = {key: d.attachments.order_by("pk").first().pk for key, d in w.dossiers.items()}
    w.agencies = {"xd": org[XAY_DUNG], "tk": org[TAM_KY]}

    draft = filings.draft_create(owner=w.users["citizen"], procedure_version=building)
    draft_file = filings.draft_upload(draft=draft, owner=w.users["citizen"],
                                      component_id=building.components.first().pk, name="don.pdf", content=PDF)
    item = feedback.feedback_file(submission=feedback.Submission(
        kind="handling", subject="Hồ sơ chậm", name="Lê Văn Phản Ánh", phone="0905 000 222", email="pa@example.vn",
        content="Hồ sơ xây dựng của tôi chậm."))
    item = feedback.feedback_accept(item=item, actor=receiver)
    item = feedback.feedback_route(item=item, actor=receiver, agency=org[XAY_DUNG])
    override = override_add(day=date(2026, 12, 26), kind="working_day", reason="Làm bù", actor=w.users["admin"])
    for name in ("programme-1908-tasks.csv", "programme-1908-targets.csv"):
        path = PROGRAMME_DATA / name
        programme.programme_import(plan=importer.read(name, path.read_bytes()), actor=receiver, source=name)
    task = Task.objects.get(section__year=2016, number=29)  # Sở TT&TT leads
    tttt = org["000.00.07.H47"]
    report = programme.report_save(task=task, agency=tttt, year=2016, quarter=3,
                                   actor=_staff(Role.SPECIALIST, tttt, "chuyenvien.tttt"), status="in_progress",
                                   percent=40, uploads=[programme.Upload("bien-ban.pdf", PDF)])
    w.values = {
        "@procedure": building.procedure.code, "@feedback": item.code, "@draft": draft.pk, "@draft_file": draft_file.pk,
        "@override": override.pk, "@task": task.pk, "@target": Target.objects.order_by("pk").first().pk,
        "@report": report.pk, "@evidence": report.evidence.get().pk,
    }
    return w
