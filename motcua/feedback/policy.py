"""Who may do which action to a feedback item now: one rule per action, each with a reason when not."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.feedback.workflow import Action, Status, allowed_actions, target

A = Action

# Actions of the receivers (over the receiving agency), of the competent agency, and of the system (actor None).
RECEIVER_ACTIONS = frozenset({A.ACCEPT, A.REFUSE, A.ASK_INFO, A.INFO_RECEIVED, A.MARK_DUPLICATE, A.ROUTE,
                              A.PUBLISH, A.EDIT_PUBLISHED})
DRAFTER_ACTIONS = frozenset({A.DRAFT, A.FORWARD_BACK})
APPROVER_ACTIONS = frozenset({A.APPROVE, A.RETURN_DRAFT})
SYSTEM_ACTIONS = frozenset({A.EXPIRE, A.INFO_RECEIVED})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


YES = Decision(True)


def _overdue(item, now) -> bool:
    return item.handle_due is not None and now > item.handle_due and item.apologised_at is None


def may(user, item, action: str, *, now=None) -> Decision:
    """May `user` (None: the system, or the sender proven by code and digits) do `action` to `item` now?"""
    now = now or clock.now()
    if target(item.status, action) is None:
        return Decision(False, _('Không thể "%(action)s" khi phản ánh đang "%(status)s".')
                        % {"action": Action(action).label, "status": Status(item.status).label})
    if user is None:
        if action in SYSTEM_ACTIONS:
            return YES
        return Decision(False, _("Cần đăng nhập bằng tài khoản cán bộ."))
    if action == A.EXPIRE:
        return Decision(False, _("Phản ánh chỉ tự đóng khi hết hạn bổ sung."))
    if action == A.INFO_RECEIVED and item.sender_id is not None and item.sender_id == user.pk:
        return YES
    if action in RECEIVER_ACTIONS:
        if not user_can(user, Perm.FEEDBACK_RECEIVE, item.receiver_agency):
            return Decision(False, _("Chỉ bộ phận tiếp nhận phản ánh, kiến nghị được thực hiện việc này."))
        if action == A.PUBLISH and item.private:
            return Decision(False, _("Phản ánh này không công khai."))
        return YES
    if action == A.APOLOGISE:
        if not _overdue(item, now):
            return Decision(False, _("Chỉ xin lỗi khi phản ánh đã quá hạn trả lời và chưa xin lỗi."))
        if item.agency_id is None:
            ok = user_can(user, Perm.FEEDBACK_RECEIVE, item.receiver_agency)
        else:
            ok = user_can(user, Perm.FEEDBACK_APPROVE, item.agency)
        return YES if ok else Decision(False, _("Chỉ lãnh đạo cơ quan đang giữ phản ánh được gửi thư xin lỗi."))
    if item.agency_id is None:
        return Decision(False, _("Phản ánh chưa được chuyển đến cơ quan nào."))
    if action in DRAFTER_ACTIONS:
        if not user_can(user, Perm.FEEDBACK_ANSWER, item.agency):
            return Decision(False, _("Phản ánh này thuộc %(agency)s; bạn không có quyền xử lý.")
                            % {"agency": item.agency.name})
        return YES
    if action in APPROVER_ACTIONS:
        if not user_can(user, Perm.FEEDBACK_APPROVE, item.agency):
            return Decision(False, _("Chỉ lãnh đạo %(agency)s được duyệt trả lời.") % {"agency": item.agency.name})
        return YES
    return Decision(False, _("Hành động không hợp lệ."))


def offered_actions(user, item, *, now=None) -> list[str]:
    """The actions a screen may offer `user` for `item`: exactly what `may` allows."""
    return [a for a in allowed_actions(item.status) if a not in (A.EXPIRE,) and may(user, item, a, now=now)]
