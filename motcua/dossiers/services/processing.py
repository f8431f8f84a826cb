"""Processing and handoffs between steps: claim, forward, send back, reassign, draft and approval (Mẫu 05)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.models import User
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue.models import StepKind
from motcua.dossiers import files, policy
from motcua.dossiers.models import (
    Attachment,
    AttachmentKind,
    Delivery,
    Dossier,
    StepState,
)
from motcua.dossiers.services._entry import (
    Upload,
    _active_step,
    _begin,
    _finish_step,
    _next_step,
    _point_at,
    _record,
    _start_step,
    _store,
)
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, InvalidInput


@transaction.atomic
def dossier_claim(*, dossier, actor, expected_version=None, request=None) -> Dossier:
    """The officer takes the current step (the handoff's "received by")."""
    dossier, frm, to = _begin(dossier, Action.CLAIM, expected_version, actor=actor)
    step = _active_step(dossier)
    step.assignee = actor
    step.save(update_fields=["assignee"])
    dossier.status = to
    _record(dossier, actor=actor, action=Action.CLAIM, from_status=frm, step=step, to_user=actor, request=request)
    return dossier


@transaction.atomic
def dossier_forward(
    *,
    dossier,
    actor,
    to_agency: Agency | None = None,
    to_user=None,
    note: str = "",
    expected_version=None,
    request=None,
) -> Dossier:
    """Finish the current step and hand the dossier to the next one (another division or agency)."""
    dossier, frm, to = _begin(dossier, Action.FORWARD, expected_version, actor=actor)
    step = _active_step(dossier)
    nxt = _next_step(dossier, step)
    if to_agency is not None and to_agency != nxt.agency:
        if nxt.kind != StepKind.INTER_AGENCY and not nxt.agency.contains(to_agency):
            raise InvalidInput(
                _("Bước tiếp theo thuộc %(agency)s; chỉ có thể chuyển trong đơn vị đó.") % {"agency": nxt.agency.name}
            )
        nxt.agency = to_agency
    if to_user is not None and not policy.may_take(to_user, nxt):
        raise InvalidInput(_("%(user)s không thuộc đơn vị xử lý bước tiếp theo.") % {"user": to_user})
    now = clock.now()
    _finish_step(step, now)
    _start_step(nxt, now, assignee=to_user)
    _point_at(dossier, nxt)
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.FORWARD,
        from_status=frm,
        request=request,
        step=step,
        from_agency=step.agency,
        to_agency=nxt.agency,
        to_user=to_user,
        reason=note,
        data={"outcome": step.outcome, "next_step": nxt.name, "next_due_at": nxt.due_at.isoformat()},
    )
    return dossier


@transaction.atomic
def dossier_send_back(
    *, dossier, actor, reason: str, to_order: int | None = None, expected_version=None, request=None
) -> Dossier:
    """Send the dossier back to an earlier step, with the reason; the steps in between are to be done again."""
    if not reason.strip():
        raise InvalidInput(_("Hãy ghi lý do trả lại."))
    dossier, frm, to = _begin(dossier, Action.SEND_BACK, expected_version, actor=actor)
    step = _active_step(dossier)
    earlier = dossier.steps.filter(order__lt=step.order).exclude(kind=StepKind.RECEIVE).order_by("-order", "-id")
    back = earlier.filter(order=to_order).first() if to_order is not None else earlier.first()
    if back is None:
        raise Conflict(_("Không có bước trước để trả lại."))
    now = clock.now()
    for between in dossier.steps.filter(order__gt=back.order, order__lte=step.order):
        between.state, between.started_at, between.due_at, between.finished_at = StepState.PENDING, None, None, None
        between.clock_started_at = None
        between.outcome, between.approved_at, between.approved_by = "", None, None
        between.save()
    _start_step(back, now)
    _point_at(dossier, back)
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.SEND_BACK,
        from_status=frm,
        request=request,
        step=step,
        from_agency=step.agency,
        to_agency=back.agency,
        to_user=back.assignee,
        reason=reason.strip(),
        data={"to_step": back.name},
    )
    return dossier


