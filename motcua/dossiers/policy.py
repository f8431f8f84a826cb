"""Who may do which action to a dossier now: one decision per action, beside `workflow.TRANSITIONS`.

`decide(user, dossier, action)` answers with a `Decision` (allowed, or the reason and the kind of refusal). The
services enforce it through their one entry (`services._entry.begin`), and every door offers exactly what it allows
(`offered_actions`: the workspace's buttons, the API's `available_actions`); `test_policy.py` walks every state ×
action × demo role and checks that what is offered is what the service accepts.

The rules, in words (Decree 61/2018/NĐ-CP and Decree 118/2025/NĐ-CP on the one-stop mechanism; Circular
01/2018/TT-VPCP for the handoffs recorded on Mẫu 05):

- the *desk* (receiving and returning permission over the dossier's desk) accepts online filings, records
  withdrawals, returns results and handles results by post;
- the *step holder* works the current step: the step's kind and role say which permission it needs (`step_permission`:
  an approval, or a review whose role is a leader's such as "Trưởng phòng kiểm tra, trình ký", needs the approving
  permission), and a step assigned to someone else must be claimed first (only a leader over the step's agency may
  take it from its assignee);
- those *responsible* for the dossier (the desk, the step holder, or the processing agency's staff) refuse, ask for
  a supplement or for payment, record payments and supplements, and apologise;
- a *leader* of the current or the processing agency stops processing;
- the *applicant* (the citizen who filed online) may withdraw, choose the post and answer the supplement themselves.
- "Supplement once" (Decree 61/2018 art. 9, Decree 118/2025 art. 11) and "apology once" are read from one place each:
  the dossier's `SupplementRequest` and its `Apology`.
"""
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from motcua.accounts.roles import Perm, Role
from motcua.accounts.scoping import user_can
from motcua.agencies.models import AgencyKind
from motcua.catalogue.models import StepKind
from motcua.dossiers.workflow import Action, Status, target
from motcua.errors import Conflict, DomainError, PermissionDenied

A = Action

# Step roles whose work is a leader's decision (catalogue `ProcessStep.role`): finishing them needs approval rights.
LEADER_ROLES = frozenset({Role.LEADER, Role.DIVISION_HEAD})

# Actions that cannot be undone: the workspace asks for a confirmation before sending them.
IRREVERSIBLE = frozenset({A.REFUSE, A.WITHDRAW, A.STOP, A.APPROVE, A.COMPLETE, A.RETURN, A.DELIVERED, A.FORWARD})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    error: type[DomainError] = PermissionDenied
    detail: dict | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def raise_if_refused(self) -> None:
        if not self.allowed:
            raise self.error(self.reason, detail=self.detail)


YES = Decision(True)


def _no(reason: str, error: type[DomainError] = PermissionDenied, detail: dict | None = None) -> Decision:
    return Decision(False, reason, error, detail)


def step_permission(step) -> str:
    """The permission that working on `step` needs: approving (an approval, or a leader's review), receiving and
    returning (the desk's steps), or processing."""
    if step.kind == StepKind.APPROVE or step.role in LEADER_ROLES:
        return Perm.DOSSIER_APPROVE
    if step.kind in (StepKind.RECEIVE, StepKind.RETURN):
        return Perm.DOSSIER_RECEIVE
    return Perm.DOSSIER_PROCESS


def may_work(user, step) -> bool:
    """`user` holds the permission `step` needs over the step's agency."""
    return step is not None and user_can(user, step_permission(step), step.agency)


def organisation(agency):
    """The agency a division or a desk belongs to (whose staff take its steps); any other agency itself."""
    while agency.kind in (AgencyKind.DIVISION, AgencyKind.DESK) and agency.parent_id is not None:
        agency = agency.parent
    return agency


def may_take(user, step) -> bool:
    """`user` may be given `step`: the right permission over its agency, from a grant held within the step's own
    organisation (not from above it: a province official is not a department's case officer)."""
    if user is None or user.is_superuser or not may_work(user, step):
        return False
    from motcua.accounts.queries import roles_with
    from motcua.accounts.scoping import grants_of

    home = organisation(step.agency).path
    roles = set(roles_with(step_permission(step)))
    return any(role in roles and path.startswith(home) for role, _agency_id, path in grants_of(user))


