"""Demo dossiers: about 500 dossiers received over the year before today (four quarters), with their whole histories.

Every change goes through `motcua.dossiers.services`, each call inside a `clock.travel(moment)` block, so the rows,
events, pauses, due times, codes and outbox messages are exactly what the services write. The histories run in
global time order (one simulated office day after another), so codes and logbook numbers follow receipt order:

- intake at the provincial centre (`000.00.40.H47`) for department procedures, at district desks (`000.20.NN.H47`)
  for `@district` procedures and at commune desks (`NN.20.NN.H47`) for `@commune` ones, during office hours on
  working days; online filings at any hour, checked by the desk the next office hours;
- each step claimed and handed on by an officer of the step's agency and role; inter-agency steps (tax office,
  police, social insurance, land registration office, the provincial People's Committee) by their own officers;
- some supplements (once), payments (land taxes, online fees), send-backs, apologies with a new date, late results,
  refusals, withdrawals and stops; results returned at the desk (who collected them), by post (handed to the post
  with an `EL…VN` tracking number, then delivered) or online (a draft attached before approval, signed by the lead
  agency's demo key from `manage.py democa`, which the loader runs first).

Every state appears at any count >= 30: the first dossiers follow a fixed list of scenarios, the rest are drawn with
a seeded `random.Random`. A history that would run past the present stops where the present is, which leaves the
recent dossiers open as they would be. Officers missing from the demo logins are created as `cv.<role>.<place>`
(password `demo12345`). Demo dossiers are added only to an empty dossier table, so loading twice adds nothing.
"""
import heapq
import io
import random
import re
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from motcua import clock
from motcua.accounts.models import RoleGrant, User
from motcua.accounts.roles import Role
from motcua.accounts.services import role_grant, user_create
from motcua.agencies import demo as org
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue.models import FeeMoment, OnlineLevel, ProcedureVersion, StepKind
from motcua.dossiers import services as svc
from motcua.dossiers.applicants import ApplicantData
from motcua.dossiers.models import Delivery, Dossier, DossierStep
from motcua.dossiers.services import Intake, ReceivedComponent
from motcua.dossiers.workflow import Status
from motcua.text import fold
from motcua.workcal.services import calendar_for, from_local, to_local

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo password (README), as in motcua.demo
PROVINCIAL_DESK = "000.00.40.H47"
TAX_OFFICE = "000.00.12.H47"
LAND_OFFICE = "000.01.04.H47"
WINDOW_DAYS = 365  # "the year before today": four quarters for the supervision screens

S = Status

# ---------------------------------------------------------------------------------------------------------------
# Vietnamese names, addresses and reasons

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Trương", "Đoàn", "Lương", "Châu", "Mai", "Thái"]
MIDDLE = {"m": ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Ngọc", "Xuân"],
          "f": ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Hoài"]}
GIVEN = {"m": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Minh", "Nam", "Phúc", "Quang", "Sơn",
               "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Lộc", "Hiếu", "Toàn", "Phát", "Nhân"],
         "f": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung",
               "Phương", "Thảo", "Trang", "Uyên", "Vy", "Yến", "Loan", "Diễm", "Thủy", "Xuân", "Hiền"]}
STREETS = ["Phan Bội Châu", "Hùng Vương", "Trần Phú", "Lê Lợi", "Nguyễn Duy Hiệu", "Hai Bà Trưng", "Phan Châu Trinh",
           "Trần Hưng Đạo", "Lý Thường Kiệt", "Bạch Đằng", "Huỳnh Thúc Kháng", "Nguyễn Hoàng", "Trần Cao Vân",
           "Quang Trung", "Lê Thánh Tông", "Nguyễn Trãi"]
FIRM_KINDS = ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân"]
FIRM_TRADES = ["Xây dựng", "Thương mại", "Du lịch", "Vận tải", "Thực phẩm", "Dịch vụ", "Đầu tư", "Kỹ thuật",
               "May mặc", "Nông sản"]
FIRM_BRANDS = ["Phú Ninh", "Hội An Xanh", "Sông Thu", "Kỳ Hà", "Chu Lai", "An Phú", "Tam Thanh", "Cửa Đại",
               "Trường Sơn", "Mỹ Sơn", "Cù Lao Chàm", "Thu Bồn", "Hòa Phát Quảng Nam", "Minh Long", "Đại Lộc"]
ORGANISATIONS = ["Trường THCS Lý Tự Trọng", "Hợp tác xã Nông nghiệp Tam Thăng", "Hội Chữ thập đỏ",
                 "Trường Tiểu học Kim Đồng", "Hội Nông dân", "Trung tâm Y tế", "Ban Quản lý chợ"]

