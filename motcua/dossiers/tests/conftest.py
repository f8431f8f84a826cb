"""Fixtures for dossier tests: a frozen clock, desk and processing staff, and two procedures (one inter-agency)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.accounts.roles import Role
from motcua.dossiers.applicants import ApplicantData
from motcua.dossiers.services import Intake, ReceivedComponent

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DESK = "000.00.40.H47"  # Trung tâm Phục vụ hành chính công tỉnh
XAY_DUNG = "000.00.05.H47"
LAND_OFFICE = "000.01.04.H47"  # Văn phòng Đăng ký đất đai
TAX = "000.00.12.H47"  # Cục Thuế


def local(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def clock_at():
    """clock_at(datetime) moves the frozen clock; starts Monday 07/12/2026 09:00 local (no holiday until 1/1)."""
    traveller = time_machine.travel(local(2026, 12, 7, 9, 0), tick=False)
    frozen = traveller.start()

    def move(moment: datetime):
        frozen.move_to(moment)

    yield move
    traveller.stop()


@pytest.fixture
def staff(org, make_user):
    return {
        "desk": make_user(Role.DESK_OFFICER, org[DESK], username="desk"),
        "other_desk": make_user(Role.DESK_OFFICER, org["000.20.21.H47"], username="desk_tamky"),
        "specialist": make_user(Role.SPECIALIST, org[XAY_DUNG], username="cv_xd"),
        "specialist2": make_user(Role.SPECIALIST, org[XAY_DUNG], username="cv_xd2"),
        "leader": make_user(Role.LEADER, org[XAY_DUNG], username="ld_xd"),
        "outsider": make_user(Role.SPECIALIST, org["000.00.02.H47"], username="cv_tp"),
        "land": make_user(Role.SPECIALIST, org[LAND_OFFICE], username="cv_vpdk"),
        "land_leader": make_user(Role.LEADER, org["000.00.04.H47"], username="ld_tnmt"),
        "tax": make_user(Role.SPECIALIST, org[TAX], username="cv_thue"),
        "supervisor": make_user(Role.SUPERVISOR, org["000.00.00.H47"], username="gs"),
    }


@pytest.fixture
def building(make_procedure, procedure_data, clock_at):
    """Cấp giấy phép xây dựng at Sở Xây dựng: receive 4h → review 68h → approve 24h → return (12 working days)."""
    return make_procedure(procedure_data)


@pytest.fixture
def land(make_procedure, procedure_data, clock_at):
    """A land registration passing land office → tax office → land office → approval (10 working days)."""
    data = {
        **procedure_data, "code": "1.003010.000.00.00.H47", "name": "Đăng ký biến động quyền sử dụng đất",
        "field": "DD", "field_name": "Đất đai", "agencies": ["000.00.04.H47"], "legal_limit": "10",
        "committed_limit": "10", "result_name": "Giấy chứng nhận quyền sử dụng đất",
        "steps": [
            {"name": "Tiếp nhận", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "4"},
            {"name": "Thẩm định hồ sơ", "kind": "review", "agency": LAND_OFFICE, "role": "specialist", "hours": "24"},
            {"name": "Xác định nghĩa vụ tài chính", "kind": "inter_agency", "agency": TAX, "role": "specialist",
             "hours": "24"},
            {"name": "Cập nhật, in giấy chứng nhận", "kind": "review", "agency": LAND_OFFICE, "role": "specialist",
             "hours": "16"},
            {"name": "Ký giấy chứng nhận", "kind": "approve", "agency": "@self", "role": "leader", "hours": "12"},
            {"name": "Trả kết quả", "kind": "return", "agency": "@self", "role": "desk_officer", "hours": "0"},
        ],
    }
    return make_procedure(data)


def applicant(**over) -> ApplicantData:
    values = {"type": "citizen", "name": "Nguyễn Văn An", "id_number": "049090001234", "phone": "0905123456",
              "email": "an@example.vn", "address": "12 Phan Bội Châu, Tam Kỳ"}
    values.update(over)
    return ApplicantData(**values)


def full_components(version) -> list[ReceivedComponent]:
    return [ReceivedComponent(component_id=c.id, originals=max(1, c.originals)) for c in version.components.all()]


@pytest.fixture
def intake_of():
    def make(version, **over) -> Intake:
        values = {"procedure": version, "applicant": applicant(), "components": full_components(version)}
        values.update(over)
        return Intake(**values)

    return make


@pytest.fixture
def receive(org, staff, intake_of):
    """receive(version, **intake overrides) -> a dossier received at the provincial centre by the desk officer."""
    from motcua.dossiers.services import dossier_receive

    def make(version, actor=None, **over):
        return dossier_receive(actor=actor or staff["desk"], desk=org[DESK], intake=intake_of(version, **over))

    return make