def takers(step, *, exclude=None) -> list:
    """The active staff who may be given `step` (the forward and reassign lists), by name."""
    from motcua.accounts.queries import holders_of

    return [u for u in holders_of(step.agency, step_permission(step))
            if (exclude is None or u.pk != exclude.pk) and may_take(u, step)]


def _steps(dossier) -> list:
    return sorted(dossier.steps.all(), key=lambda s: (s.order, s.id))


def active_step(dossier):
    step = dossier.current_step
    return step if step is not None and step.state == "active" else None


def next_step(dossier, step):
    later = [s for s in _steps(dossier) if s.order > step.order and s.state != "skipped"]
    return later[0] if later else None


def earlier_steps(dossier, step) -> list:
    """The steps a send-back may return to, nearest first (never the intake itself)."""
    return [s for s in reversed(_steps(dossier)) if s.order < step.order and s.kind != StepKind.RECEIVE]


def _has_one(dossier, name: str) -> bool:
    try:
        return getattr(dossier, name) is not None
    except ObjectDoesNotExist:
        return False


def supplement_requested(dossier) -> bool:
    """"Supplement once": its one representation is the dossier's `SupplementRequest` (a one-to-one row)."""
    return _has_one(dossier, "supplement_request")


def apologised(dossier) -> bool:
    """"Apology once": its one representation is the dossier's `Apology` (a one-to-one row)."""
    return _has_one(dossier, "apology")


def _is_owner(user, dossier) -> bool:
    return getattr(user, "pk", None) is not None and dossier.citizen_id is not None and user.pk == dossier.citizen_id


