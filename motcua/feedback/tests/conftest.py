"""Fixtures for feedback tests: a frozen clock, receivers, agency staff, and a way to file an item."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.accounts.roles import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = "000.00.00.H47"
NOI_VU = "000.00.01.H47"
XAY_DUNG = "000.00.05.H47"
TU_PHAP = "000.00.02.H47"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def clock_at():
    """clock_at(datetime) moves the frozen clock; starts Monday 07/12/2026 09:00 local."""
    traveller = time_machine.travel(local(2026, 12, 7, 9, 0), tick=False)
    frozen = traveller.start()
    yield frozen.move_to
    traveller.stop()


@pytest.fixture
def people(org, make_user):
    return {
        "receiver": make_user(Role.SUPERVISOR, org[PROVINCE], username="pakn"),
        "specialist": make_user(Role.SPECIALIST, org[XAY_DUNG], username="cv_xd"),
        "leader": make_user(Role.LEADER, org[XAY_DUNG], username="ld_xd"),
        "other": make_user(Role.SPECIALIST, org[TU_PHAP], username="cv_tp"),
        "other_leader": make_user(Role.LEADER, org[TU_PHAP], username="ld_tp"),
        "desk": make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="desk"),
        "district_supervisor": make_user(Role.SUPERVISOR, org["000.00.21.H47"], username="gs_tamky"),
    }


@pytest.fixture
def submission():
    from motcua.feedback.services import Submission

    def make(**over):
        values = {"kind": "handling", "subject": "Hồ sơ xây dựng chậm", "name": "Nguyễn Văn An",
                  "phone": "0905 123 456", "email": "an@example.vn",
                  "content": "Tôi là Nguyễn Văn An, gọi 0905 123 456. Hồ sơ của tôi quá hạn mà chưa có kết quả."}
        values.update(over)
        return Submission(**values)

    return make


@pytest.fixture
def file_item(org, submission, clock_at):
    from motcua.feedback.services import feedback_file

    def make(sender=None, **over):
        return feedback_file(submission=submission(**over), sender=sender)

    return make


@pytest.fixture
def walk(people, org):
    """walk(item, *steps) brings an item through the usual path up to a named state."""
    from motcua.feedback import services as s

    def go(item, to: str):
        r, sp, ld = people["receiver"], people["specialist"], people["leader"]
        order = ["accepted", "in_progress", "drafted", "answered", "published"]
        for state in order[: order.index(to) + 1]:
            if state == "accepted":
                item = s.feedback_accept(item=item, actor=r)
            elif state == "in_progress":
                item = s.feedback_route(item=item, actor=r, agency=org[XAY_DUNG])
            elif state == "drafted":
                item = s.feedback_draft(item=item, actor=sp, text="Sở đã kiểm tra; hồ sơ sẽ trả ngày 10/12.")
            elif state == "answered":
                item = s.feedback_approve(item=item, actor=ld)
            elif state == "published":
                item = s.feedback_publish(item=item, actor=r)
        return item

    return go
