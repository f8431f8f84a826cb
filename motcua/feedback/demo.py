"""Demo feedback: ~150 items in every state and kind over the last quarter, some overdue, 40 published Q&As.

Every item goes through `feedback.services` inside `clock.travel` blocks, with nothing queued for the made-up
senders (`services.quiet`); running it again changes nothing. Adds the receivers' office (Văn phòng UBND tỉnh) and
its login `pakn.vanphong`; `giamsat.noivu` (Sở Nội vụ) receives too.
"""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua import clock
from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.accounts.services import role_grant, user_create
from motcua.agencies.models import Agency, AgencyKind
from motcua.agencies.services import agency_create
from motcua.catalogue.models import Procedure
from motcua.feedback import services as s
from motcua.feedback.models import FeedbackItem, Kind

VAN_PHONG = ("000.00.15.H47", "Văn phòng UBND tỉnh Quảng Nam")
PROVINCE = "000.00.00.H47"
PASSWORD = "demo12345"  # noqa: S105 - the documented demo password (README)

TOPICS = [
    (Kind.HANDLING, "Hồ sơ trễ hẹn chưa được báo", "Hồ sơ của tôi đã quá ngày hẹn trả mà chưa nhận được thông báo. "
     "Đề nghị cho biết khi nào có kết quả. Liên hệ ông {name}, điện thoại {phone}."),
    (Kind.REGULATION, "Thành phần hồ sơ còn trùng lặp", "Thủ tục yêu cầu nộp bản sao giấy tờ đã có trong cơ sở dữ "
     "liệu quốc gia về dân cư. Kiến nghị bỏ yêu cầu này."),
    (Kind.OFFICIAL, "Thái độ cán bộ tại quầy", "Cán bộ tiếp nhận tại quầy trả lời thiếu nhiệt tình, không hướng dẫn "
     "đầy đủ. Tôi là {name}, số CCCD {id}."),
    (Kind.OTHER, "Đề nghị mở thêm quầy buổi chiều", "Buổi chiều thường đông, đề nghị bố trí thêm quầy tiếp nhận. "
     "Thư điện tử: {email}"),
    (Kind.HANDLING, "Yêu cầu bổ sung nhiều lần", "Tôi bị yêu cầu bổ sung hồ sơ hai lần với nội dung khác nhau."),
    (Kind.REGULATION, "Phí, lệ phí chưa rõ", "Trên cổng chưa ghi rõ mức lệ phí và cách nộp trực tuyến."),
]
NAMES = ["Nguyễn Văn Hải", "Trần Thị Mai", "Lê Quang Vinh", "Phạm Thị Thu", "Hoàng Minh Đức", "Võ Thị Hạnh",
         "Đỗ Văn Long", "Bùi Thị Ngọc"]
ANSWER = ("Sở đã kiểm tra nội dung phản ánh. {detail} Mọi thắc mắc xin liên hệ bộ phận một cửa của Sở trong giờ "
          "hành chính.")
DETAILS = ["Hồ sơ đã được giải quyết và trả kết quả; Sở đã nhắc nhở bộ phận liên quan.",
           "Kiến nghị đã được ghi nhận để đề xuất sửa đổi quy trình nội bộ.",
           "Cán bộ liên quan đã được chấn chỉnh và xin lỗi người dân.",
           "Lịch tiếp nhận buổi chiều sẽ được bổ sung từ tháng tới."]


def _ensure_staff() -> dict:
    province = Agency.objects.get(code=PROVINCE)
    office = Agency.objects.filter(code=VAN_PHONG[0]).first() or agency_create(
        code=VAN_PHONG[0], name=VAN_PHONG[1], kind=AgencyKind.DEPARTMENT, parent=province)
    user = User.objects.filter(username="pakn.vanphong").first()
    if user is None:
        user = user_create(username="pakn.vanphong", password=PASSWORD, full_name="Ngô Thị Thanh", agency=office,
                           actor=None)
    role_grant(user=user, role=Role.SUPERVISOR, agency=province, actor=None)
    return {"receiver": user, "specialists": {u.agency.code: u for u in User.objects.filter(
        grants__role=Role.SPECIALIST).select_related("agency")},
        "leaders": {u.agency.code: u for u in User.objects.filter(grants__role=Role.LEADER).select_related("agency")}}


def _staff_for(agency, staff, role):
    return staff[role].get(agency.code)