class _Who:
    """What the user is to this dossier, computed once per decision."""

    def __init__(self, user, dossier):
        self.user, self.dossier = user, dossier
        self.step = active_step(dossier)
        self._cache = {}

    def _get(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def at_desk(self) -> bool:
        return self._get("desk", lambda: user_can(self.user, Perm.DOSSIER_RECEIVE, self.dossier.desk))

    @property
    def on_step(self) -> bool:
        return self._get("step", lambda: may_work(self.user, self.step))

    @property
    def responsible(self) -> bool:
        """The desk that received it, whoever may work its current step, or the processing agency's staff."""
        return self.at_desk or self.on_step or self._get(
            "agency", lambda: user_can(self.user, Perm.DOSSIER_PROCESS, self.dossier.agency))

    @property
    def leader(self) -> bool:
        d = self.dossier
        return self._get("leader", lambda: user_can(self.user, Perm.DOSSIER_APPROVE, d.current_agency or d.agency)
                         or user_can(self.user, Perm.DOSSIER_APPROVE, d.agency))

    @property
    def owner(self) -> bool:
        return _is_owner(self.user, self.dossier)


def _holder(who: _Who) -> Decision:
    """The current step must be the user's to finish: the right permission, and not assigned to someone else."""
    step = who.step
    if step is None:
        return _no(_("Hồ sơ không có bước nào đang xử lý."), Conflict)
    if not who.on_step:
        return _no(_('Bước "%(step)s" thuộc %(agency)s; bạn không có quyền xử lý bước này.')
                   % {"step": step.name, "agency": step.agency.name})
    if step.assignee_id is not None and step.assignee_id != who.user.pk:
        return _no(_('Bước "%(step)s" đã giao cho %(user)s; hãy "Nhận xử lý" bước này trước.')
                   % {"step": step.name, "user": step.assignee}, Conflict)
    return YES


def _require(ok: bool, reason: str) -> Decision:
    return YES if ok else _no(reason)


def _accept(who):
    return _require(who.at_desk, _("Chỉ bộ phận tiếp nhận của hồ sơ được tiếp nhận."))


def _refuse(who):
    return _require(who.responsible, _("Bạn không có quyền từ chối hồ sơ này."))


def _claim(who):
    step = who.step
    if step is None:
        return _no(_("Hồ sơ không có bước nào đang xử lý."), Conflict)
    if not who.on_step:
        return _holder(who)
    if step.assignee_id == who.user.pk:
        return _no(_("Bạn đang xử lý bước này."), Conflict)
    if step.assignee_id is not None and not user_can(who.user, Perm.DOSSIER_APPROVE, step.agency):
        return _no(_("Bước này đã giao cho %(user)s.") % {"user": step.assignee}, Conflict)
    return YES


def _forward(who):
    decision = _holder(who)
    if not decision:
        return decision
    step = who.step
    if step.kind == StepKind.APPROVE and step.approved_at is None:
        return _no(_("Bước phê duyệt chưa được lãnh đạo phê duyệt."), Conflict)
    nxt = next_step(who.dossier, step)
    if nxt is None or nxt.kind == StepKind.RETURN:
        return _no(_('Đây là bước xử lý cuối cùng: hãy dùng "Hoàn thành xử lý" và đính kèm kết quả.'), Conflict)
    return YES


def _send_back(who):
    decision = _holder(who)
    if decision and not earlier_steps(who.dossier, who.step):
        return _no(_("Không có bước trước để trả lại."), Conflict)
    return decision


def _reassign(who):
    step = who.step
    if step is None:
        return _no(_("Hồ sơ không có bước nào đang xử lý."), Conflict)
    return _holder(who) if not who.on_step else YES


def _approve(who):
    decision = _holder(who)
    if not decision:
        return decision
    step = who.step
    if step.kind != StepKind.APPROVE:
        return _no(_('Bước hiện tại "%(step)s" không phải bước phê duyệt.') % {"step": step.name}, Conflict)
    if step.approved_at is not None:
        return _no(_("Bước này đã được phê duyệt."), Conflict)
    return YES


def _attach_draft(who):
    decision = _holder(who)
    if decision and who.step.kind == StepKind.RETURN:
        return _no(_("Dự thảo kết quả được đính kèm ở bước xử lý, không phải ở bước trả kết quả."), Conflict)
    return decision


def _complete(who):
    decision = _holder(who)
    if not decision:
        return decision
    nxt = next_step(who.dossier, who.step)
    if nxt is not None and nxt.kind != StepKind.RETURN:
        return _no(_('Hồ sơ còn bước "%(step)s" chưa xử lý.') % {"step": nxt.name}, Conflict)
    if any(s.kind == StepKind.APPROVE and s.approved_at is None and s.state != "skipped"
           for s in _steps(who.dossier)):
        return _no(_("Kết quả chưa được lãnh đạo phê duyệt."), Conflict)
    return YES


def _request_supplement(who):
    if supplement_requested(who.dossier):
        return _no(_("Hồ sơ này đã được yêu cầu bổ sung một lần; theo quy định (Nghị định 61/2018/NĐ-CP, "
                     "Nghị định 118/2025/NĐ-CP điều 11) chỉ được yêu cầu bổ sung một lần."), Conflict)
    return _require(who.responsible, _("Bạn không có quyền yêu cầu bổ sung hồ sơ này."))


def _supplement_received(who):
    return _require(who.owner or who.responsible, _("Bạn không có quyền ghi nhận bổ sung cho hồ sơ này."))


def _request_payment(who):
    return _require(who.responsible, _("Bạn không có quyền yêu cầu thực hiện nghĩa vụ tài chính."))


def _payment_received(who):
    if who.user is None:  # the payment gateway's verified callback
        return YES
    return _require(who.responsible, _("Bạn không có quyền ghi nhận việc nộp phí cho hồ sơ này."))


def _record_payment(who):
    decision = _payment_received(who)
    if decision and not any(fee.paid_at is None for fee in who.dossier.fees.all()):
        return _no(_("Các khoản phí này đã được thanh toán hoặc không thuộc hồ sơ."), Conflict)
    return decision


def _apologise(who):
    if apologised(who.dossier):
        return _no(_("Hồ sơ này đã có thư xin lỗi và ngày hẹn lại; ngày hẹn mới chỉ được đặt một lần."), Conflict)
    return _require(who.responsible, _("Bạn không có quyền xin lỗi và hẹn lại cho hồ sơ này."))


def _not_posted(who, decision):
    d = who.dossier
    if decision and d.posted_at is not None:
        return _no(_('Kết quả đã được chuyển cho bưu chính (số hiệu %(tracking)s): hãy ghi nhận "Bưu chính đã '
                     'phát kết quả" khi bưu chính báo đã phát.') % {"tracking": d.postal_tracking}, Conflict)
    return decision


def _return(who):
    return _not_posted(who, _require(who.at_desk, _("Chỉ bộ phận tiếp nhận của hồ sơ được trả kết quả.")))


def _choose_post(who):
    decision = _require(who.owner or who.at_desk, _("Chỉ người nộp hoặc bộ phận tiếp nhận của hồ sơ được đăng ký "
                                                    "nhận kết quả qua bưu chính."))
    if decision and who.dossier.posted_at is not None:
        return _no(_("Kết quả đã được chuyển cho bưu chính; không thể thay đổi địa chỉ nhận."), Conflict)
    return decision


def _hand_to_post(who):
    d = who.dossier
    decision = _require(who.at_desk, _("Chỉ bộ phận tiếp nhận của hồ sơ được chuyển kết quả cho bưu chính."))
    if not decision:
        return decision
    if d.delivery != "post" or not d.delivery_address:
        return _no(_('Người nộp chưa đăng ký nhận kết quả qua bưu chính: hãy ghi nhận "Đăng ký nhận kết quả '
                     'qua bưu chính" (địa chỉ, cước) trước.'), Conflict)
    if d.posted_at is not None:
        return _no(_("Kết quả đã được chuyển cho bưu chính (số hiệu %(tracking)s).")
                   % {"tracking": d.postal_tracking}, Conflict)
    return YES


def _delivered(who):
    decision = _require(who.at_desk, _("Chỉ bộ phận tiếp nhận của hồ sơ được ghi nhận bưu chính đã phát kết quả."))
    if decision and who.dossier.posted_at is None:
        return _no(_('Kết quả chưa được chuyển cho bưu chính: hãy ghi nhận "Chuyển kết quả cho bưu chính" '
                     '(số hiệu bưu gửi) trước.'), Conflict)
    return decision


def _withdraw(who):
    return _require(who.owner or who.at_desk, _("Chỉ bộ phận tiếp nhận ghi nhận việc rút hồ sơ."))


def _stop(who):
    return _require(who.leader, _("Chỉ lãnh đạo cơ quan giải quyết được dừng xử lý hồ sơ."))


# action -> who may take it (the state is checked first, by the transition table)
RULES = {
    A.ACCEPT: _accept, A.REFUSE: _refuse, A.CLAIM: _claim, A.FORWARD: _forward, A.SEND_BACK: _send_back,
    A.REASSIGN: _reassign, A.APPROVE: _approve, A.REQUEST_SUPPLEMENT: _request_supplement,
    A.SUPPLEMENT_RECEIVED: _supplement_received, A.REQUEST_PAYMENT: _request_payment,
    A.PAYMENT_RECEIVED: _payment_received, A.RECORD_PAYMENT: _record_payment, A.APOLOGISE: _apologise,
    A.COMPLETE: _complete, A.RETURN: _return, A.ATTACH_DRAFT: _attach_draft, A.CHOOSE_POST: _choose_post,
    A.HAND_TO_POST: _hand_to_post, A.DELIVERED: _delivered, A.WITHDRAW: _withdraw, A.STOP: _stop,
}


def state_allows(dossier, action: str) -> Decision:
    if target(dossier.status, action) is None:
        return _no(_('Không thể thực hiện "%(action)s" khi hồ sơ đang ở trạng thái "%(status)s".')
                   % {"action": Action(action).label, "status": Status(dossier.status).label}, Conflict,
                   {"status": dossier.status, "action": action})
    return YES


def decide(user, dossier, action: str) -> Decision:
    """May `user` (None: the payment gateway) do `action` to `dossier` now? The state first, then who."""
    decision = state_allows(dossier, action)
    if not decision:
        return decision
    rule = RULES.get(action)
    if rule is None:  # intake (receive) is decided on the desk, not on a dossier
        return _no(_("Thao tác không hợp lệ: %(action)s.") % {"action": action}, Conflict)
    return rule(_Who(user, dossier))


def offered_actions(user, dossier) -> list[str]:
    """The actions `user` may take on `dossier` now, in the table's order: what every door offers."""
    from motcua.dossiers.workflow import allowed_actions

    who = _Who(user, dossier)
    return [action for action in allowed_actions(dossier.status) if action in RULES and RULES[action](who)]
