"""A programme report's states and the one table of allowed transitions (QĐ 1908/QĐ-UBND IV.5, V.1.d).

An agency drafts its report on a task for a period, its leader submits it to Sở Nội vụ, which accepts it or sends it
back with a reason; a report sent back is edited and submitted again. Coordinating agencies add contributions at any
time before acceptance, which never changes the state. `TRANSITIONS[state][action]` is the next state; `SAME` keeps it.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi Sở Nội vụ")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED = "returned", _("Bị trả lại")


class TaskStatus(models.TextChoices):
    NOT_REPORTED = "not_reported", _("Chưa báo cáo")
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    LATE = "late", _("Chậm tiến độ")
    DROPPED = "dropped", _("Không thực hiện")


class Action(models.TextChoices):
    EDIT = "edit", _("Lưu dự thảo")
    SUBMIT = "submit", _("Gửi báo cáo")
    ACCEPT = "accept", _("Tiếp nhận báo cáo")
    SEND_BACK = "send_back", _("Trả lại báo cáo")
    CONTRIBUTE = "contribute", _("Góp ý phối hợp")


SAME = "=same"
S, A = ReportState, Action

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {A.EDIT: SAME, A.SUBMIT: S.SUBMITTED, A.CONTRIBUTE: SAME},
    S.RETURNED: {A.EDIT: SAME, A.SUBMIT: S.SUBMITTED, A.CONTRIBUTE: SAME},
    S.SUBMITTED: {A.ACCEPT: S.ACCEPTED, A.SEND_BACK: S.RETURNED, A.CONTRIBUTE: SAME},
    S.ACCEPTED: {},
}


def allowed_actions(state: str) -> list[str]:
    return list(TRANSITIONS.get(state, {}))


def target(state: str, action: str) -> str | None:
    """The state `action` leads to from `state` (resolving SAME), or None when the table does not allow it."""
    to = TRANSITIONS.get(state, {}).get(action)
    return state if to == SAME else to
