"""A feedback item's states and the one table of allowed transitions (LEGAL.md "Feedback and petitions").

`TRANSITIONS[state][action]` is the state the action leads to; `SAME` keeps the state (an apology, an edit of the
published text). Receivers classify (accept / refuse / ask for information / duplicate) and route; the competent
agency drafts and approves the answer or forwards the item back (Decree 20/2008/NĐ-CP art. 12: a body that is not
competent passes it on); receivers then publish it unless it is private.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    AWAITING_INFO = "awaiting_info", _("Chờ người gửi bổ sung thông tin")
    ACCEPTED = "accepted", _("Đã tiếp nhận, chờ chuyển xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    DRAFTED = "drafted", _("Chờ lãnh đạo duyệt trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã trả lời và công khai")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    DUPLICATE = "duplicate", _("Trùng nội dung đã phản ánh")
    CLOSED = "closed", _("Đã đóng (không nhận được thông tin bổ sung)")


class Action(models.TextChoices):
    ACCEPT = "accept", _("Tiếp nhận xử lý")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    ASK_INFO = "ask_info", _("Đề nghị bổ sung thông tin")
    INFO_RECEIVED = "info_received", _("Đã nhận thông tin bổ sung")
    EXPIRE = "expire", _("Đóng vì không bổ sung")
    MARK_DUPLICATE = "mark_duplicate", _("Trùng phản ánh khác")
    ROUTE = "route", _("Chuyển cơ quan có thẩm quyền")
    FORWARD_BACK = "forward_back", _("Chuyển lại do không thuộc thẩm quyền")
    DRAFT = "draft", _("Dự thảo trả lời")
    APPROVE = "approve", _("Duyệt và gửi trả lời")
    RETURN_DRAFT = "return_draft", _("Trả lại dự thảo")
    APOLOGISE = "apologise", _("Xin lỗi vì trả lời trễ hạn")
    PUBLISH = "publish", _("Công khai trả lời")
    EDIT_PUBLISHED = "edit_published", _("Biên tập nội dung công khai")


SAME = "=same"

S, A = Status, Action

TRANSITIONS: dict[str, dict[str, str]] = {
    S.RECEIVED: {A.ACCEPT: S.ACCEPTED, A.REFUSE: S.REFUSED, A.ASK_INFO: S.AWAITING_INFO,
                 A.MARK_DUPLICATE: S.DUPLICATE, A.ROUTE: S.IN_PROGRESS},
    S.AWAITING_INFO: {A.INFO_RECEIVED: S.RECEIVED, A.EXPIRE: S.CLOSED},
    S.ACCEPTED: {A.ROUTE: S.IN_PROGRESS, A.MARK_DUPLICATE: S.DUPLICATE, A.APOLOGISE: SAME},
    S.IN_PROGRESS: {A.DRAFT: S.DRAFTED, A.FORWARD_BACK: S.ACCEPTED, A.APOLOGISE: SAME},
    S.DRAFTED: {A.APPROVE: S.ANSWERED, A.RETURN_DRAFT: S.IN_PROGRESS, A.DRAFT: SAME, A.APOLOGISE: SAME},
    S.ANSWERED: {A.PUBLISH: S.PUBLISHED},
    S.PUBLISHED: {A.EDIT_PUBLISHED: SAME},
    S.REFUSED: {},
    S.DUPLICATE: {},
    S.CLOSED: {},
}

OPEN_STATES = frozenset({S.RECEIVED, S.AWAITING_INFO, S.ACCEPTED, S.IN_PROGRESS, S.DRAFTED})
PAUSED_STATES = frozenset({S.AWAITING_INFO})
ANSWERED_STATES = frozenset({S.ANSWERED, S.PUBLISHED})
CLOSED_STATES = frozenset({S.REFUSED, S.DUPLICATE, S.CLOSED, S.ANSWERED, S.PUBLISHED})


def allowed_actions(state: str) -> list[str]:
    return list(TRANSITIONS.get(state, {}))


def target(state: str, action: str) -> str | None:
    """The state `action` leads to from `state` (the SAME marker resolved), or None if not allowed."""
    to = TRANSITIONS.get(state, {}).get(action)
    return state if to == SAME else to
