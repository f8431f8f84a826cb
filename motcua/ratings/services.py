"""Every change to ratings: invitations, the three ways to submit a rating, and the leader's follow-up.

Each operation checks its rule, writes in one transaction and records the audit entry (STYLE habits 1 and 5);
a refusal is audited too (outside the rolled-back transaction) and raised with a message a person can act on.
Unhappy answers ("không hài lòng") are flagged to the agency's leaders, as LEGAL.md "Evaluating how procedures are
handled" (indicator 7, officials' attitude) and "Service index (QĐ 766)" (satisfaction) make them count.
"""
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua import clock, hooks
from motcua.accounts.queries import holders_of
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.audit.services import audit_record
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action, Status
from motcua.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from motcua.ratings import queries
from motcua.ratings.models import QUESTIONS, Flag, FlagState, Invitation, Level, RatedOfficial, Rating, RatingChannel
from motcua.ratings.tokens import hash_token  # noqa: F401 - kept importable from here

logger = logging.getLogger(__name__)

COMMENT_MAX = 2000


@dataclass(frozen=True)
class Answers:
    """The three answers, each a `Level` (1 Rất hài lòng … 5 Rất không hài lòng)."""

    convenience: int
    overall: int
    attitude: int

    def cleaned(self) -> "Answers":
        missing = []
        values = {}
        for name, question in QUESTIONS:
            raw = getattr(self, name)
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = None
            if value not in Level.values:
                missing.append(str(question))
            values[name] = value
        if missing:
            raise InvalidInput(_("Hãy chọn một mức đánh giá cho: %(questions)s") % {"questions": " ".join(missing)},
                               detail={"questions": [n for n, _q in QUESTIONS if values[n] not in Level.values]})
        return Answers(**values)


def rating_url(token: str) -> str:
    return f"{getattr(settings, 'PUBLIC_BASE_URL', 'http://127.0.0.1:8000').rstrip('/')}/danh-gia/{token}/"


# ---------------------------------------------------------------------------------------------------------------
# Invitations


def invite_issue(*, dossier: Dossier, send: bool = True) -> str | None:
    """Issue a one-time rating link for a returned dossier and (if `send`) queue it by e-mail and SMS.

    Called from `dossiers.notify` inside the return's transaction. Returns the token (kept only hashed), or None
    when there is nobody to send it to. Expires after RATINGS_LINK_DAYS days.
    """
    if dossier.status != Status.RETURNED:
        raise Conflict(_("Hồ sơ %(code)s chưa trả kết quả nên chưa thể mời đánh giá.") % {"code": dossier.code})
    if send and not (dossier.applicant_email or dossier.applicant_phone):
        return None
    from motcua.notifications.services import notification_enqueue

    with transaction.atomic():
        now = clock.now()
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            dossier=dossier, token_hash=hash_token(token), created_at=now,
            expires_at=now + timedelta(days=getattr(settings, "RATINGS_LINK_DAYS", 30)),
        )
        if send:
            body = _("Mời ông/bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ %(code)s (hạn %(days)d ngày, "
                     "dùng một lần): %(url)s") % {"code": dossier.code, "url": rating_url(token),
                                                  "days": getattr(settings, "RATINGS_LINK_DAYS", 30)}
            subject = _("Đánh giá việc giải quyết hồ sơ %(code)s") % {"code": dossier.code}
            for channel, recipient in (("email", dossier.applicant_email), ("sms", dossier.applicant_phone)):
                notification_enqueue(channel=channel, recipient=recipient, subject=subject, body=body,
                                     kind="ratings.invite", object_type="dossier", object_id=dossier.code,
                                     dedupe_key=f"rating-invite:{invitation.pk}:{channel}")
        audit_record(actor=None, action="rating.invite", obj=invitation, summary=dossier.code,
                     detail={"expires_at": invitation.expires_at.isoformat(), "sent": send})
    return token


# ---------------------------------------------------------------------------------------------------------------
# Submitting


def _refused(exc: DomainError, *, actor, channel: str, code: str, request) -> None:
    """Record a refusal in the audit log (in its own write: the refused transaction was rolled back)."""
    audit_record(actor=actor, action="rating.refused", summary=code[:64],
                 detail={"channel": channel, "code": code[:64], "reason": exc.message, "status": exc.status},
                 request=request)


def _officials(dossier: Dossier) -> list[tuple]:
    """The officials who served the dossier: whoever received it, handled its steps, returned it; with their agency."""
    from motcua.dossiers.models import DossierEvent

    found: dict[int, tuple] = {}
    if dossier.received_by_id:
        found[dossier.received_by_id] = (dossier.received_by_id, dossier.desk_id)
    for step in dossier.steps.exclude(assignee=None).only("assignee_id", "agency_id"):
        found.setdefault(step.assignee_id, (step.assignee_id, step.agency_id))
    returner = (DossierEvent.objects.filter(dossier=dossier, action=Action.RETURN).exclude(actor=None)
                .values_list("actor_id", flat=True).first())
    if returner:
        found.setdefault(returner, (returner, dossier.desk_id))
    return list(found.values())