REFUSE_ONLINE = [
    "Hồ sơ trực tuyến thiếu bản quét tờ khai có chữ ký của người yêu cầu.",
    "Thủ tục không thuộc thẩm quyền giải quyết của đơn vị; đề nghị nộp tại cơ quan có thẩm quyền.",
    "Thông tin người nộp không khớp với Cơ sở dữ liệu quốc gia về dân cư.",
]
# Refusals after review, by field: a marriage registration is not refused for a planning reason (issue 12).
REFUSE_PROCESSING = [
    "Kết quả xác minh cho thấy thông tin kê khai không chính xác.",
    "Người đề nghị không đáp ứng điều kiện theo quy định của thủ tục này.",
]
REFUSE_BY_FIELD = {
    "HT": ["Kết quả xác minh cho thấy thông tin kê khai không khớp với sổ hộ tịch đang lưu.",
           "Việc hộ tịch không thuộc thẩm quyền đăng ký của cơ quan theo Luật Hộ tịch.",
           "Người yêu cầu không đáp ứng điều kiện đăng ký theo quy định của Luật Hộ tịch."],
    "XD": ["Không đủ điều kiện theo quy định: vị trí không phù hợp quy hoạch chi tiết được duyệt.",
           "Thiết kế không đáp ứng quy chuẩn kỹ thuật quốc gia về xây dựng."],
    "DD": ["Thửa đất đang có tranh chấp, chưa đủ điều kiện giải quyết.",
           "Mục đích sử dụng đất đề nghị không phù hợp quy hoạch sử dụng đất được duyệt."],
    "HKD": ["Tên hộ kinh doanh đề nghị đăng ký trùng với tên đã đăng ký trong phạm vi huyện.",
            "Ngành, nghề đề nghị đăng ký thuộc danh mục ngành, nghề cấm đầu tư kinh doanh."],
    "DKKD": ["Tên doanh nghiệp đề nghị đăng ký trùng với tên doanh nghiệp đã đăng ký.",
             "Ngành, nghề đề nghị đăng ký thuộc danh mục ngành, nghề cấm đầu tư kinh doanh."],
    "KCB": ["Người đề nghị không đáp ứng điều kiện về chuyên môn theo quy định."],
    "DUOC": ["Người đề nghị không đáp ứng điều kiện về chuyên môn theo quy định."],
    "ATTP": ["Cơ sở không đáp ứng điều kiện bảo đảm an toàn thực phẩm theo kết quả thẩm định thực tế."],
}


def refusal_reason(rng: random.Random, field_code: str) -> str:
    """A reason that fits the procedure's field (Mẫu 03 states it), else one that fits any procedure.

    It draws from `rng` exactly as the single list of four did, so the rest of the demo stays as it was."""
    options = REFUSE_BY_FIELD.get(field_code) or REFUSE_PROCESSING
    return options[rng.choice(range(4)) % len(options)]
SUPPLEMENT_REASONS = [
    "Thành phần hồ sơ chưa hợp lệ; đề nghị bổ sung, hoàn thiện theo danh mục kèm theo.",
    "Hồ sơ còn thiếu giấy tờ và thông tin kê khai chưa đầy đủ.",
]
SUPPLEMENT_ITEM_REASONS = ["Bản sao chưa được chứng thực", "Thông tin kê khai chưa đầy đủ", "Thiếu chữ ký, đóng dấu",
                           "Bản quét mờ, không đọc được", "Số liệu không khớp với hồ sơ gốc"]
APOLOGY_REASONS = [
    "Hồ sơ cần xác minh thực địa thêm; cơ quan chậm trả kết quả so với ngày hẹn.",
    "Chờ ý kiến phối hợp của cơ quan liên quan nên chưa trả kết quả đúng hẹn.",
    "Khối lượng hồ sơ tăng đột biến; đơn vị xin lỗi và hẹn lại ngày trả kết quả.",
]
STOP_REASONS = [
    "Quá thời hạn bổ sung hồ sơ nhưng người nộp không bổ sung.",
    "Có tranh chấp đang được Tòa án thụ lý; dừng giải quyết theo quy định.",
]
WITHDRAW_REASONS = ["Người nộp có đơn đề nghị rút hồ sơ để điều chỉnh phương án.",
                    "Người nộp đề nghị rút hồ sơ do thay đổi nhu cầu."]
SEND_BACK_REASONS = ["Đề nghị thẩm định lại số liệu diện tích.", "Bổ sung ý kiến thẩm định về điều kiện hoạt động.",
                     "Dự thảo kết quả còn sai sót, đề nghị chỉnh sửa."]