@transaction.atomic
def dossier_reassign(
    *, dossier, actor, to_user: User, reason: str = "", expected_version=None, request=None
) -> Dossier:
    """Give the current step to another officer of the same agency."""
    dossier, frm, to = _begin(dossier, Action.REASSIGN, expected_version, actor=actor)
    step = _active_step(dossier)
    if to_user is None or not policy.may_take(to_user, step):
        raise InvalidInput(
            _("%(user)s không có quyền xử lý bước này tại %(agency)s.") % {"user": to_user, "agency": step.agency.name}
        )
    previous = step.assignee
    step.assignee = to_user
    step.save(update_fields=["assignee"])
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.REASSIGN,
        from_status=frm,
        request=request,
        step=step,
        to_user=to_user,
        reason=reason,
        data={"from_user": str(previous) if previous else ""},
    )
    return dossier


@transaction.atomic
def dossier_attach_draft(
    *, dossier, actor, draft: Upload, note: str = "", expected_version=None, request=None
) -> Dossier:
    """The holder of the current step attaches the draft result (PDF); the leader's last approval signs it."""
    dossier, frm, to = _begin(dossier, Action.ATTACH_DRAFT, expected_version, actor=actor)
    step = _active_step(dossier)
    if draft is None:
        raise InvalidInput(_("Hãy chọn tệp dự thảo kết quả (PDF)."))
    good = files.check_upload(name=draft.name, content=draft.content)
    if good.content_type != "application/pdf":
        raise InvalidInput(_("Dự thảo kết quả phải là tệp PDF để có thể ký số."))
    files.check_count(dossier.attachments.count(), 1)
    attachment = _store(dossier, good, kind=AttachmentKind.DRAFT, actor=actor)
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.ATTACH_DRAFT,
        from_status=frm,
        request=request,
        step=step,
        reason=note.strip(),
        data={"attachment": attachment.pk, "name": good.name, "sha256": good.sha256},
    )
    return dossier


def signing_agency(dossier: Dossier) -> Agency:
    """Whose key signs the electronic result: the lead agency (a division signs with its parent agency's key)."""
    agency = dossier.agency
    while agency.kind in (AgencyKind.DIVISION, AgencyKind.DESK) and agency.parent_id is not None:
        agency = agency.parent
    return agency


def _sign_result(dossier: Dossier, *, actor, now: datetime) -> Attachment | None:
    """At the last approval: sign the newest draft as the dossier's electronic result (docs/results.md).

    Without a draft a paper result is issued (approval goes on), unless the applicant chose to receive the result
    online, which needs an electronic one. A missing agency key refuses the approval (nothing is signed unsigned).
    """
    from motcua.documents.results import issue_result

    draft = dossier.attachments.filter(kind=AttachmentKind.DRAFT).order_by("-uploaded_at", "-id").first()
    if draft is None:
        if dossier.delivery == Delivery.ONLINE:
            raise Conflict(
                _(
                    "Người nộp nhận kết quả trực tuyến nên kết quả phải được ký số: chuyên viên cần "
                    "đính kèm dự thảo kết quả (PDF) trước khi lãnh đạo phê duyệt."
                )
            )
        return None
    agency = signing_agency(dossier)
    pdf = issue_result(
        files.read_verified(draft),
        code=dossier.code,
        procedure=dossier.procedure_version.name,
        agency_name=agency.name,
        agency_code=agency.code,
        approved_at=timezone.localtime(now).strftime("%H:%M, %d/%m/%Y"),
    )
    good = files.check_upload(name=f"{dossier.code}-ket-qua-ky-so.pdf", content=pdf)
    return _store(dossier, good, kind=AttachmentKind.RESULT, actor=actor, signed_by=agency, signed_at=now)


@transaction.atomic
def dossier_approve(*, dossier, actor, note: str = "", expected_version=None, request=None) -> Dossier:
    """The leader approves (signs off) the current approval step; the last approval signs the electronic result."""
    dossier, frm, to = _begin(dossier, Action.APPROVE, expected_version, actor=actor)
    step = _active_step(dossier)
    now = clock.now()
    pending = (
        dossier.steps.filter(kind=StepKind.APPROVE, approved_at__isnull=True)
        .exclude(state=StepState.SKIPPED)
        .exclude(pk=step.pk)
    )
    result = None if pending.exists() else _sign_result(dossier, actor=actor, now=now)
    step.approved_at, step.approved_by = now, actor
    step.save(update_fields=["approved_at", "approved_by"])
    dossier.status = to
    data = {}
    if result is not None:
        data = {"signed_result": result.pk, "sha256": result.sha256, "signed_by": result.signed_by.code}
    _record(
        dossier, actor=actor, action=Action.APPROVE, from_status=frm, request=request, step=step, reason=note, data=data
    )
    return dossier