def _leaders(agency) -> list:
    """The agency's leaders: who may both approve and read reports over it (the leader role; not admins)."""
    approvers = {u.id: u for u in holders_of(agency, Perm.DOSSIER_APPROVE)}
    return [u for u in holders_of(agency, Perm.REPORT_VIEW) if u.id in approvers]


def _flag(rating: Rating, *, now) -> Flag:
    from motcua.notifications.services import notification_enqueue

    leaders = _leaders(rating.agency)
    flag = Flag.objects.create(rating=rating, agency=rating.agency, leader=leaders[0] if leaders else None,
                               created_at=now)
    code = rating.dossier.code
    body = _("Hồ sơ %(code)s nhận đánh giá không hài lòng (%(agency)s). Đề nghị lãnh đạo xem xét, xử lý: %(url)s") % {
        "code": code, "agency": rating.agency.name,
        "url": f"{getattr(settings, 'PUBLIC_BASE_URL', '').rstrip('/')}/workspace/danh-gia/can-xu-ly/"}
    subject = _("Đánh giá không hài lòng – hồ sơ %(code)s") % {"code": code}
    for leader in leaders:
        for channel, recipient in (("email", leader.email), ("sms", leader.phone)):
            try:
                with transaction.atomic():
                    notification_enqueue(channel=channel, recipient=recipient, subject=subject, body=body,
                                         kind="ratings.flag", object_type="rating", object_id=str(rating.pk),
                                         dedupe_key=f"rating-flag:{flag.pk}:{leader.pk}:{channel}")
            except InvalidInput:  # a malformed staff address must not lose the citizen's rating
                logger.warning("ratings: cannot notify leader %s by %s", leader.pk, channel)
    audit_record(actor=None, action="rating.flag", obj=flag, summary=code,
                 detail={"agency": rating.agency.code, "leaders": [u.pk for u in leaders]})
    return flag


def _create(*, dossier: Dossier, channel: str, answers: Answers, comment: str, agency, officials, actor=None,
            citizen=None, request=None) -> Rating:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(_("Ý kiến tối đa %(n)d ký tự.") % {"n": COMMENT_MAX})
    answers = answers.cleaned()
    already = _("Hồ sơ %(code)s đã được đánh giá qua kênh này; mỗi hồ sơ chỉ được đánh giá một lần.") % {
        "code": dossier.code}
    if Rating.objects.filter(dossier=dossier, channel=channel).exists():
        raise Conflict(already, detail={"code": dossier.code, "channel": channel})
    now = clock.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier, channel=channel, convenience=answers.convenience, overall=answers.overall,
                attitude=answers.attitude, comment=comment, agency=agency, citizen=citizen, at=now,
            )
    except IntegrityError as exc:  # a concurrent submission on the same channel won the race
        raise Conflict(already, detail={"code": dossier.code, "channel": channel}) from exc
    RatedOfficial.objects.bulk_create(
        [RatedOfficial(rating=rating, official_id=user_id, agency_id=agency_id) for user_id, agency_id in officials])
    audit_record(actor=actor, action="rating.submit", obj=rating, summary=dossier.code,
                 detail={"channel": channel, "convenience": answers.convenience, "overall": answers.overall,
                         "attitude": answers.attitude}, request=request)
    if rating.unhappy:
        _flag(rating, now=now)
    hooks.announce(hooks.RATING_RECORDED, rating=rating, dossier=dossier, unhappy=rating.unhappy, open_feedback=getattr(request, "open_feedback", True))  # noqa: E501 - feedback opens an item (issue 8)
    return rating


def _require_returned(dossier: Dossier) -> None:
    if dossier.status != Status.RETURNED:
        raise Conflict(_("Hồ sơ %(code)s chưa trả kết quả nên chưa thể đánh giá.") % {"code": dossier.code},
                       detail={"status": dossier.status})


def rating_submit_by_token(*, token: str, answers: Answers, comment: str = "", request=None) -> Rating:
    """Rate through the one-time link sent at return: valid until it expires, and used once."""
    try:
        return _submit_by_token(token=token, answers=answers, comment=comment, request=request)
    except DomainError as exc:
        _refused(exc, actor=None, channel=RatingChannel.LINK, code=getattr(exc, "code", ""), request=request)
        raise


@transaction.atomic
def _submit_by_token(*, token, answers, comment, request) -> Rating:
    invitation = (Invitation.objects.select_for_update().select_related("dossier__desk", "dossier__agency")
                  .filter(token_hash=hash_token(token)).first())
    if invitation is None:
        raise NotFound(_("Đường dẫn đánh giá không đúng. Hãy mở lại đường dẫn trong thư hoặc tin nhắn đã nhận."))
    dossier = invitation.dossier
    if invitation.used_at is not None:
        raise _coded(Conflict(_("Đường dẫn đánh giá này đã được sử dụng; mỗi đường dẫn chỉ dùng một lần.")), dossier)
    if clock.now() >= invitation.expires_at:
        raise _coded(Conflict(_("Đường dẫn đánh giá đã hết hạn. Ông/bà có thể đánh giá tại mục \"Hồ sơ của tôi\" "
                                "nếu có tài khoản.")), dossier)
    try:
        _require_returned(dossier)
        rating = _create(dossier=dossier, channel=RatingChannel.LINK, answers=answers, comment=comment,
                         agency=dossier.agency, officials=_officials(dossier), request=request)
    except DomainError as exc:
        raise _coded(exc, dossier) from None
    invitation.used_at = clock.now()
    invitation.save(update_fields=["used_at"])
    return rating


