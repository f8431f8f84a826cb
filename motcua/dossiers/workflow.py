"""The dossier's states and the one table of allowed transitions (DESIGN "The dossier").

States carry the national portal's status numbers (LEGAL.md "Statuses known to the national portal"), so that
syncing is a mapping. `TRANSITIONS[state][action]` is the state an action leads to: `SAME` keeps the state
(handoffs between steps, apologies), `RESUME` goes back to the state held before the current pause.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Yêu cầu bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    COMPLETED = "completed", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


NATIONAL_CODE = {
    Status.SUBMITTED: 1, Status.RECEIVED: 2, Status.REFUSED: 3, Status.IN_PROGRESS: 4,
    Status.AWAITING_SUPPLEMENT: 5, Status.AWAITING_PAYMENT: 6, Status.WITHDRAWN: 7, Status.STOPPED: 8,
    Status.COMPLETED: 9, Status.RETURNED: 10,
}


class Action(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận")
    ACCEPT = "accept", _("Tiếp nhận hồ sơ trực tuyến")
    REFUSE = "refuse", _("Từ chối")
    CLAIM = "claim", _("Nhận xử lý")
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    REASSIGN = "reassign", _("Giao lại")
    APPROVE = "approve", _("Phê duyệt")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Đã nhận bổ sung")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    PAYMENT_RECEIVED = "payment_received", _("Đã thực hiện nghĩa vụ tài chính")
    RECORD_PAYMENT = "record_payment", _("Ghi nhận thanh toán phí, lệ phí")
    APOLOGISE = "apologise", _("Xin lỗi và hẹn lại")
    COMPLETE = "complete", _("Hoàn thành xử lý")
    RETURN = "return", _("Trả kết quả")
    ATTACH_DRAFT = "attach_draft", _("Đính kèm dự thảo kết quả")
    CHOOSE_POST = "choose_post", _("Đăng ký nhận kết quả qua bưu chính")
    HAND_TO_POST = "hand_to_post", _("Chuyển kết quả cho bưu chính")
    DELIVERED = "delivered", _("Bưu chính đã phát kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    STOP = "stop", _("Dừng xử lý")


SAME = "=same"
RESUME = "=resume"

S, A = Status, Action

# state -> {action: next state}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.SUBMITTED: {
        A.ACCEPT: S.RECEIVED, A.REFUSE: S.REFUSED, A.REQUEST_SUPPLEMENT: S.AWAITING_SUPPLEMENT,
        A.WITHDRAW: S.WITHDRAWN, A.RECORD_PAYMENT: SAME, A.CHOOSE_POST: SAME,
    },
    S.RECEIVED: {
        A.CLAIM: S.IN_PROGRESS, A.FORWARD: S.IN_PROGRESS, A.REASSIGN: SAME, A.REFUSE: S.REFUSED,
        A.REQUEST_SUPPLEMENT: S.AWAITING_SUPPLEMENT, A.REQUEST_PAYMENT: S.AWAITING_PAYMENT, A.APOLOGISE: SAME,
        A.WITHDRAW: S.WITHDRAWN, A.STOP: S.STOPPED, A.RECORD_PAYMENT: SAME, A.ATTACH_DRAFT: SAME,
        A.CHOOSE_POST: SAME,
    },
    S.IN_PROGRESS: {
        A.CLAIM: SAME, A.FORWARD: SAME, A.SEND_BACK: SAME, A.REASSIGN: SAME, A.APPROVE: SAME,
        A.REFUSE: S.REFUSED, A.REQUEST_SUPPLEMENT: S.AWAITING_SUPPLEMENT, A.REQUEST_PAYMENT: S.AWAITING_PAYMENT,
        A.APOLOGISE: SAME, A.COMPLETE: S.COMPLETED, A.WITHDRAW: S.WITHDRAWN, A.STOP: S.STOPPED,
        A.RECORD_PAYMENT: SAME, A.ATTACH_DRAFT: SAME, A.CHOOSE_POST: SAME,
    },
    S.AWAITING_SUPPLEMENT: {
        A.SUPPLEMENT_RECEIVED: RESUME, A.APOLOGISE: SAME, A.WITHDRAW: S.WITHDRAWN, A.STOP: S.STOPPED,
        A.REFUSE: S.REFUSED, A.RECORD_PAYMENT: SAME, A.CHOOSE_POST: SAME,
    },
    S.AWAITING_PAYMENT: {
        A.PAYMENT_RECEIVED: RESUME, A.RECORD_PAYMENT: RESUME, A.APOLOGISE: SAME, A.WITHDRAW: S.WITHDRAWN,
        A.STOP: S.STOPPED, A.CHOOSE_POST: SAME,
    },
    # Results by post (QĐ 45/2016/QĐ-TTg): handed to the post (still completed), then delivered (returned).
    S.COMPLETED: {A.RETURN: S.RETURNED, A.RECORD_PAYMENT: SAME, A.CHOOSE_POST: SAME, A.HAND_TO_POST: SAME,
                  A.DELIVERED: S.RETURNED},
    S.REFUSED: {},
    S.WITHDRAWN: {},
    S.STOPPED: {},
    S.RETURNED: {},
}

OPEN_STATES = frozenset({S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT})
PAUSED_STATES = frozenset({S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT})
CLOSED_STATES = frozenset({S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED})


def allowed_actions(state: str) -> list[str]:
    return list(TRANSITIONS.get(state, {}))


def target(state: str, action: str) -> str | None:
    """The state `action` leads to from `state` (SAME / RESUME markers included), or None if not allowed."""
    return TRANSITIONS.get(state, {}).get(action)
