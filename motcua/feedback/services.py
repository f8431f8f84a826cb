"""Every change to a feedback item: one keyword-only function per operation, each in one transaction.

All go through `_apply`: lock the row (with the version the caller saw) → policy → transition table → change →
event → audit → deadlines (`timing`, from workcal) → outbox. Filing (`feedback_file`) creates the item the same way.
"""
import re
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.agencies.models import Agency, AgencyKind
from motcua.audit.services import audit_record
from motcua.dossiers import files
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.feedback import masking, policy, timing
from motcua.feedback.models import FeedbackAttachment, FeedbackEvent, FeedbackItem, Kind, Source
from motcua.feedback.workflow import Action, Status, target
from motcua.text import fold

SUBJECT_MAX = 255
CONTENT_MAX = 5000
ANSWER_MAX = 10000
MAX_FILES = 5
_PHONE = re.compile(r"^\+?[\d .\-]{9,15}$")


@dataclass
class Upload:
    name: str
    content: bytes


@dataclass
class Submission:
    """What a sender files from the portal (or what an unhappy rating opens)."""

    kind: str
    subject: str
    content: str
    name: str = ""
    phone: str = ""
    email: str = ""
    hide_name: bool = False
    procedure: object = None  # catalogue.Procedure
    dossier: object = None  # dossiers.Dossier, already proven the sender's (code + digits, or own account)
    agency: Agency | None = None
    uploads: list[Upload] = field(default_factory=list)


def public_url(path: str) -> str:
    return f"{getattr(settings, 'PUBLIC_BASE_URL', 'http://127.0.0.1:8000').rstrip('/')}{path}"


def tracking_path(item: FeedbackItem) -> str:
    return f"/phan-anh/tra-cuu/?ma={item.code}"


def receiver_agency() -> Agency:
    """Where feedback is received: FEEDBACK_RECEIVER_AGENCY (a code), else the province."""
    code = getattr(settings, "FEEDBACK_RECEIVER_AGENCY", "")
    found = Agency.objects.filter(code=code).first() if code else None
    found = found or Agency.objects.filter(kind=AgencyKind.PROVINCE, parent=None).order_by("id").first()
    if found is None:
        raise Conflict(_("Chưa có cơ quan tiếp nhận phản ánh, kiến nghị."))
    return found


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


# ---------------------------------------------------------------------------------------------------------------
# The outbox


_quiet = threading.local()