# Short, readable place names for the officers created here (`cv.<role>.<place>`).
DEPARTMENT_SLUGS = {
    "000.00.00.H47": "ubndtinh", "000.00.40.H47": "tinh", "000.00.01.H47": "noivu", "000.00.02.H47": "tuphap",
    "000.00.03.H47": "khdt", "000.00.04.H47": "tnmt", LAND_OFFICE: "vpdkdd", "000.00.05.H47": "xaydung",
    "000.00.06.H47": "gtvt", "000.00.07.H47": "tttt", "000.00.08.H47": "taichinh", "000.00.09.H47": "yte",
    "000.00.10.H47": "ldtbxh", "000.00.11.H47": "vhttdl", TAX_OFFICE: "thue", "000.00.13.H47": "congan",
    "000.00.14.H47": "bhxh",
}
ROLE_WORDS = {Role.DESK_OFFICER: "tiepnhan", Role.SPECIALIST: "chuyenvien", Role.DIVISION_HEAD: "truongphong",
              Role.LEADER: "lanhdao"}


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few rounds, used only while the demo officers are created (their password is public).

    Fifty accounts at Django's full strength would take half a minute; Django re-hashes the password at full
    strength at each account's first login (`must_update`), since the algorithm name is the same.
    """

    iterations = 1000


@contextmanager
def _quick_demo_passwords():
    with override_settings(PASSWORD_HASHERS=["motcua.dossiers.demo.DemoPasswordHasher", *settings.PASSWORD_HASHERS]):
        yield


# ---------------------------------------------------------------------------------------------------------------
# What happens to one dossier


@dataclass
class Plan:
    target: str  # the state the history aims at (it may stop earlier if it would run past the present)
    procedure: str = ""  # a catalogue code, or "" to draw one
    online: bool = False
    supplement: bool = False
    payment: bool = False
    apology: bool = False
    late: bool = False
    send_back: bool = False
    refuse_at_intake: bool = False
    delivery: str = ""
    citizen: bool = False  # filed online by the demo citizen `congdan` (their "Hồ sơ của tôi")


LAND_VIA_TAX = "1.012760.000.00.00.H47"  # provincial land registration passing through Cục Thuế
DISTRICT_LAND = "1.012761.000.00.00.H47"  # district: land registration office and Cục Thuế

# The first dossiers of every load: each state, and each kind of history the tests and the screens rely on.
# The demo citizen's own dossiers (issue 12): one in each state a citizen must act on or look at.
CITIZEN_PLANS = [
    Plan(S.AWAITING_SUPPLEMENT, online=True, supplement=True, citizen=True),
    Plan(S.AWAITING_PAYMENT, procedure=LAND_VIA_TAX, online=True, payment=True, citizen=True),
    Plan(S.COMPLETED, online=True, delivery=Delivery.ONLINE, citizen=True),
    Plan(S.RETURNED, online=True, delivery=Delivery.DESK, citizen=True),  # ratings skip it: waiting for a rating
]

SCENARIOS = [
    Plan(S.RETURNED, procedure=LAND_VIA_TAX, payment=True, delivery=Delivery.POST),
    Plan(S.RETURNED, supplement=True, delivery=Delivery.DESK),
    Plan(S.RETURNED, apology=True),
    Plan(S.RETURNED, late=True, delivery=Delivery.DESK),
    Plan(S.COMPLETED),
    Plan(S.IN_PROGRESS),
    Plan(S.RECEIVED),
    Plan(S.SUBMITTED, online=True),
    Plan(S.AWAITING_SUPPLEMENT, supplement=True),
    Plan(S.AWAITING_PAYMENT, procedure=LAND_VIA_TAX, payment=True),
    Plan(S.REFUSED, online=True, refuse_at_intake=True),
    Plan(S.REFUSED),
    Plan(S.WITHDRAWN),
    Plan(S.STOPPED, supplement=True),
    Plan(S.RETURNED, online=True, delivery=Delivery.ONLINE),
    Plan(S.RETURNED, procedure=DISTRICT_LAND, delivery=Delivery.POST),
    Plan(S.RETURNED, send_back=True),
    Plan(S.STOPPED),
]

TARGET_WEIGHTS = [(S.RETURNED, 64), (S.COMPLETED, 6), (S.IN_PROGRESS, 7), (S.RECEIVED, 2), (S.SUBMITTED, 2),
                  (S.AWAITING_SUPPLEMENT, 4), (S.AWAITING_PAYMENT, 2), (S.REFUSED, 6), (S.WITHDRAWN, 4),
                  (S.STOPPED, 3)]

# What a history yields: when, which service operation, and its arguments (the dossier is added when it exists).
Move = tuple[datetime, Callable[..., Dossier], dict]


class _Loader:
    def __init__(self, *, count: int, seed: int, today: datetime, citizen: User | None = None):
        self.citizen = citizen
        self.rng = random.Random(seed)
        self.count = count
        self.limit = today - timedelta(minutes=5)
        self.cal = calendar_for(None)
        local_today = to_local(self.limit).date()
        first = local_today - timedelta(days=WINDOW_DAYS)
        self.days = [first + timedelta(days=i) for i in range((local_today - first).days + 1)
                     if self.cal.is_working_day(first + timedelta(days=i))]
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.officers: dict[tuple[str, str], User] = {}
        self.created_officers = 0
        self.versions = self._versions()
        self.serial = 0
        self.can_sign = _demo_keys()
        self._draft: bytes | None = None

    # -- catalogue and desks ---------------------------------------------------------------------------------

    def _versions(self) -> dict[str, ProcedureVersion]:
        versions = (ProcedureVersion.objects.published().select_related("procedure")
                    .prefetch_related("components", "fees", "steps", "agencies"))
        return {v.procedure.code: v for v in versions}

    def _tokens(self, version: ProcedureVersion) -> set[str]:
        kinds = {a.kind for a in version.agencies.all()}
        tokens = set()
        if AgencyKind.DISTRICT in kinds:
            tokens.add("@district")
        if AgencyKind.COMMUNE in kinds:
            tokens.add("@commune")
        if kinds - {AgencyKind.DISTRICT, AgencyKind.COMMUNE}:
            tokens.add("department")
        return tokens

    def _desk_for(self, version: ProcedureVersion) -> Agency:
        tokens = self._tokens(version)
        if "department" in tokens:
            return self.agencies[PROVINCIAL_DESK]
        districts = [n for n, *_rest in org.DISTRICTS]
        communes = [(n, i) for n, _name, _short, names in org.DISTRICTS for i in range(1, len(names) + 1)]
        if "@commune" in tokens and ("@district" not in tokens or self.rng.random() < 0.6):
            number, index = self.rng.choice(communes)
            return self.agencies[org.commune_desk_code(number, index)]
        return self.agencies[org.district_desk_code(self.rng.choice(districts))]

    def _pick_procedure(self, plan: Plan) -> ProcedureVersion:
        if plan.procedure and plan.procedure in self.versions:
            return self.versions[plan.procedure]
        candidates = list(self.versions.values())
        if plan.online:
            candidates = [v for v in candidates if v.online_level != OnlineLevel.INFO] or candidates
        if plan.send_back or plan.apology or plan.late:  # histories that need a review and an approval
            candidates = [v for v in candidates if v.legal_limit > 1] or candidates
        weights = []
        for v in candidates:
            tokens = self._tokens(v)
            weights.append(3 if "@commune" in tokens else 2 if "@district" in tokens else 1.5)
        return self.rng.choices(candidates, weights)[0]

    # -- officers --------------------------------------------------------------------------------------------

    def _slug(self, agency: Agency) -> str:
        if agency.code in DEPARTMENT_SLUGS:
            return DEPARTMENT_SLUGS[agency.code]
        place = agency
        if agency.kind == AgencyKind.DESK and agency.parent is not None:
            place = self.agencies.get(agency.parent.code, agency.parent)
        return re.sub(r"[^a-z0-9]+", "", fold(place.short_name or place.name).replace("ubnd ", ""))

    def officer(self, agency: Agency, role: str) -> User:
        """Someone holding `role` at exactly `agency`: a demo login if one exists, else a new `cv.` officer."""
        key = (agency.code, role)
        if key in self.officers:
            return self.officers[key]
        grant = (RoleGrant.objects.filter(agency=agency, role=role, user__is_active=True)
                 .select_related("user").order_by("user__username").first())
        if grant is not None:
            user = grant.user
        else:
            username = f"cv.{ROLE_WORDS[role]}.{self._slug(agency)}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(username=username, password=DEMO_PASSWORD, full_name=self.person_name(),
                                   agency=agency, actor=None)
                self.created_officers += 1
            role_grant(user=user, role=role, agency=agency, actor=None)
        self.officers[key] = user
        return user

    def step_officer(self, step: DossierStep) -> User:
        if step.kind in (StepKind.RECEIVE, StepKind.RETURN):
            return self.officer(step.agency, Role.DESK_OFFICER)
        if step.kind == StepKind.APPROVE or step.role == Role.LEADER:
            return self.officer(step.agency, Role.LEADER)
        if step.role == Role.DIVISION_HEAD:
            return self.officer(step.agency, Role.DIVISION_HEAD)
        return self.officer(step.agency, Role.SPECIALIST)

    # -- people ----------------------------------------------------------------------------------------------

    def person_name(self, sex: str | None = None) -> str:
        sex = sex or self.rng.choice("mf")
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE[sex])} {self.rng.choice(GIVEN[sex])}"

    def phone(self) -> str:
        return "09" + "".join(self.rng.choice("0123456789") for _ in range(8))

    def address(self, desk: Agency) -> str:
        number = self.rng.randint(1, 320)
        street = self.rng.choice(STREETS)
        parent = self.agencies[desk.parent.code] if desk.parent else None
        if parent is not None and parent.kind == AgencyKind.COMMUNE:
            hamlet = "Khối phố" if parent.short_name.startswith("Phường") else "Thôn"
            return f"{hamlet} {self.rng.randint(1, 9)}, {parent.short_name}, tỉnh Quảng Nam"
        if parent is not None and parent.kind == AgencyKind.DISTRICT:
            return f"{number} {street}, {parent.short_name}, tỉnh Quảng Nam"
        town = self.rng.choice(["Tam Kỳ", "Hội An", "Điện Bàn", "Núi Thành", "Thăng Bình", "Duy Xuyên"])
        return f"{number} {street}, {town}, tỉnh Quảng Nam"

    def citizen_applicant(self) -> ApplicantData:
        user = self.citizen
        profile = getattr(user, "citizen_profile", None)
        return ApplicantData(type="citizen", name=user.full_name, id_number=getattr(profile, "id_number", ""),
                             phone=getattr(profile, "phone", ""), email=user.email,
                             address=getattr(profile, "address", ""))

    def applicant(self, version: ProcedureVersion, desk: Agency) -> ApplicantData:
        types = list(version.applicant_types or []) or ["citizen"]
        kind = "citizen" if "citizen" in types and self.rng.random() < 0.75 else self.rng.choice(types)
        phone = self.phone() if self.rng.random() < 0.93 else ""
        if kind == "citizen":
            sex = self.rng.choice("mf")
            name = self.person_name(sex)
            born = self.rng.randint(1950, 2006)
            century = (0 if born < 2000 else 2) + (0 if sex == "m" else 1)
            id_number = f"049{century}{born % 100:02d}{self.rng.randint(0, 999999):06d}"
        elif kind == "business":
            name = f"{self.rng.choice(FIRM_KINDS)} {self.rng.choice(FIRM_TRADES)} {self.rng.choice(FIRM_BRANDS)}"
            id_number = f"4000{self.rng.randint(0, 999999):06d}"
            if self.rng.random() < 0.1:
                id_number += f"-{self.rng.randint(1, 9):03d}"
        else:
            place = self.address(desk).split(", ")[-2]
            name = f"{self.rng.choice(ORGANISATIONS)} {place}"
            id_number = f"{self.rng.randint(1000000, 1999999)}"  # mã đơn vị có quan hệ với ngân sách
        email = ""
        if self.rng.random() < 0.35:
            email = f"{fold(name).replace(' ', '.')[:30].strip('.')}{self.rng.randint(1, 99)}@example.com"
        return ApplicantData(type=kind, name=name, id_number=id_number, phone=phone, email=email,
                             address=self.address(desk))

    def components(self, version: ProcedureVersion) -> list[ReceivedComponent]:
        received = []
        for c in version.components.all():
            if c.required or self.rng.random() < 0.6:
                received.append(ReceivedComponent(component_id=c.id, originals=max(1, c.originals),
                                                  certified_copies=c.certified_copies, photocopies=c.photocopies))
        return received

    # -- time ------------------------------------------------------------------------------------------------

    def after(self, moment: datetime, hours: float) -> datetime:
        """`moment` plus `hours` working hours (at least a minute), in the province's calendar."""
        amount = Decimal(str(round(max(hours, 0.02), 2)))
        return from_local(self.cal.add_working_hours(to_local(moment), amount))

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        if b <= a:
            return 0.0
        return self.cal.working_time_between(to_local(a), to_local(b)).total_seconds() / 3600

    def office_moment(self, day: date) -> datetime:
        """A moment in office hours on working day `day`, mornings busier than afternoons."""
        opening = self.cal.next_opening(datetime.combine(day, datetime.min.time()))
        hours = self.rng.uniform(0, 3.9) if self.rng.random() < 0.6 else self.rng.uniform(4, 7.9)
        return from_local(self.cal.add_working_hours(opening, Decimal(str(round(hours, 2)))))

    def intake_day(self, plan: Plan, version: ProcedureVersion) -> date:
        days = self.days
        if plan.target in (S.SUBMITTED, S.RECEIVED):
            return self.rng.choice(days[-2:])
        if plan.target in (S.IN_PROGRESS, S.AWAITING_SUPPLEMENT):
            return self.rng.choice(days[-12:])
        if plan.target == S.AWAITING_PAYMENT:
            return self.rng.choice(days[-12:-3])
        # Old enough for the whole history; a result not yet collected was completed lately.
        latest = max(1, len(days) - self._working_days_needed(plan, version))
        if plan.target == S.COMPLETED:
            return self.rng.choice(days[max(0, latest - 8):latest])
        return self.rng.choice(days[:latest])

    def _working_days_needed(self, plan: Plan, version: ProcedureVersion) -> int:
        if version.limit_unit == "calendar_days":
            days = float(version.committed_limit) * 5 / 7
        else:
            days = sum(float(s.hours) for s in version.steps.all()) / 8
        days *= 1.5 if plan.late else 1
        days += 10 if plan.supplement else 0
        days += 6 if plan.payment else 0
        days += 16 if plan.target == S.STOPPED else 0
        days += 6 if (plan.late or plan.apology) else 0
        days += 4 if plan.send_back else 0
        days += 6 if plan.target == S.RETURNED else 0  # collecting the result
        return int(days) + 4

    # -- one history -----------------------------------------------------------------------------------------

    def plan(self, index: int) -> Plan:
        if index >= self.count:
            return CITIZEN_PLANS[index - self.count]
        if index < len(SCENARIOS) and index < self.count:
            return SCENARIOS[index]
        targets, weights = zip(*TARGET_WEIGHTS, strict=True)
        target = self.rng.choices(targets, weights)[0]
        r = self.rng.random
        plan = Plan(target, online=r() < 0.3)
        plan.online = plan.online or target == S.SUBMITTED
        plan.supplement = target in (S.AWAITING_SUPPLEMENT,) or (target == S.STOPPED and r() < 0.6) or r() < 0.1
        plan.payment = target == S.AWAITING_PAYMENT or r() < 0.06
        if plan.payment and r() < 0.5:
            plan.procedure = self.rng.choice([LAND_VIA_TAX, DISTRICT_LAND])
        if target in (S.RETURNED, S.COMPLETED):
            plan.apology = r() < 0.08
            plan.late = not plan.apology and r() < 0.1
            plan.send_back = r() < 0.06
        plan.refuse_at_intake = target == S.REFUSED and plan.online and r() < 0.6
        return plan

    def life(self, plan: Plan) -> Generator[Move, Dossier, None]:
        rng = self.rng
        version = self._pick_procedure(plan)
        desk = self._desk_for(version)
        desk_officer = self.officer(desk, Role.DESK_OFFICER)
        applicant = self.citizen_applicant() if plan.citizen else self.applicant(version, desk)
        delivery = plan.delivery or rng.choices([Delivery.DESK, Delivery.POST, Delivery.ONLINE],
                                                [78, 16, 6 if plan.online else 0])[0]
        if delivery == Delivery.ONLINE and not self.can_sign:
            delivery = Delivery.DESK
        has_intake_fees = any(f.collected == FeeMoment.INTAKE for f in version.fees.all())
        intake = Intake(
            procedure=version, applicant=applicant, components=self.components(version), delivery=delivery,
            delivery_address=applicant.address if delivery == Delivery.POST else "",
            postal_fee=rng.choice([22_000, 26_000, 33_000, 41_000]) if delivery == Delivery.POST else 0,
            sets=1 if rng.random() < 0.9 else 2,
            # Online filings pay their fees online after acceptance (a payment pause); at the desk, on the spot.
            fees_paid=not (plan.online and has_intake_fees and rng.random() < 0.5),
        )
        day = self.intake_day(plan, version)

        # Intake: at the desk, or online (any hour) and then checked by the desk; never later than the present.
        if plan.online:
            t = from_local(datetime.combine(day, datetime.min.time()) + timedelta(minutes=rng.randint(360, 1380)))
            if t > self.limit or plan.target == S.SUBMITTED:
                t = min(t, self.limit - timedelta(minutes=rng.randint(30, 600)))
            d = yield t, svc.dossier_submit, {"desk": desk, "intake": intake,
                                              **({"citizen": self.citizen} if plan.citizen else {})}
            if plan.target == S.SUBMITTED:
                return
            t = self.after(t, rng.uniform(0.3, 4))
            if plan.refuse_at_intake:
                yield t, svc.dossier_refuse, {"actor": desk_officer, "reason": rng.choice(REFUSE_ONLINE)}
                return
            d = yield t, svc.dossier_accept, {"actor": desk_officer}
            if not intake.fees_paid:
                t = self.after(t, rng.uniform(0.1, 1))
                d = yield t, svc.dossier_request_payment, {
                    "actor": desk_officer, "items": [],
                    "reason": "Đề nghị nộp phí, lệ phí trực tuyến qua Cổng Dịch vụ công quốc gia."}
                t = self.after(t, rng.uniform(0.5, 10))
                receipt = f"DVC{rng.randint(10**9, 10**10 - 1)}"
                d = yield t, svc.dossier_payment_received, {"actor": None, "receipt_number": receipt}
        else:
            t = self.office_moment(day)
            earlier = self.days.index(day)
            while t > self.limit and earlier > 0:
                earlier -= 1
                t = self.office_moment(self.days[earlier])
            d = yield t, svc.dossier_receive, {"actor": desk_officer, "desk": desk, "intake": intake}
        if plan.target == S.RECEIVED:
            return

        processing = [s for s in d.steps.select_related("agency").order_by("order", "id")
                      if s.kind not in (StepKind.RECEIVE, StepKind.RETURN)]
        if not processing:
            return
        stop_at = rng.randrange(len(processing))  # where open and early-closing targets stop
        refuse_at = stop_at if processing[stop_at].kind == StepKind.REVIEW else 0
        supplement_at = 0 if rng.random() < 0.7 else min(1, len(processing) - 1)
        tax_at = next((i for i, s in enumerate(processing) if s.agency.code == TAX_OFFICE), None)
        payment_at = tax_at if tax_at is not None else 0
        paid, apologised, sent_back = False, False, False
        i = 0
        while i < len(processing):
            step = self._current_step(d)
            officer = self.step_officer(step)
            last = i == len(processing) - 1
            t = max(t, step.clock_started_at or step.started_at or t)
            t = self.after(t, self._pickup_hours(plan, d, step, t))
            if step.assignee_id is None:
                d = yield t, svc.dossier_claim, {"actor": officer}
            if plan.target == S.IN_PROGRESS and i == stop_at:
                return

            # A supplement, asked once; what the applicant does next depends on the plan.
            if plan.supplement and i == supplement_at and d.supplement_count == 0:
                t = self.after(t, rng.uniform(0.5, 6))
                items = self._supplement_items(version)
                contact = f"{officer.full_name} – {step.agency.name}"[:255]
                d = yield t, svc.dossier_request_supplement, {
                    "actor": officer, "items": items, "reason": rng.choice(SUPPLEMENT_REASONS), "contact": contact}
                if plan.target == S.AWAITING_SUPPLEMENT:
                    return
                if plan.target == S.STOPPED:
                    t = self.after(t, rng.uniform(80, 120))  # the applicant never came back
                    leader = self.officer(d.agency, Role.LEADER)
                    yield t, svc.dossier_stop, {"actor": leader, "reason": STOP_REASONS[0]}
                    return
                if plan.target == S.WITHDRAWN:
                    t = self.after(t, rng.uniform(8, 40))
                    yield t, svc.dossier_withdraw, {"actor": desk_officer, "reason": rng.choice(WITHDRAW_REASONS)}
                    return
                t = self.after(t, rng.uniform(6, 60))
                d = yield t, svc.dossier_supplement_received, {
                    "actor": desk_officer, "note": "Người nộp đã bổ sung đầy đủ tại Bộ phận Một cửa."}

            # Financial obligations: land taxes at the tax office's step, else an appraisal fee.
            if plan.payment and not paid and i == payment_at:
                t = self.after(t, rng.uniform(1, 8))
                items = self._payment_items(tax=tax_at is not None)
                reason = ("Thông báo nộp nghĩa vụ tài chính về đất đai." if tax_at is not None
                          else "Đề nghị nộp phí thẩm định hồ sơ theo quy định.")
                d = yield t, svc.dossier_request_payment, {"actor": officer, "items": items, "reason": reason}
                paid = True
                if plan.target == S.AWAITING_PAYMENT:
                    return
                t = self.after(t, rng.uniform(4, 40))
                receipt = f"BL{rng.randint(10**6, 10**7 - 1)}"
                payer = None if rng.random() < 0.5 else desk_officer  # the payment gateway, or paid at the desk
                d = yield t, svc.dossier_payment_received, {"actor": payer, "receipt_number": receipt}

            if plan.target == S.REFUSED and i == refuse_at:
                t = self.after(t, rng.uniform(2, 16))
                reason = refusal_reason(rng, d.procedure_version.field.code)
                yield t, svc.dossier_refuse, {"actor": officer, "reason": reason}
                return
            if plan.target == S.WITHDRAWN and i == stop_at:
                t = self.after(t, rng.uniform(1, 16))
                yield t, svc.dossier_withdraw, {"actor": desk_officer, "reason": rng.choice(WITHDRAW_REASONS)}
                return
            if plan.target == S.STOPPED and i == stop_at:
                t = self.after(t, rng.uniform(2, 24))
                leader = self.officer(d.agency, Role.LEADER)
                yield t, svc.dossier_stop, {"actor": leader, "reason": STOP_REASONS[1]}
                return

            # The apology comes about a working day before the appointment, when the agency sees it will be late.
            if plan.apology and not apologised and (last or i == len(processing) - 2):
                left = self.working_hours_between(t, d.due_at)
                t = self.after(t, max(0.1, left - rng.uniform(4, 12)) if left > 1 else 0.2)
                new_due = from_local(self.cal.add_working_hours(to_local(max(d.due_at, t)), 8 * rng.randint(2, 5)))
                leader = self.officer(d.agency, Role.LEADER)
                d = yield t, svc.dossier_apologise, {
                    "actor": leader, "new_due_at": new_due, "reason": rng.choice(APOLOGY_REASONS)}
                apologised = True

            # A leader sends the draft back once instead of approving it.
            if plan.send_back and not sent_back and step.kind == StepKind.APPROVE and i > 0:
                t = self.after(t, rng.uniform(0.5, 4))
                d = yield t, svc.dossier_send_back, {"actor": officer, "reason": rng.choice(SEND_BACK_REASONS)}
                sent_back = True
                i = next(j for j, s in enumerate(processing) if s.pk == d.current_step_id)
                continue

            # The work of the step: within the appointment, unless the plan is to be late.
            work = self._work_hours(plan, d, step, t, processing[i:])
            if step.kind == StepKind.APPROVE:
                if d.delivery == Delivery.ONLINE and not d.attachments.filter(kind="draft").exists():
                    t = self.after(t, work * 0.1)
                    d = yield t, svc.dossier_attach_draft, {"actor": officer, "draft": self.draft()}
                t = self.after(t, work * 0.9)
                d = yield t, svc.dossier_approve, {"actor": officer, "note": "Đồng ý ký duyệt."}
                work *= 0.1
            t = self.after(t, work)
            if last:
                t = max(t, self._late_finish(plan, d, t))
                d = yield t, svc.dossier_complete, {"actor": officer}
            else:
                nxt = processing[i + 1]
                note = ("Chuyển cơ quan phối hợp xử lý." if nxt.kind == StepKind.INTER_AGENCY
                        else "Trình lãnh đạo phê duyệt." if nxt.kind == StepKind.APPROVE else "")
                to_user = None  # most often the sender names the next handler; else someone there claims it
                if nxt.kind != StepKind.INTER_AGENCY and rng.random() < 0.75:
                    to_user = self.step_officer(nxt)
                d = yield t, svc.dossier_forward, {"actor": officer, "to_user": to_user, "note": note}
            i += 1

        if plan.target == S.COMPLETED or d.status != S.COMPLETED:
            return
        # Handing over the result.
        if d.delivery == Delivery.POST:
            t = self.after(t, rng.uniform(0.5, 6))
            tracking = f"EL{rng.randint(10**8, 10**9 - 1)}VN"
            d = yield t, svc.dossier_hand_to_post, {"actor": desk_officer, "postal_tracking": tracking}
            t = self.after(t, rng.uniform(4, 24))  # the post delivers within a few working days
            yield t, svc.dossier_delivered, {"actor": desk_officer}
        elif d.delivery == Delivery.ONLINE:
            t = self.after(t, rng.uniform(0.1, 2))
            yield t, svc.dossier_return, {"actor": desk_officer, "method": Delivery.ONLINE}
        else:
            t = self.after(t, rng.uniform(0.5, 40))
            collector = d.applicant_name if d.applicant_type == "citizen" and rng.random() < 0.8 else (
                f"{self.person_name()} (theo giấy ủy quyền)")
            yield t, svc.dossier_return, {"actor": desk_officer, "method": Delivery.DESK, "collected_by": collector}

    def draft(self) -> svc.Upload:
        """The demo's draft result (one small PDF, rendered once per load)."""
        if self._draft is None:
            from motcua.documents.pdf import html_to_pdf

            self._draft = html_to_pdf("<h1>Kết quả giải quyết thủ tục hành chính</h1><p>Bản dự thảo (dữ liệu mẫu)</p>")
        return svc.Upload(name="du-thao-ket-qua.pdf", content=self._draft)

    def _supplement_items(self, version: ProcedureVersion) -> list[dict]:
        names = [c.name for c in version.components.all()] or ["Tờ khai"]
        chosen = self.rng.sample(names, k=min(len(names), self.rng.randint(1, 2)))
        return [{"name": n, "reason": self.rng.choice(SUPPLEMENT_ITEM_REASONS)} for n in chosen]

    def _payment_items(self, *, tax: bool) -> list[dict]:
        if not tax:
            return [{"name": "Phí thẩm định hồ sơ", "amount": self.rng.choice([300_000, 500_000, 1_200_000])}]
        value = self.rng.randint(4, 60) * 100_000_000  # the declared value of the land, in đồng
        return [{"name": "Lệ phí trước bạ nhà, đất (0,5%)", "amount": value // 200},
                {"name": "Thuế thu nhập cá nhân từ chuyển nhượng bất động sản (2%)", "amount": value // 50}]

    def _current_step(self, d: Dossier) -> DossierStep:
        """The active step: the one the service just pointed at when it is at hand, else read."""
        step = d._state.fields_cache.get("current_step")
        if step is None or step.pk != d.current_step_id or "agency" not in step._state.fields_cache:
            step = DossierStep.objects.select_related("agency").get(pk=d.current_step_id)
        return step

    def _pickup_hours(self, plan: Plan, d: Dossier, step: DossierStep, t: datetime) -> float:
        """How long a step waits before its officer takes it up: short when the appointment is near."""
        hours = self.rng.uniform(0.05, 0.3) if step.hours == 0 else self.rng.uniform(0.1, 2)
        due = d.extended_due_at or d.due_at
        if not plan.late and due is not None:
            hours = min(hours, max(0.02, self.working_hours_between(t, due) * 0.05))
        return hours

    def _work_hours(self, plan: Plan, d: Dossier, step: DossierStep, t: datetime, remaining) -> float:
        rng = self.rng
        allotted = float(step.hours)
        if plan.late:
            return allotted * rng.uniform(0.8, 1.5) if allotted else rng.uniform(0.2, 1)
        work = allotted * rng.uniform(0.2, 0.9) if allotted else rng.uniform(0.1, 0.6)
        due = d.extended_due_at or d.due_at
        if due is not None:
            # Stay within the appointment: this step's share of the working time left.
            left = self.working_hours_between(t, due)
            total = sum(float(s.hours) for s in remaining) or len(remaining)
            work = min(work, max(0.05, left * ((allotted or 1) / total) * 0.85))
        return work

    def _late_finish(self, plan: Plan, d: Dossier, t: datetime) -> datetime:
        """The earliest completion for a late history: after the appointment (and before an apology's new date)."""
        if not (plan.late or plan.apology) or d.due_at is None:
            return t
        start = max(t, d.due_at)
        if d.extended_due_at is not None:
            room = self.working_hours_between(start, d.extended_due_at)
            return self.after(start, self.rng.uniform(0.1, max(0.2, room * 0.8))) if room > 0.5 else t
        return self.after(start, self.rng.uniform(1, 14))

    # -- the run ---------------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        """Play every history in global time order; a history whose next moment is past the present stops."""
        queue: list[tuple[datetime, int, Generator, Callable, dict, Dossier | None]] = []
        total = self.count + (len(CITIZEN_PLANS) if self.citizen else 0)
        for index in range(total):
            story = self.life(self.plan(index))
            moment, operation, arguments = next(story)
            heapq.heappush(queue, (moment, self._next_serial(), story, operation, arguments, None))
        actions = 0
        while queue:
            moment, _serial, story, operation, arguments, dossier = heapq.heappop(queue)
            if moment > self.limit:
                story.close()
                continue
            with clock.travel(moment):
                dossier = operation(**arguments) if dossier is None else operation(dossier=dossier, **arguments)
            actions += 1
            try:
                moment, operation, arguments = story.send(dossier)
            except StopIteration:
                continue
            heapq.heappush(queue, (moment, self._next_serial(), story, operation, arguments, dossier))
        return {"dossiers": total, "actions": actions, "officers_created": self.created_officers}

    def _next_serial(self) -> int:
        self.serial += 1
        return self.serial


def _demo_keys() -> bool:
    """Make sure every result-issuing agency has a demo signing key (`manage.py democa`); False if a real CA is
    installed (then no demo result is signed, and no demo dossier asks for an online result)."""
    try:
        call_command("democa", stdout=io.StringIO())
    except CommandError:
        return False
    return True


def demo_dossiers_exist() -> bool:
    return Dossier.objects.exists()


@transaction.atomic
def load_demo_dossiers(*, count: int = 500, seed: int = 2026, today: datetime | None = None,
                       citizen: str = "") -> dict[str, int]:
    """Add `count` demo dossiers received over the year before `today` (now), unless any dossier exists.

    Returns what was done: {"dossiers", "actions", "officers_created"}, or {"dossiers": 0, "skipped": 1}.
    Needs the demo organisation, logins and catalogue (`motcua.demo`). One transaction: all or nothing, and
    the outbox is asked to deliver once, at the end.
    """
    if demo_dossiers_exist():
        return {"dossiers": 0, "skipped": 1}
    with _quick_demo_passwords():
        owner = User.objects.filter(username=citizen).first() if citizen else None
        loader = _Loader(count=count, seed=seed, today=today or timezone.now(), citizen=owner)
        return loader.run()
