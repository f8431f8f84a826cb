"""What the applicant is told, and when: messages queued in the outbox inside the dossier's transaction.

Then `hooks.DOSSIER_TOLD` is announced, for the domains built on dossiers (filings' document store, ratings'
invitation) to do their part without being imported from here (ADR 0007 "announcements")."""
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import hooks
from motcua.dossiers.workflow import Action

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


def dossier_changed(dossier, action: str) -> None:
    """Queue an e-mail and an SMS to the applicant about `action` (inside the caller's transaction)."""
    from motcua.notifications.services import notification_enqueue

    body = _text(dossier, action)
    if body is None:
        hooks.announce(hooks.DOSSIER_TOLD, dossier=dossier, action=action)
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
    hooks.announce(hooks.DOSSIER_TOLD, dossier=dossier, action=action)