def _coded(exc: DomainError, dossier: Dossier) -> DomainError:
    exc.code = dossier.code
    return exc


def rating_submit_by_citizen(*, user, code: str, answers: Answers, comment: str = "", request=None) -> Rating:
    """Rate from the citizen's account: only the signed-in owner of a returned dossier (`dossier.citizen`)."""
    try:
        return _submit_by_citizen(user=user, code=code, answers=answers, comment=comment, request=request)
    except DomainError as exc:
        _refused(exc, actor=user, channel=RatingChannel.ACCOUNT, code=code or "", request=request)
        raise


@transaction.atomic
def _submit_by_citizen(*, user, code, answers, comment, request) -> Rating:
    dossier = (Dossier.objects.select_for_update().select_related("desk", "agency")
               .filter(code=(code or "").strip()).first())
    # Absent and "not yours" answer alike, so that the refusal does not tell whether the code exists.
    if dossier is None or not getattr(user, "is_authenticated", False) or dossier.citizen_id != user.id:
        raise PermissionDenied(_("Ông/bà chỉ có thể đánh giá hồ sơ do chính mình nộp bằng tài khoản này."))
    _require_returned(dossier)
    return _create(dossier=dossier, channel=RatingChannel.ACCOUNT, answers=answers, comment=comment,
                   agency=dossier.agency, officials=_officials(dossier), actor=user, citizen=user, request=request)


def rating_submit_at_kiosk(*, officer, code: str, answers: Answers, comment: str = "", request=None) -> Rating:
    """Rate at the desk's tablet: the dossier this officer just received or returned (within the kiosk window)."""
    try:
        return _submit_at_kiosk(officer=officer, code=code, answers=answers, comment=comment, request=request)
    except DomainError as exc:
        _refused(exc, actor=officer, channel=RatingChannel.KIOSK, code=code or "", request=request)
        raise


@transaction.atomic
def _submit_at_kiosk(*, officer, code, answers, comment, request) -> Rating:
    if not user_can(officer, Perm.DOSSIER_RECEIVE):
        raise PermissionDenied(_("Chỉ công chức tiếp nhận được mở trang đánh giá tại quầy."))
    dossier = queries.kiosk_dossier(officer)
    if dossier is None or dossier.code != (code or "").strip():
        raise Conflict(_("Hồ sơ này không còn chờ đánh giá tại quầy. Hãy tải lại trang."))
    dossier = Dossier.objects.select_for_update().select_related("desk", "agency").get(pk=dossier.pk)
    return _create(dossier=dossier, channel=RatingChannel.KIOSK, answers=answers, comment=comment,
                   agency=dossier.desk, officials=[(officer.id, dossier.desk_id)], actor=officer, request=request)


# ---------------------------------------------------------------------------------------------------------------
# Follow-up


def may_follow_up(user, agency) -> bool:
    """The agency's leader (approves and reads reports over it) records the follow-up."""
    return user_can(user, Perm.DOSSIER_APPROVE, agency) and user_can(user, Perm.REPORT_VIEW, agency)


@transaction.atomic
def flag_follow_up(*, flag: Flag | int, actor, note: str, request=None) -> Flag:
    """The leader records what was done about an unhappy rating; the flag is then closed."""
    pk = flag if isinstance(flag, int) else flag.pk
    locked = Flag.objects.select_for_update().select_related("agency", "rating__dossier").filter(pk=pk).first()
    if locked is None or not user_can(actor, Perm.REPORT_VIEW, locked.agency):
        raise NotFound(_("Không tìm thấy đánh giá cần xử lý."))
    if not may_follow_up(actor, locked.agency):
        raise PermissionDenied(_("Chỉ lãnh đạo %(agency)s được ghi nhận kết quả xử lý.") % {
            "agency": locked.agency.name})
    if locked.state == FlagState.DONE:
        raise Conflict(_("Đánh giá này đã được xử lý."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Hãy ghi kết quả xử lý (đã liên hệ người dân, biện pháp đã làm…)."))
    if len(note) > COMMENT_MAX:
        raise InvalidInput(_("Kết quả xử lý tối đa %(n)d ký tự.") % {"n": COMMENT_MAX})
    locked.state = FlagState.DONE
    locked.note = note
    locked.handled_at = clock.now()
    locked.handled_by = actor
    locked.save()
    audit_record(actor=actor, action="rating.follow_up", obj=locked, summary=locked.rating.dossier.code,
                 detail={"agency": locked.agency.code}, request=request)
    return locked