@contextmanager
def quiet():
    """Within the block nothing is queued for senders: the demo's made-up history must not send messages."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def _tell_sender(item: FeedbackItem, *, kind: str, subject: str, body: str, key: str) -> None:
    from motcua.notifications.services import notification_enqueue

    if getattr(_quiet, "on", False):
        return
    for channel, recipient in (("email", item.sender_email), ("sms", item.sender_phone)):
        if not recipient:
            continue
        notification_enqueue(channel=channel, recipient=recipient, subject=subject, body=body, kind=kind,
                             object_type="feedback", object_id=item.code,
                             dedupe_key=f"feedback:{item.pk}:{key}:{channel}")


# ---------------------------------------------------------------------------------------------------------------
# Filing


def _clean(submission: Submission, sender) -> Submission:
    s = submission
    s.subject = " ".join((s.subject or "").split())
    s.content = (s.content or "").strip()
    s.name = " ".join((s.name or "").split())
    s.phone = (s.phone or "").strip()
    s.email = (s.email or "").strip()
    problems = []
    if s.kind not in Kind.values:
        problems.append(_("Hãy chọn loại phản ánh, kiến nghị."))
    if not s.subject:
        problems.append(_("Hãy ghi tiêu đề."))
    elif len(s.subject) > SUBJECT_MAX:
        problems.append(_("Tiêu đề tối đa %(n)d ký tự.") % {"n": SUBJECT_MAX})
    if not s.content:
        problems.append(_("Hãy ghi nội dung phản ánh, kiến nghị."))
    elif len(s.content) > CONTENT_MAX:
        problems.append(_("Nội dung tối đa %(n)d ký tự.") % {"n": CONTENT_MAX})
    if s.phone and not (_PHONE.match(s.phone) and 9 <= len(_digits(s.phone)) <= 12):
        problems.append(_("Số điện thoại không hợp lệ."))
    if s.email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", s.email):
        problems.append(_("Địa chỉ thư điện tử không hợp lệ."))
    if sender is None:
        if not s.name:
            problems.append(_("Hãy ghi họ và tên người gửi."))
        if not (s.phone or s.email):
            problems.append(_("Hãy ghi số điện thoại hoặc thư điện tử để nhận trả lời."))
    if len(s.uploads) > MAX_FILES:
        problems.append(_("Tối đa %(n)d tệp đính kèm.") % {"n": MAX_FILES})
    if problems:
        raise InvalidInput(" ".join(problems), detail={"problems": problems})
    return s


def _sender_contact(sender, s: Submission) -> tuple[str, str, str]:
    profile = getattr(sender, "citizen_profile", None) if sender is not None else None
    name = s.name or getattr(profile, "name", "") or getattr(sender, "full_name", "")
    phone = s.phone or getattr(profile, "phone", "")
    email = s.email or getattr(profile, "email", "") or getattr(sender, "email", "")
    return name, phone, email


@transaction.atomic
def feedback_file(*, submission: Submission, sender=None, source: str = "", rating=None,
                  request=None) -> FeedbackItem:
    """Receive a feedback item from the portal (anyone), a citizen's account, or an unhappy rating.

    The item gets its tracking code and four check digits (the phone's last four, else random, told to the sender),
    its deadlines from the moment of receipt, and an acknowledgement to the sender through the outbox.
    Attachments pass the same checks as dossier uploads (`dossiers.files`); any refusal stores nothing.
    """
    if sender is not None and not getattr(sender, "is_authenticated", False):
        sender = None
    s = _clean(submission, sender)
    checked = [files.check_upload(name=u.name, content=u.content) for u in s.uploads]
    now = clock.now()
    name, phone, email = _sender_contact(sender, s)
    digits = _digits(phone)[-4:] if len(_digits(phone)) >= 4 else f"{secrets.randbelow(10000):04d}"
    item = FeedbackItem.objects.create(
        code=f"TMP-{secrets.token_hex(8)}", kind=s.kind,
        source=source or (Source.ACCOUNT if sender is not None else Source.PORTAL),
        subject=s.subject, content=s.content, sender=sender, sender_name=name, sender_phone=phone,
        sender_email=email, hide_name=s.hide_name, check_digits=digits,
        procedure=s.procedure, dossier=s.dossier, rating=rating, suggested_agency=s.agency,
        receiver_agency=receiver_agency(), received_at=now,
        refuse_due=timing.working_days(now, timing.REFUSE_DAYS),
        info_due=timing.working_days(now, timing.INFO_DAYS),
        handle_due=timing.working_days(now, timing.HANDLE_DAYS),
    )
    item.code = f"PA{timezone.localtime(now):%y%m%d}{item.pk:05d}"
    item.due_at = item.info_due
    item.save()
    for c in checked:
        FeedbackAttachment.objects.create(item=item, file=ContentFile(c.content, name=c.name),
                                          original_name=c.name, content_type=c.content_type, size=c.size,
                                          sha256=c.sha256, uploaded_at=now)
    FeedbackEvent.objects.create(item=item, at=now, actor=sender, action="receive", from_status="",
                                 to_status=item.status, data={"source": item.source})
    audit_record(actor=sender, action="feedback.receive", obj=item, summary=item.code,
                 detail={"kind": item.kind, "source": item.source}, request=request)
    _tell_sender(item, kind="feedback.received", key="received",
                 subject=_("Đã tiếp nhận phản ánh, kiến nghị %(code)s") % {"code": item.code},
                 body=_("Đã tiếp nhận phản ánh, kiến nghị %(code)s (mã kiểm tra %(digits)s). Theo dõi tại: %(url)s")
                 % {"code": item.code, "digits": digits, "url": public_url(tracking_path(item))})
    return item


# ---------------------------------------------------------------------------------------------------------------
# The one entry for every later change


def _lock(item, expected_version) -> FeedbackItem:
    code = item if isinstance(item, str) else item.code
    locked = (FeedbackItem.objects.select_for_update().filter(code=code).first())
    if locked is None:
        raise NotFound(_("Không tìm thấy phản ánh %(code)s.") % {"code": code})
    if expected_version is not None and locked.version != int(expected_version):
        raise Conflict(_("Phản ánh %(code)s vừa được người khác thay đổi. Hãy tải lại trang.") % {"code": code},
                       detail={"version": locked.version})
    return locked


def _current_due(item: FeedbackItem):
    """The deadline of the step the item is at, kept on `due_at` for the due-soon and overdue queues."""
    return {
        Status.RECEIVED: item.info_due,
        Status.AWAITING_INFO: item.info_wait_until,
        Status.ACCEPTED: item.handle_due,
        Status.IN_PROGRESS: item.handle_due,
        Status.DRAFTED: item.handle_due,
        Status.ANSWERED: None if item.private else item.publish_due,
    }.get(item.status)


def _apply(item, action: str, *, actor, expected_version=None, reason: str = "", data=None, request=None,
           change=None, to_agency=None) -> FeedbackItem:
    locked = _lock(item, expected_version)
    now = clock.now()
    decision = policy.may(actor, locked, action, now=now)
    if not decision:
        if target(locked.status, action) is None:
            raise Conflict(decision.reason, detail={"status": locked.status, "action": action})
        raise PermissionDenied(decision.reason)
    before, from_agency = locked.status, locked.agency
    locked.status = target(locked.status, action)
    if change is not None:
        change(locked, now)
    locked.due_at = _current_due(locked)
    locked.version += 1
    locked.save()
    FeedbackEvent.objects.create(item=locked, at=now, actor=actor if getattr(actor, "is_authenticated", False)
                                 else None, action=action, from_status=before, to_status=locked.status,
                                 from_agency=from_agency, to_agency=to_agency, reason=reason,
                                 data=data if data is not None else {})
    audit_record(actor=actor, action=f"feedback.{action}", obj=locked, summary=locked.code,
                 detail={"from": before, "to": locked.status}, request=request)
    return locked


def _need(text: str, message: str, limit: int = ANSWER_MAX) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message)
    if len(text) > limit:
        raise InvalidInput(_("Nội dung tối đa %(n)d ký tự.") % {"n": limit})
    return text


# ---------------------------------------------------------------------------------------------------------------
# Receivers: classify and route


@transaction.atomic
def feedback_accept(*, item, actor, private: bool = False, expected_version=None, request=None) -> FeedbackItem:
    def change(it, now):
        it.private = bool(private)

    return _apply(item, Action.ACCEPT, actor=actor, expected_version=expected_version, change=change,
                  data={"private": bool(private)}, request=request)


@transaction.atomic
def feedback_refuse(*, item, actor, reason: str, expected_version=None, request=None) -> FeedbackItem:
    """Refuse with a reason (within 2 working days of receipt), told to the sender."""
    reason = _need(reason, _("Hãy ghi lý do từ chối."), 2000)

    def change(it, now):
        it.reason = reason

    done = _apply(item, Action.REFUSE, actor=actor, expected_version=expected_version, reason=reason,
                  change=change, request=request)
    _tell_sender(done, kind="feedback.refused", key="refused",
                 subject=_("Phản ánh %(code)s không được tiếp nhận") % {"code": done.code},
                 body=_("Phản ánh, kiến nghị %(code)s không được tiếp nhận. Lý do: %(reason)s")
                 % {"code": done.code, "reason": reason})
    return done


@transaction.atomic
def feedback_ask_info(*, item, actor, request_text: str, expected_version=None, request=None) -> FeedbackItem:
    """Ask the sender for more information: the clock pauses; nothing within the wait closes the item."""
    text = _need(request_text, _("Hãy ghi thông tin cần bổ sung."), 2000)

    def change(it, now):
        it.info_request = text
        it.paused_at = now
        it.info_wait_until = timing.working_days(now, timing.info_wait_days())

    done = _apply(item, Action.ASK_INFO, actor=actor, expected_version=expected_version, reason=text,
                  change=change, request=request)
    _tell_sender(done, kind="feedback.ask_info", key=f"ask:{done.version}",
                 subject=_("Đề nghị bổ sung thông tin phản ánh %(code)s") % {"code": done.code},
                 body=_("Đề nghị ông/bà bổ sung cho phản ánh %(code)s: %(text)s. Hạn bổ sung: %(due)s. "
                        "Gửi tại: %(url)s")
                 % {"code": done.code, "text": text, "url": public_url(tracking_path(done)),
                    "due": f"{timezone.localtime(done.info_wait_until):%d/%m/%Y}"})
    return done


@transaction.atomic
def feedback_add_info(*, item, text: str, actor=None, uploads=(), request=None) -> FeedbackItem:
    """The sender's answer to a request for information: the clock resumes, every deadline moves by the pause.

    `actor` is the signed-in sender, or None when the interface has checked the code and check digits.
    """
    text = _need(text, _("Hãy ghi thông tin bổ sung."), CONTENT_MAX)
    checked = [files.check_upload(name=u.name, content=u.content) for u in uploads]

    def change(it, now):
        paused = timing.paused_time(it.paused_at, now) if it.paused_at else None
        for name in ("refuse_due", "info_due", "handle_due"):
            setattr(it, name, timing.shift(getattr(it, name), paused))
        it.paused_at = None
        it.info_wait_until = None
        it.content = f"{it.content}\n\n[{_('Bổ sung')} {timezone.localtime(now):%d/%m/%Y}] {text}"
        if it.attachments.count() + len(checked) > MAX_FILES * 2:
            raise InvalidInput(_("Quá nhiều tệp đính kèm."))
        for c in checked:
            FeedbackAttachment.objects.create(item=it, file=ContentFile(c.content, name=c.name),
                                              original_name=c.name, content_type=c.content_type, size=c.size,
                                              sha256=c.sha256, uploaded_at=now)

    return _apply(item, Action.INFO_RECEIVED, actor=actor, change=change, data={"files": len(checked)},
                  request=request)


def feedback_expire_waiting(*, now=None) -> int:
    """Close every item whose sender did not send the information asked for within the wait (system job)."""
    now = now or clock.now()
    closed = 0
    for code in FeedbackItem.objects.filter(status=Status.AWAITING_INFO, info_wait_until__lt=now).values_list(
            "code", flat=True):
        with transaction.atomic():
            done = _apply(code, Action.EXPIRE, actor=None, reason=_("Hết hạn bổ sung thông tin."))
            _tell_sender(done, kind="feedback.closed", key="closed",
                         subject=_("Phản ánh %(code)s đã đóng") % {"code": done.code},
                         body=_("Phản ánh, kiến nghị %(code)s đã đóng vì không nhận được thông tin bổ sung trong "
                                "thời hạn.") % {"code": done.code})
        closed += 1
    return closed


@transaction.atomic
def feedback_mark_duplicate(*, item, actor, of_code: str, expected_version=None, request=None) -> FeedbackItem:
    original = FeedbackItem.objects.filter(code=(of_code or "").strip()).first()
    code = item if isinstance(item, str) else item.code
    if original is None or original.code == code:
        raise InvalidInput(_("Hãy nhập mã của phản ánh khác có cùng nội dung."))

    def change(it, now):
        it.duplicate_of = original

    done = _apply(item, Action.MARK_DUPLICATE, actor=actor, expected_version=expected_version, change=change,
                  data={"of": original.code}, request=request)
    _tell_sender(done, kind="feedback.duplicate", key="duplicate",
                 subject=_("Phản ánh %(code)s trùng nội dung") % {"code": done.code},
                 body=_("Phản ánh %(code)s trùng nội dung với phản ánh %(of)s đã được xem xét; theo dõi tại %(url)s")
                 % {"code": done.code, "of": original.code, "url": public_url(tracking_path(original))})
    return done


@transaction.atomic
def feedback_route(*, item, actor, agency: Agency, private: bool | None = None, expected_version=None,
                   request=None) -> FeedbackItem:
    """Send the item to the competent agency; after a forward back, the 15 days start again from the transfer."""
    if agency is None:
        raise InvalidInput(_("Hãy chọn cơ quan có thẩm quyền."))

    def change(it, now):
        transferred = it.routed_at is not None
        it.agency = agency
        it.routed_at = now
        it.forward_due = timing.working_days(now, timing.FORWARD_DAYS)
        if transferred:
            it.handle_due = timing.working_days(now, timing.HANDLE_DAYS)
        if private is not None:
            it.private = bool(private)

    return _apply(item, Action.ROUTE, actor=actor, expected_version=expected_version, change=change,
                  to_agency=agency, data={"agency": agency.code}, request=request)


# ---------------------------------------------------------------------------------------------------------------
# The competent agency: answer, or forward back


@transaction.atomic
def feedback_forward_back(*, item, actor, reason: str, expected_version=None, request=None) -> FeedbackItem:
    reason = _need(reason, _("Hãy ghi lý do chuyển lại (không thuộc thẩm quyền)."), 2000)

    def change(it, now):
        it.agency = None
        it.forward_due = None
        it.reason = reason

    return _apply(item, Action.FORWARD_BACK, actor=actor, expected_version=expected_version, reason=reason,
                  change=change, request=request)


@transaction.atomic
def feedback_draft(*, item, actor, text: str, expected_version=None, request=None) -> FeedbackItem:
    text = _need(text, _("Hãy ghi dự thảo trả lời."))

    def change(it, now):
        it.draft_text = text
        it.drafted_by = actor

    return _apply(item, Action.DRAFT, actor=actor, expected_version=expected_version, change=change,
                  request=request)


@transaction.atomic
def feedback_return_draft(*, item, actor, reason: str, expected_version=None, request=None) -> FeedbackItem:
    reason = _need(reason, _("Hãy ghi ý kiến cho chuyên viên."), 2000)
    return _apply(item, Action.RETURN_DRAFT, actor=actor, expected_version=expected_version, reason=reason,
                  request=request)


@transaction.atomic
def feedback_approve(*, item, actor, text: str = "", expected_version=None, request=None) -> FeedbackItem:
    """The leader approves (possibly amended) and the answer goes to the sender; publishing is due in 2 days."""

    def change(it, now):
        it.answer_text = _need(text or it.draft_text, _("Chưa có nội dung trả lời."))
        it.answered_at = now
        it.answered_by = actor
        it.answered_late = it.handle_due is not None and now > it.handle_due
        if not it.private:
            it.publish_due = timing.working_days(now, timing.PUBLISH_DAYS)

    done = _apply(item, Action.APPROVE, actor=actor, expected_version=expected_version, change=change,
                  request=request)
    _tell_sender(done, kind="feedback.answered", key="answered",
                 subject=_("Trả lời phản ánh, kiến nghị %(code)s") % {"code": done.code},
                 body=_("%(agency)s trả lời phản ánh %(code)s: %(answer)s\nXem tại: %(url)s")
                 % {"agency": done.agency.name, "code": done.code, "answer": done.answer_text[:1200],
                    "url": public_url(tracking_path(done))})
    return done


def apology_text(item: FeedbackItem) -> str:
    return _("%(agency)s xin lỗi ông/bà vì chưa trả lời phản ánh, kiến nghị %(code)s đúng hạn (%(due)s). "
             "Chúng tôi sẽ trả lời trong thời gian sớm nhất.") % {
        "agency": (item.agency or item.receiver_agency).name, "code": item.code,
        "due": f"{timezone.localtime(item.handle_due):%d/%m/%Y}"}


@transaction.atomic
def feedback_apologise(*, item, actor, text: str = "", expected_version=None, request=None) -> FeedbackItem:
    """An overdue item: an apology to the sender (a paper like Mẫu 04, Circular 01/2018/TT-VPCP, adapted)."""

    def change(it, now):
        it.apologised_at = now
        it.apology_text = (text or "").strip() or apology_text(it)

    done = _apply(item, Action.APOLOGISE, actor=actor, expected_version=expected_version, change=change,
                  request=request)
    _tell_sender(done, kind="feedback.apology", key="apology",
                 subject=_("Thư xin lỗi – phản ánh %(code)s") % {"code": done.code}, body=done.apology_text)
    return done


# ---------------------------------------------------------------------------------------------------------------
# Publication


def _published(item: FeedbackItem, question: str, answer: str) -> tuple[str, str]:
    names = [item.sender_name] if item.sender_name else []
    return masking.mask(question, names=names), masking.mask(answer, names=names)


@transaction.atomic
def feedback_publish(*, item, actor, expected_version=None, request=None) -> FeedbackItem:
    """Publish question and answer with personal data masked; the original texts stay on the item."""

    def change(it, now):
        it.published_question, it.published_answer = _published(it, it.content, it.answer_text)
        it.published_at = now
        it.search_key = fold(f"{it.subject} {it.published_question} {it.published_answer}")

    return _apply(item, Action.PUBLISH, actor=actor, expected_version=expected_version, change=change,
                  request=request)


@transaction.atomic
def feedback_edit_published(*, item, actor, question: str, answer: str, expected_version=None,
                            request=None) -> FeedbackItem:
    """A reviewer edits the published text (masked again); the previous text is kept in the event."""
    question = _need(question, _("Nội dung câu hỏi công khai không được để trống."))
    answer = _need(answer, _("Nội dung trả lời công khai không được để trống."))
    previous = {}

    def change(it, now):
        previous.update(question=it.published_question, answer=it.published_answer)
        it.published_question, it.published_answer = _published(it, question, answer)
        it.search_key = fold(f"{it.subject} {it.published_question} {it.published_answer}")

    return _apply(item, Action.EDIT_PUBLISHED, actor=actor, expected_version=expected_version, change=change,
                  data={"previous": previous}, request=request)


# ---------------------------------------------------------------------------------------------------------------
# One named-action door for the interfaces (workspace forms, API)


def feedback_act(*, item, actor, action: str, expected_version=None, request=None, reason: str = "",
                 text: str = "", agency: Agency | None = None, private: bool | None = None, of_code: str = "",
                 question: str = "", answer: str = "") -> FeedbackItem:
    """Do the named `action` with its parameters; an unknown action is invalid input."""
    code = item if isinstance(item, str) else item.code
    common = {"item": code, "actor": actor, "expected_version": expected_version, "request": request}
    A = Action
    calls = {
        A.ACCEPT: lambda: feedback_accept(private=bool(private), **common),
        A.REFUSE: lambda: feedback_refuse(reason=reason, **common),
        A.ASK_INFO: lambda: feedback_ask_info(request_text=reason or text, **common),
        A.INFO_RECEIVED: lambda: feedback_add_info(item=code, text=reason or text, actor=actor, request=request),
        A.MARK_DUPLICATE: lambda: feedback_mark_duplicate(of_code=of_code, **common),
        A.ROUTE: lambda: feedback_route(agency=agency, private=private, **common),
        A.FORWARD_BACK: lambda: feedback_forward_back(reason=reason, **common),
        A.DRAFT: lambda: feedback_draft(text=text, **common),
        A.RETURN_DRAFT: lambda: feedback_return_draft(reason=reason, **common),
        A.APPROVE: lambda: feedback_approve(text=text, **common),
        A.APOLOGISE: lambda: feedback_apologise(text=text, **common),
        A.PUBLISH: lambda: feedback_publish(**common),
        A.EDIT_PUBLISHED: lambda: feedback_edit_published(question=question, answer=answer, **common),
    }
    if action not in calls:
        raise InvalidInput(_("Không có thao tác %(action)s.") % {"action": action},
                           detail={"allowed": sorted(calls)})
    return calls[action]()
