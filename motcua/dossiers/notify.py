"""What the applicant is told, and when: messages queued in the outbox inside the dossier's transaction."""
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.workflow import Action, Status

logger = logging.getLogger(__name__)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _tracking_url(dossier) -> str:
    return f"{getattr(settings, 'PUBLIC_BASE_URL', 'http://127.0.0.1:8000').rstrip('/')}/tra-cuu/?code={dossier.code}"


def _text(dossier, action: str) -> str | None:
    code = dossier.code
    if action == Action.RECEIVE:
        return _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s. Tra cứu: %(url)s") % {
            "code": code, "due": _when(dossier.due_at), "url": _tracking_url(dossier)}
    if action == Action.REQUEST_SUPPLEMENT:
        return _("Hồ sơ %(code)s cần bổ sung, hoàn thiện. Lý do: %(reason)s") % {
            "code": code, "reason": dossier.supplement_request.reason}
    if action == Action.REQUEST_PAYMENT:
        return _("Hồ sơ %(code)s: vui lòng thực hiện nghĩa vụ tài chính để tiếp tục giải quyết.") % {"code": code}
    if action == Action.APOLOGISE:
        return _("Xin lỗi ông/bà: hồ sơ %(code)s chậm trễ. Ngày hẹn trả kết quả mới: %(due)s.") % {
            "code": code, "due": _when(dossier.extended_due_at)}
    if action == Action.COMPLETE:
        return _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.") % {"code": code}
    if action == Action.RETURN:
        return _("Hồ sơ %(code)s đã được trả kết quả. Cảm ơn ông/bà đã sử dụng dịch vụ.") % {"code": code}
    if action == Action.CHOOSE_POST:
        return _("Hồ sơ %(code)s: kết quả sẽ được gửi qua bưu chính tới %(address)s; cước %(fee)s đồng trả cho "
                 "bưu chính.") % {"code": code, "address": dossier.delivery_address, "fee": _money(dossier.postal_fee)}
    if action == Action.HAND_TO_POST:
        return _("Kết quả hồ sơ %(code)s đã được chuyển cho bưu chính, số hiệu bưu gửi %(tracking)s.") % {
            "code": code, "tracking": dossier.postal_tracking}
    if action == Action.DELIVERED:
        return _("Bưu chính đã phát kết quả hồ sơ %(code)s lúc %(when)s. Cảm ơn ông/bà đã sử dụng dịch vụ.") % {
            "code": code, "when": _when(dossier.delivered_at)}
    if action == Action.REFUSE:
        return _("Hồ sơ %(code)s không được tiếp nhận giải quyết. Lý do: %(reason)s") % {
            "code": code, "reason": dossier.closing_reason}
    if action in (Action.WITHDRAW, Action.STOP):
        return _("Hồ sơ %(code)s đã dừng giải quyết. Lý do: %(reason)s") % {
            "code": code, "reason": dossier.closing_reason}
    return None


def _store_results(dossier) -> None:
    """Put the electronic result of an online filer's dossier into their document store (`filings`).

    In a savepoint, and any failure is logged, never raised: the store is a convenience and must not undo the
    completion it follows.
    """
    if not dossier.citizen_id:
        return
    try:
        from motcua.filings.services import store_result

        result = dossier.attachments.filter(kind="result").order_by("-uploaded_at", "-id").first()
        if result is None:  # a paper result
            return
        with transaction.atomic():  # only the result in force: one replaced after a send-back stays out
            store_result(dossier=dossier, attachment=result)
    except Exception:  # noqa: BLE001 - deliberately broad: completion must stand whatever the store does
        logger.exception("Could not store the result of %s in the citizen's document store", dossier.code)


def dossier_changed(dossier, action: str) -> None:
    """Queue an e-mail and an SMS to the applicant about `action` (inside the caller's transaction)."""
    from motcua.notifications.services import notification_enqueue

    if action == Action.COMPLETE:
        _store_results(dossier)
    body = _text(dossier, action)
    if body is None:
        return
    subject = _("Hồ sơ %(code)s") % {"code": dossier.code}
    key = f"dossier:{dossier.code}:{action}:{dossier.version}"
    if dossier.applicant_email:
        notification_enqueue(channel="email", recipient=dossier.applicant_email, subject=subject, body=body,
                             kind=f"dossier.{action}", object_type="dossier", object_id=dossier.code,
                             dedupe_key=key + ":email")
    if dossier.applicant_phone:
        notification_enqueue(channel="sms", recipient=dossier.applicant_phone, body=body, kind=f"dossier.{action}",
                             object_type="dossier", object_id=dossier.code, dedupe_key=key + ":sms")
    if dossier.status == Status.RETURNED:  # at the desk, online, or delivered by post
        _invite_to_rate(dossier)


def _invite_to_rate(dossier) -> None:
    """Send the one-time rating link (motcua.ratings, issue 4 §8). A failure here never undoes the return."""
    try:
        with transaction.atomic():  # a savepoint: whatever goes wrong is rolled back alone
            from motcua.ratings.services import invite_issue

            invite_issue(dossier=dossier)
    except Exception:  # noqa: BLE001 - the return must stand whatever happens to the invitation
        logger.exception("ratings: could not issue the rating invitation for %s", dossier.code)