@transaction.atomic
def load_demo_feedback(*, count: int = 150, published: int = 40, seed: int = 2026) -> int:
    """Add the demo items; returns how many (0 when demo items exist already)."""
    staff = _ensure_staff()
    if FeedbackItem.objects.filter(source="portal").exists():
        return 0
    rng = random.Random(seed)
    agencies = list(Agency.objects.filter(code__in=["000.00.05.H47", "000.00.02.H47"]))
    procedures = {p.code: p for p in Procedure.objects.select_related("current").exclude(current=None)}
    by_agency = {a.code: [p for p in procedures.values() if p.current.agencies.filter(pk=a.pk).exists()][:20]
                 for a in agencies}
    fields = {}
    for p in procedures.values():
        fields.setdefault(p.current.field_id, p)
    spread = list(fields.values())
    now = timezone.now()
    made = 0
    r = staff["receiver"]
    with s.quiet():
        for n in range(count):
            kind, subject, template = TOPICS[n % len(TOPICS)]
            name = NAMES[n % len(NAMES)]
            phone = f"09{rng.randrange(10**7, 10**8)}"
            agency = agencies[n % len(agencies)]
            if n < published:  # answered by an agency that has both a specialist and a leader
                agency = next((a for a in agencies if _staff_for(a, staff, "specialists")
                               and _staff_for(a, staff, "leaders")), agency)
            if n < published:  # published Q&As spread across fields
                procedure = spread[n % len(spread)] if spread else None
            else:
                pool = by_agency.get(agency.code) or list(procedures.values())
                procedure = rng.choice(pool) if pool and rng.random() < 0.7 else None
            start = now - timedelta(days=rng.randint(1, 85), hours=rng.randint(0, 6))
            content = template.format(name=name, phone=phone, id=f"0490{rng.randrange(10**7, 10**8)}",
                                      email="nguoidan@example.vn")
            with clock.travel(start):
                item = s.feedback_file(submission=s.Submission(
                    kind=kind, subject=subject, content=content, name=name, phone=phone,
                    hide_name=rng.random() < 0.3, procedure=procedure))
            target = "published" if n < published else rng.choice(
                ["received", "awaiting_info", "accepted", "in_progress", "drafted", "answered", "refused",
                 "duplicate", "closed", "in_progress", "in_progress", "published"])
            _walk(item, target, start=start, agency=agency, staff=staff, receiver=r, rng=rng, now=now)
            made += 1
    return made


def _walk(item, to, *, start, agency, staff, receiver, rng, now):
    specialist = _staff_for(agency, staff, "specialists")
    leader = _staff_for(agency, staff, "leaders")
    t = start + timedelta(hours=rng.randint(2, 30))

    def at(hours=0):
        nonlocal t
        t = min(t + timedelta(hours=hours), now - timedelta(minutes=5))
        return clock.travel(t)

    if to == "received":
        return
    if to in ("awaiting_info", "closed"):
        with at():
            item = s.feedback_ask_info(item=item, actor=receiver, request_text="Đề nghị cho biết mã hồ sơ.")
        if to == "closed":
            with at(24 * 20):
                s.feedback_expire_waiting()
        return
    if to == "refused":
        with at():
            s.feedback_refuse(item=item, actor=receiver, reason="Nội dung không thuộc phạm vi phản ánh, kiến nghị "
                              "về quy định hành chính (Nghị định 20/2008/NĐ-CP).")
        return
    if to == "duplicate":
        other = FeedbackItem.objects.exclude(pk=item.pk).order_by("id").first()
        if other is not None:
            with at():
                s.feedback_mark_duplicate(item=item, actor=receiver, of_code=other.code)
        return
    with at():
        item = s.feedback_accept(item=item, actor=receiver)
    if to == "accepted":
        return
    with at(rng.randint(1, 20)):
        item = s.feedback_route(item=item, actor=receiver, agency=agency)
    if to == "in_progress" or specialist is None:
        return
    late = rng.random() < 0.2
    with at(24 * rng.randint(2, 10) + (24 * 20 if late else 0)):
        item = s.feedback_draft(item=item, actor=specialist, text=ANSWER.format(detail=rng.choice(DETAILS)))
    if to == "drafted" or leader is None:
        return
    with at(rng.randint(2, 20)):
        if item.handle_due and clock.now() > item.handle_due:
            item = s.feedback_apologise(item=item, actor=leader)
        item = s.feedback_approve(item=item, actor=leader)
    if to == "answered":
        return
    with at(rng.randint(1, 12)):
        s.feedback_publish(item=item, actor=receiver)
