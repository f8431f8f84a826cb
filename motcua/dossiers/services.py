"""Every change to a dossier: one function per business operation, each in one transaction.

Each operation locks the dossier row, checks the actor's permission and the transition table (`workflow`),
writes the new state, appends a `DossierEvent`, records the audit entry, computes deadlines (`timing`) and queues
notifications (`notify`), all or nothing (DESIGN "one door"; STYLE habits 1, 3, 5, 6).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock, hooks
from motcua.accounts.models import User
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency, AgencyKind
from motcua.audit.services import audit_record
from motcua.catalogue.models import ProcedureVersion, StepKind, VersionStatus
from motcua.dossiers import files, notify, numbering, policy, queries, timing
from motcua.dossiers.applicants import ApplicantData
from motcua.dossiers.models import (
    Apology,
    Attachment,
    AttachmentKind,
    Channel,
    Delivery,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFee,
    DossierStep,
    Pause,
    PauseKind,
    StepState,
    SupplementRequest,
)
from motcua.dossiers.rules import BY_CODE, rule_set_on
from motcua.dossiers.workflow import RESUME, SAME, Action, Status, target
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.text import fold


@dataclass
class ReceivedComponent:
    """A component ticked at the desk: the catalogue component's id (or a free name) and the counts received."""

    component_id: int | None = None
    name: str = ""
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0


@dataclass
class Upload:
    name: str
    content: bytes
    component_id: int | None = None  # catalogue component this scan belongs to


@dataclass
class Intake:
    procedure: ProcedureVersion
    applicant: ApplicantData
    components: list[ReceivedComponent]
    delivery: str = Delivery.DESK
    delivery_address: str = ""
    postal_fee: int = 0  # đồng, paid by the applicant to the post (QĐ 45/2016/QĐ-TTg)
    sets: int = 1
    note: str = ""
    agency: Agency | None = None  # the processing agency, when the procedure has several
    uploads: list[Upload] = field(default_factory=list)
    fees_paid: bool = True


# ---------------------------------------------------------------------------------------------------------------
# Helpers shared by the operations


def _require(actor, perm: str, agency: Agency, message: str) -> None:
    if not user_can(actor, perm, agency):
        raise PermissionDenied(message)


def _lock(dossier: Dossier | str, expected_version: int | None) -> Dossier:
    code = dossier if isinstance(dossier, str) else dossier.code
    locked = (
        Dossier.objects.select_for_update()
        .select_related("procedure_version", "desk", "agency")
        .filter(code=code)
        .first()
    )
    if locked is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _("Hồ sơ %(code)s vừa được người khác thay đổi. Hãy tải lại trang để xem trạng thái mới.") % {"code": code},
            detail={"version": locked.version},
        )
    return locked


def _check_transition(dossier: Dossier, action: str) -> str:
    to = target(dossier.status, action)
    if to is None:
        raise Conflict(
            _('Không thể thực hiện "%(action)s" khi hồ sơ đang ở trạng thái "%(status)s".')
            % {"action": Action(action).label, "status": Status(dossier.status).label},
            detail={"status": dossier.status, "action": action},
        )
    if to == SAME:
        return dossier.status
    if to == RESUME:
        return dossier.resume_status
    return to


def _begin(dossier: Dossier | str, action: str, expected_version: int | None, *, actor) -> tuple[Dossier, str, str]:
    """Lock the dossier, check the caller saw its latest version and that the policy lets `actor` do `action` now
    (the state first, by the transition table, then who: `policy.decide`).

    Returns the locked dossier, its state before the action and the state the action leads to.
    """
    timing.reset()
    locked = _lock(dossier, expected_version)
    policy.decide(actor, locked, action).raise_if_refused()
    return locked, locked.status, _check_transition(locked, action)


def _record(
    dossier: Dossier,
    *,
    actor,
    action: str,
    from_status: str,
    step=None,
    from_agency=None,
    to_agency=None,
    to_user=None,
    reason: str = "",
    data: dict | None = None,
    request=None,
) -> DossierEvent:
    """Save the dossier (bumping its version) and append the event and the audit entry."""
    dossier.version += 1
    dossier.save()
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=clock.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        step=step,
        from_agency=from_agency,
        to_agency=to_agency,
        to_user=to_user,
        reason=reason,
        data=data or {},
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        summary=dossier.code,
        detail={"from": from_status, "to": dossier.status},
        request=request,
    )
    hooks.announce(hooks.DOSSIER_CHANGED, dossier=dossier, event=event, from_status=from_status,
                   to_status=dossier.status, action=action)
    return event


def _active_step(dossier: Dossier) -> DossierStep | None:
    """The step the dossier points at while it is active (the same row the policy decided on)."""
    return policy.active_step(dossier)


step_permission = policy.step_permission  # kept importable from here for callers written before the policy


def _finish_step(step: DossierStep, now: datetime) -> None:
    step.state = StepState.DONE
    step.finished_at = now
    step.outcome = timing.classify(now, step.due_at) if step.due_at else ""
    step.save()


def _start_step(step: DossierStep, start: datetime, *, assignee=None, save: bool = True) -> None:
    step.state = StepState.ACTIVE
    step.started_at = start
    step.due_at = timing.add_hours(start, step.hours, agency=step.agency)
    step.finished_at = None
    step.outcome = ""
    if assignee is not None:
        step.assignee = assignee
    if save:
        step.save()


def _point_at(dossier: Dossier, step: DossierStep | None) -> None:
    dossier.current_step = step
    dossier.current_agency = step.agency if step else None


def _store(dossier: Dossier, good: files.CheckedFile, *, kind: str, actor, component=None, **extra) -> Attachment:
    attachment = Attachment(
        dossier=dossier,
        kind=kind,
        component=component,
        original_name=good.name,
        content_type=good.content_type,
        size=good.size,
        sha256=good.sha256,
        uploaded_at=clock.now(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **extra,
    )
    attachment.file.save(good.name, files.as_content_file(good), save=False)
    attachment.save()
    return attachment


def _save_uploads(dossier: Dossier, uploads: list[Upload], *, kind: str, actor, components=None) -> list[Attachment]:
    if not uploads:
        return []
    checked = [files.check_upload(name=u.name, content=u.content) for u in uploads]
    files.check_count(dossier.attachments.count(), len(checked))
    by_catalogue = {c.component_id: c for c in (components or []) if c.component_id}
    return [_store(dossier, good, kind=kind, actor=actor, component=by_catalogue.get(upload.component_id))
            for upload, good in zip(uploads, checked, strict=True)]


# ---------------------------------------------------------------------------------------------------------------
# Intake


def _processing_agency(procedure: ProcedureVersion, desk: Agency, chosen: Agency | None) -> Agency:
    implementing = list(procedure.agencies.all())
    if chosen is not None:
        if chosen not in implementing:
            raise InvalidInput(_("%(agency)s không giải quyết thủ tục này.") % {"agency": chosen.name})
        return chosen
    # The implementing agency the desk belongs to (a district's or commune's own desk) ...
    for agency in sorted(implementing, key=lambda a: -a.depth):
        if agency.contains(desk):
            return agency
    # ... else the only one (the provincial centre receives for departments).
    departments = [a for a in implementing if a.kind not in (AgencyKind.DISTRICT, AgencyKind.COMMUNE)]
    if len(departments) == 1:
        return departments[0]
    if len(implementing) == 1:
        return implementing[0]
    raise InvalidInput(_("Thủ tục này do nhiều cơ quan giải quyết; hãy chọn cơ quan giải quyết hồ sơ."))


def _check_components(procedure: ProcedureVersion, received: list[ReceivedComponent]) -> list[ReceivedComponent]:
    by_id = {c.id: c for c in procedure.components.all()}
    ticked = {}
    for item in received:
        if item.component_id is not None:
            if item.component_id not in by_id:
                raise InvalidInput(_("Thành phần hồ sơ không thuộc thủ tục này."))
            if item.originals + item.certified_copies + item.photocopies > 0:
                ticked[item.component_id] = item
    missing = [c.name for c in by_id.values() if c.required and c.id not in ticked]
    if missing:
        raise InvalidInput(
            _("Thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
            detail={"missing": missing},
        )
    cleaned = []
    for item in received:
        if item.component_id is None and not item.name.strip():
            continue
        if item.component_id is not None and item.component_id not in ticked:
            continue
        name = by_id[item.component_id].name if item.component_id else item.name.strip()[:500]
        cleaned.append(
            ReceivedComponent(
                item.component_id, name, max(0, item.originals), max(0, item.certified_copies), max(0, item.photocopies)
            )
        )
    return cleaned


def _instantiate_steps(dossier: Dossier, *, save: bool = True) -> list[DossierStep]:
    """The dossier's own copy of the procedure's process template (unsaved with `save=False`, for bulk insert)."""
    version = dossier.procedure_version
    if "steps" in getattr(version, "_prefetched_objects_cache", {}):  # loaded with the version (API, forms)
        templates = sorted(version.steps.all(), key=lambda t: (t.order, t.id))
    else:
        templates = version.steps.select_related("agency").order_by("order", "id")
    steps = []
    for template in templates:
        if template.agency_id is not None:
            agency = template.agency
        elif template.kind in (StepKind.RECEIVE, StepKind.RETURN):
            agency = dossier.desk
        else:
            agency = dossier.agency
        steps.append(
            DossierStep(
                dossier=dossier,
                order=template.order,
                name=template.name,
                kind=template.kind,
                agency=agency,
                role=template.role,
                hours=template.hours,
            )
        )
    if save:
        steps = DossierStep.objects.bulk_create(steps)
    return steps


def _plan(steps: list[DossierStep], start: datetime, *, save: bool) -> None:
    """Planned due time of every step, back to back from `start` (shown on the control sheet and in the API)."""
    moment = start
    for step in steps:
        moment = timing.add_hours(moment, step.hours, agency=step.agency) if step.hours else moment
        step.planned_due_at = moment
        if save:
            step.save(update_fields=["planned_due_at"])


def _start_clock(dossier: Dossier, received_at: datetime, steps: list[DossierStep], *, save: bool = True) -> None:
    """Set the receipt time, the due times and hand the dossier to the processing agency (LEGAL processing rules).

    With `save=False` the steps are only filled in, for the caller to insert them in one statement.
    """
    version = dossier.procedure_version
    rules = BY_CODE[dossier.rule_set]
    dossier.received_at = received_at
    dossier.clock_started_at = timing.next_opening(received_at, agency=dossier.desk)
    dossier.legal_due_at = timing.limit_due(received_at, version.legal_limit, version.limit_unit, agency=dossier.agency)
    dossier.due_at = timing.limit_due(received_at, version.committed_limit, version.limit_unit, agency=dossier.agency)
    if steps:
        first, rest = steps[0], steps[1:]
        if first.kind == StepKind.RECEIVE and rest:
            first.state, first.started_at, first.finished_at = StepState.DONE, received_at, received_at
            first.due_at = timing.add_hours(dossier.clock_started_at, first.hours, agency=first.agency)
            first.outcome = timing.classify(received_at, first.due_at)
            first.assignee = dossier.received_by
            if save:
                first.save()
            handover = timing.handover_start(received_at, cutoff_hour=rules.cutoff_hour, agency=dossier.desk)
            _plan(rest, handover, save=save)
            _start_step(rest[0], handover, save=save)
            _point_at(dossier, rest[0])
        else:
            _plan(steps, dossier.clock_started_at, save=save)
            _start_step(first, dossier.clock_started_at, save=save)
            _point_at(dossier, first)


def _provisional_code() -> str:
    """A placeholder for the code until `_number` takes it; never committed (both happen in one transaction)."""
    return f"~{uuid.uuid4().hex}"


def _number(dossier: Dossier, *, logbook: bool) -> None:
    """Take the dossier's code (and its logbook entry) as the last writes before the intake's final ones.

    The counter rows stay locked until the intake commits, so intakes at one desk queue there (that is what
    makes the numbers gapless); taking them last keeps that queue as short as the transaction's tail.
    """
    local_now = timezone.localtime(clock.now())
    dossier.code = numbering.next_code(dossier.desk, local_now.date())
    if logbook:
        dossier.logbook_number = numbering.next_logbook_number(dossier.desk, local_now.year)


def _create(*, actor, desk: Agency, intake: Intake, channel: str, status: str, citizen=None) -> Dossier:
    timing.reset()
    procedure = intake.procedure
    if procedure.status != VersionStatus.PUBLISHED:
        raise InvalidInput(_("Thủ tục này không còn được công bố; không thể tiếp nhận hồ sơ."))
    if desk.kind != AgencyKind.DESK:
        raise InvalidInput(_("%(agency)s không phải là bộ phận tiếp nhận hồ sơ.") % {"agency": desk.name})
    applicant = intake.applicant.cleaned()
    components = _check_components(procedure, intake.components)
    agency = _processing_agency(procedure, desk, intake.agency)
    if intake.delivery not in Delivery.values:
        raise InvalidInput(_("Hình thức nhận kết quả không hợp lệ."))
    if intake.delivery == Delivery.POST and not intake.delivery_address.strip():
        raise InvalidInput(_("Hãy ghi địa chỉ nhận kết quả qua bưu chính."))
    if intake.postal_fee < 0:
        raise InvalidInput(_("Cước bưu chính không được âm."))
    if intake.sets < 1 or intake.sets > 99:
        raise InvalidInput(_("Số bộ hồ sơ phải từ 1 đến 99."))
    now = clock.now()
    local_day = timezone.localtime(now).date()
    dossier = Dossier(
        code=_provisional_code(),
        procedure_version=procedure,
        rule_set=rule_set_on(local_day).code,
        status=status,
        channel=channel,
        desk=desk,
        agency=agency,
        received_by=actor if status == Status.RECEIVED else None,
        citizen=citizen,
        applicant_type=applicant.type,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_key=fold(applicant.name)[:255],
        sets=intake.sets,
        delivery=intake.delivery,
        delivery_address=intake.delivery_address.strip()[:500],
        postal_fee=intake.postal_fee if intake.delivery == Delivery.POST else 0,
        note=intake.note.strip(),
        submitted_at=now if channel == Channel.ONLINE else None,
    )
    dossier.save()
    rows = [
        DossierComponent(
            dossier=dossier,
            component_id=c.component_id,
            name=c.name,
            originals=c.originals,
            certified_copies=c.certified_copies,
            photocopies=c.photocopies,
        )
        for c in components
    ]
    rows = DossierComponent.objects.bulk_create(rows)
    DossierFee.objects.bulk_create(
        DossierFee(
            dossier=dossier,
            name=fee.name,
            amount=fee.amount,
            paid_at=now if (intake.fees_paid and channel == Channel.DESK and fee.collected == "intake") else None,
        )
        for fee in procedure.fees.all()
    )
    _save_uploads(dossier, intake.uploads, kind=AttachmentKind.SCAN, actor=actor, components=rows)
    return dossier


@transaction.atomic
def dossier_receive(*, actor, desk: Agency, intake: Intake, request=None) -> Dossier:
    """Intake at the desk: number the dossier, start the clock, print the receipt (Mẫu 01)."""
    _require(
        actor, Perm.DOSSIER_RECEIVE, desk, _("Bạn không có quyền tiếp nhận hồ sơ tại %(desk)s.") % {"desk": desk.name}
    )
    dossier = _create(actor=actor, desk=desk, intake=intake, channel=Channel.DESK, status=Status.RECEIVED)
    steps = _instantiate_steps(dossier, save=False)
    _start_clock(dossier, clock.now(), steps, save=False)
    DossierStep.objects.bulk_create(steps)
    _number(dossier, logbook=True)
    _record(
        dossier,
        actor=actor,
        action=Action.RECEIVE,
        from_status="",
        to_agency=dossier.agency,
        request=request,
        data={"due_at": dossier.due_at.isoformat(), "legal_due_at": dossier.legal_due_at.isoformat()},
    )
    notify.dossier_changed(dossier, Action.RECEIVE)
    return dossier


@transaction.atomic
def dossier_submit(*, desk: Agency, intake: Intake, citizen=None, reused: list[dict] | None = None,
                   request=None) -> Dossier:
    """An online filing: numbered at once, status `submitted` (1); the clock starts when the desk accepts it.

    `reused` lists the stored documents that served components instead of new uploads (QĐ 766/QĐ-TTg's "reuse
    of digitised data"); it is kept in the filing's event.
    """
    dossier = _create(
        actor=citizen, desk=desk, intake=intake, channel=Channel.ONLINE, status=Status.SUBMITTED, citizen=citizen
    )
    _instantiate_steps(dossier)
    _number(dossier, logbook=False)
    data = {"online": True}
    if reused:
        data["reused"] = reused
    _record(dossier, actor=citizen, action=Action.RECEIVE, from_status="", request=request, data=data)
    return dossier


# ---------------------------------------------------------------------------------------------------------------
# Online submissions


@transaction.atomic
def dossier_accept(*, dossier, actor, expected_version=None, request=None) -> Dossier:
    """The desk accepts an online filing; the clock starts now, or at the next opening outside office hours."""
    dossier, frm, to = _begin(dossier, Action.ACCEPT, expected_version, actor=actor)
    dossier.status = to
    dossier.received_by = actor
    dossier.logbook_number = numbering.next_logbook_number(dossier.desk, timezone.localtime(clock.now()).year)
    now = clock.now()
    start = timing.next_opening(now, agency=dossier.desk)
    _start_clock(dossier, start, list(dossier.steps.order_by("order", "id")))
    _record(
        dossier,
        actor=actor,
        action=Action.ACCEPT,
        from_status=frm,
        to_agency=dossier.agency,
        request=request,
        data={"due_at": dossier.due_at.isoformat()},
    )
    notify.dossier_changed(dossier, Action.RECEIVE)
    return dossier


@transaction.atomic
def dossier_refuse(*, dossier, actor, reason: str, expected_version=None, request=None) -> Dossier:
    """Refuse the dossier with the precise reason (Mẫu 03)."""
    dossier, frm, to = _begin(dossier, Action.REFUSE, expected_version, actor=actor)
    if not reason.strip():
        raise InvalidInput(_("Hãy ghi rõ lý do từ chối."))
    now = clock.now()
    dossier.status = to
    dossier.closing_reason = reason.strip()
    dossier.closed_at = now
    step = dossier.current_step
    if step is not None:
        step.state, step.finished_at = StepState.SKIPPED, now
        step.save()
    _point_at(dossier, None)
    _record(
        dossier,
        actor=actor,
        action=Action.REFUSE,
        from_status=frm,
        request=request,
        step=step,
        reason=reason.strip(),
    )
    notify.dossier_changed(dossier, Action.REFUSE)
    return dossier


# ---------------------------------------------------------------------------------------------------------------
# Processing: claim, forward, send back, reassign, approve


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


def _next_step(dossier: Dossier, step: DossierStep) -> DossierStep | None:
    return dossier.steps.filter(order__gt=step.order).exclude(state=StepState.SKIPPED).order_by("order", "id").first()


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
def dossier_attach_draft(*, dossier, actor, draft: Upload, note: str = "", expected_version=None,
                         request=None) -> Dossier:
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
    _record(dossier, actor=actor, action=Action.ATTACH_DRAFT, from_status=frm, request=request, step=step,
            reason=note.strip(), data={"attachment": attachment.pk, "name": good.name, "sha256": good.sha256})
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
            raise Conflict(_("Người nộp nhận kết quả trực tuyến nên kết quả phải được ký số: chuyên viên cần "
                             "đính kèm dự thảo kết quả (PDF) trước khi lãnh đạo phê duyệt."))
        return None
    agency = signing_agency(dossier)
    pdf = issue_result(
        files.read_verified(draft), code=dossier.code, procedure=dossier.procedure_version.name,
        agency_name=agency.name, agency_code=agency.code,
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
    pending = (dossier.steps.filter(kind=StepKind.APPROVE, approved_at__isnull=True)
               .exclude(state=StepState.SKIPPED).exclude(pk=step.pk))
    result = None if pending.exists() else _sign_result(dossier, actor=actor, now=now)
    step.approved_at, step.approved_by = now, actor
    step.save(update_fields=["approved_at", "approved_by"])
    dossier.status = to
    data = {}
    if result is not None:
        data = {"signed_result": result.pk, "sha256": result.sha256, "signed_by": result.signed_by.code}
    _record(dossier, actor=actor, action=Action.APPROVE, from_status=frm, request=request, step=step, reason=note,
            data=data)
    return dossier


# ---------------------------------------------------------------------------------------------------------------
# Pauses: supplement and financial obligations


def _pause(dossier: Dossier, kind: str, reason: str, now: datetime) -> Pause:
    dossier.resume_status = dossier.status
    dossier.paused_at = now
    return Pause.objects.create(dossier=dossier, kind=kind, started_at=now, reason=reason)


def _resume(dossier: Dossier, kind: str, now: datetime) -> Pause:
    pause = dossier.pauses.filter(kind=kind, ended_at__isnull=True).order_by("-started_at").first()
    if pause is None:
        raise Conflict(_("Hồ sơ không ở trạng thái tạm dừng."))
    pause.ended_at = now
    pause.save()
    if dossier.received_at is not None:
        rules = BY_CODE[dossier.rule_set]
        version = dossier.procedure_version
        if kind == PauseKind.SUPPLEMENT and rules.supplement_restarts_clock:
            dossier.due_at = timing.limit_due(now, version.committed_limit, version.limit_unit, agency=dossier.agency)
            dossier.legal_due_at = timing.limit_due(now, version.legal_limit, version.limit_unit, agency=dossier.agency)
        else:
            for name in ("due_at", "legal_due_at", "extended_due_at"):
                setattr(
                    dossier,
                    name,
                    timing.shift_for_pause(getattr(dossier, name), pause.started_at, now, agency=dossier.agency),
                )
        step = _active_step(dossier)
        if step is not None and step.due_at is not None:
            step.due_at = timing.shift_for_pause(step.due_at, pause.started_at, now, agency=step.agency)
            step.save(update_fields=["due_at"])
    dossier.paused_at = None
    dossier.resume_status = ""
    return pause


@transaction.atomic
def dossier_request_supplement(
    *, dossier, actor, items: list[dict], reason: str, contact: str = "", expected_version=None, request=None
) -> Dossier:
    """Ask the applicant to add or fix documents (Mẫu 02). Only once per dossier (LEGAL "Supplement once")."""
    dossier, frm, to = _begin(dossier, Action.REQUEST_SUPPLEMENT, expected_version, actor=actor)
    cleaned = [
        {"name": str(i.get("name", "")).strip()[:500], "reason": str(i.get("reason", "")).strip()[:500]}
        for i in items
        if str(i.get("name", "")).strip()
    ]
    if not cleaned:
        raise InvalidInput(_("Hãy liệt kê ít nhất một giấy tờ cần bổ sung, hoàn thiện."))
    if not reason.strip():
        raise InvalidInput(_("Hãy ghi lý do yêu cầu bổ sung."))
    now = clock.now()
    agency = dossier.current_agency or dossier.desk
    SupplementRequest.objects.create(
        dossier=dossier,
        requested_at=now,
        requested_by=actor,
        agency=agency,
        items=cleaned,
        reason=reason.strip(),
        contact=contact.strip()[:255],
    )
    _pause(dossier, PauseKind.SUPPLEMENT, reason.strip(), now)
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.REQUEST_SUPPLEMENT,
        from_status=frm,
        request=request,
        step=dossier.current_step,
        reason=reason.strip(),
        data={"items": cleaned},
    )
    notify.dossier_changed(dossier, Action.REQUEST_SUPPLEMENT)
    return dossier


@transaction.atomic
def dossier_supplement_received(
    *, dossier, actor, note: str = "", uploads: list[Upload] = (), expected_version=None, request=None
) -> Dossier:
    """The applicant's supplement is complete: the clock runs again (remaining time, or per the rule set)."""
    dossier, frm, to = _begin(dossier, Action.SUPPLEMENT_RECEIVED, expected_version, actor=actor)
    return _supplement_in(dossier, frm, to, actor=actor, note=note, uploads=uploads, request=request)


@transaction.atomic
def dossier_supplement_submit_online(
    *, dossier, citizen, note: str = "", uploads: list[Upload] = (), expected_version=None, request=None
) -> Dossier:
    """The citizen who filed online answers the supplement request with files; the clock runs again at once.

    LEGAL "Supplement once": the clock stops only *while the applicant supplements*. Once the answer is handed in,
    checking it is the agency's own time, so the remaining time resumes now rather than when an officer confirms;
    an answer that is still incomplete may then be refused (no second request is allowed).
    Anyone but the dossier's citizen gets NotFound, as for a dossier that does not exist.
    """
    owned = _lock(dossier, expected_version)
    if citizen is None or getattr(citizen, "pk", None) is None or citizen.pk != owned.citizen_id:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": owned.code})
    dossier, frm, to = _begin(owned, Action.SUPPLEMENT_RECEIVED, expected_version, actor=citizen)
    if not uploads:
        raise InvalidInput(_("Hãy đính kèm ít nhất một tệp giấy tờ bổ sung."),
                           detail=[{"field": "files", "message": _("Hãy đính kèm ít nhất một tệp giấy tờ bổ sung.")}])
    return _supplement_in(dossier, frm, to, actor=citizen, note=note, uploads=uploads, request=request, online=True)


def _supplement_in(dossier, frm, to, *, actor, note, uploads, request, online: bool = False) -> Dossier:
    now = clock.now()
    _save_uploads(dossier, list(uploads), kind=AttachmentKind.SUPPLEMENT, actor=actor)
    supplement = dossier.supplement_request
    supplement.answered_at = now
    supplement.save()
    pause = _resume(dossier, PauseKind.SUPPLEMENT, now)
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.SUPPLEMENT_RECEIVED,
        from_status=frm,
        request=request,
        step=dossier.current_step,
        reason=note,
        data={
            "paused_from": pause.started_at.isoformat(),
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            **({"online": True, "files": len(uploads)} if online else {}),
        },
    )
    return dossier


@transaction.atomic
def dossier_request_payment(
    *, dossier, actor, items: list[dict], reason: str = "", expected_version=None, request=None
) -> Dossier:
    """Ask the applicant to pay fees or taxes; the clock stops until paid (national status 6)."""
    dossier, frm, to = _begin(dossier, Action.REQUEST_PAYMENT, expected_version, actor=actor)
    now = clock.now()
    added = []
    for item in items:
        name = str(item.get("name", "")).strip()[:255]
        try:
            amount = int(item.get("amount", 0))
        except (TypeError, ValueError):
            raise InvalidInput(_("Số tiền phải là số nguyên (đồng)."))
        if not name or amount <= 0:
            raise InvalidInput(_("Mỗi khoản phải có tên và số tiền lớn hơn 0."))
        added.append(DossierFee.objects.create(dossier=dossier, name=name, amount=amount))
    if not added and not dossier.fees.filter(paid_at__isnull=True).exists():
        raise InvalidInput(_("Hãy ghi khoản phí, lệ phí hoặc nghĩa vụ tài chính cần nộp."))
    _pause(dossier, PauseKind.PAYMENT, reason.strip(), now)
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.REQUEST_PAYMENT,
        from_status=frm,
        request=request,
        step=dossier.current_step,
        reason=reason.strip(),
        data={"items": [{"name": f.name, "amount": f.amount} for f in added]},
    )
    notify.dossier_changed(dossier, Action.REQUEST_PAYMENT)
    return dossier


@transaction.atomic
def dossier_payment_received(
    *, dossier, actor, receipt_number: str = "", expected_version=None, request=None
) -> Dossier:
    """Every unpaid fee is paid: the clock runs again."""
    dossier, frm, to = _begin(dossier, Action.PAYMENT_RECEIVED, expected_version, actor=actor)
    now = clock.now()
    paid = []
    for fee in dossier.fees.filter(paid_at__isnull=True):
        fee.paid_at, fee.receipt_number = now, receipt_number.strip()[:64]
        fee.save()
        paid.append(fee.amount)
    _resume(dossier, PauseKind.PAYMENT, now)
    dossier.status = to
    _record(
        dossier,
        actor=actor,
        action=Action.PAYMENT_RECEIVED,
        from_status=frm,
        request=request,
        step=dossier.current_step,
        data={"amount": sum(paid), "receipt": receipt_number.strip()},
    )
    return dossier


@transaction.atomic
def dossier_fees_paid(
    *, dossier, fee_ids: list[int], reference: str, actor=None, expected_version=None, request=None
) -> Dossier:
    """Record fees paid (online through a gateway, or at the desk) whatever the dossier's state allows.

    `actor=None` is the payment gateway's verified callback (motcua.payments); staff record desk payments.
    A dossier waiting for payment must be paid in full, and then its clock runs again.
    """
    dossier, frm, to = _begin(dossier, Action.RECORD_PAYMENT, expected_version, actor=actor)
    fees = list(dossier.fees.filter(id__in=fee_ids, paid_at__isnull=True))
    if not fees:
        raise Conflict(_("Các khoản phí này đã được thanh toán hoặc không thuộc hồ sơ."))
    now = clock.now()
    if frm == Status.AWAITING_PAYMENT:
        unpaid = set(dossier.fees.filter(paid_at__isnull=True).values_list("id", flat=True))
        if not unpaid <= {f.id for f in fees}:
            raise Conflict(_("Hồ sơ đang chờ thực hiện nghĩa vụ tài chính: cần thanh toán đủ các khoản."))
        _resume(dossier, PauseKind.PAYMENT, now)
    for fee in fees:
        fee.paid_at, fee.receipt_number = now, reference.strip()[:64]
        fee.save()
    dossier.status = to
    _record(dossier, actor=actor, action=Action.RECORD_PAYMENT, from_status=frm, request=request,
            data={"amount": sum(f.amount for f in fees), "reference": reference.strip()})
    return dossier


# ---------------------------------------------------------------------------------------------------------------
# Apology, completion, return, withdrawal, stop


@transaction.atomic
def dossier_apologise(
    *, dossier, actor, new_due_at: datetime, reason: str, expected_version=None, request=None
) -> Dossier:
    """The agency that will be late apologises and sets a new date (Mẫu 04), once per dossier.

    The dossier still counts as late against its original due time (`due_at` is kept; the new date is
    `extended_due_at`).
    """
    dossier, frm, to = _begin(dossier, Action.APOLOGISE, expected_version, actor=actor)
    if not reason.strip():
        raise InvalidInput(_("Hãy ghi lý do chậm trễ."))
    if timezone.is_naive(new_due_at):
        new_due_at = timezone.make_aware(new_due_at)
    if dossier.due_at is None or new_due_at <= dossier.due_at:
        raise InvalidInput(_("Ngày hẹn mới phải sau ngày hẹn trả kết quả hiện tại."))
    now = clock.now()
    agency = dossier.current_agency or dossier.agency
    Apology.objects.create(
        dossier=dossier,
        at=now,
        by=actor,
        agency=agency,
        reason=reason.strip(),
        original_due_at=dossier.due_at,
        new_due_at=new_due_at,
    )
    dossier.extended_due_at = new_due_at
    dossier.status = to
    late_notice = timing.add_hours(now, 8, agency=agency) > dossier.due_at
    _record(
        dossier,
        actor=actor,
        action=Action.APOLOGISE,
        from_status=frm,
        request=request,
        step=dossier.current_step,
        reason=reason.strip(),
        data={"new_due_at": new_due_at.isoformat(), "less_than_one_working_day_before_due": late_notice},
    )
    notify.dossier_changed(dossier, Action.APOLOGISE)
    return dossier


@transaction.atomic
def dossier_complete(
    *, dossier, actor, result: Upload | None = None, note: str = "", expected_version=None, request=None
) -> Dossier:
    """The result is ready: attach it, finish the last processing step, and send the dossier to the desk."""
    dossier, frm, to = _begin(dossier, Action.COMPLETE, expected_version, actor=actor)
    step = _active_step(dossier)
    nxt = _next_step(dossier, step)
    signed = queries.signed_result(dossier)
    if signed is not None and result is not None:
        raise InvalidInput(_("Kết quả điện tử đã được ký số khi lãnh đạo phê duyệt; không đính kèm tệp kết quả khác."))
    now = clock.now()
    if result is not None:
        signed = _save_uploads(dossier, [result], kind=AttachmentKind.RESULT, actor=actor)[0]
    _finish_step(step, now)
    if nxt is not None:
        _start_step(nxt, now)
    _point_at(dossier, nxt)
    dossier.status = to
    dossier.completed_at = now
    dossier.outcome = timing.classify(now, dossier.due_at)
    _record(
        dossier,
        actor=actor,
        action=Action.COMPLETE,
        from_status=frm,
        request=request,
        step=step,
        from_agency=step.agency,
        to_agency=nxt.agency if nxt else None,
        reason=note,
        data={"outcome": dossier.outcome, **({"result": signed.pk, "sha256": signed.sha256} if signed else {})},
    )
    notify.dossier_changed(dossier, Action.COMPLETE)
    return dossier


@transaction.atomic
def dossier_return(
    *,
    dossier,
    actor,
    method: str,
    collected_by: str = "",
    expected_version=None,
    request=None,
) -> Dossier:
    """Hand the result to the applicant at the desk (who collected it) or online; by post see `dossier_hand_to_post`."""
    dossier, frm, to = _begin(dossier, Action.RETURN, expected_version, actor=actor)
    if method not in Delivery.values:
        raise InvalidInput(_("Hình thức trả kết quả không hợp lệ."))
    if method == Delivery.POST:
        raise InvalidInput(_('Trả kết quả qua bưu chính gồm hai bước: "Chuyển kết quả cho bưu chính" (ghi số hiệu '
                             'bưu gửi), rồi "Bưu chính đã phát kết quả" (ghi thời điểm phát) khi bưu chính báo đã '
                             'phát.'))
    if method == Delivery.DESK and not collected_by.strip():
        raise InvalidInput(_("Hãy ghi tên người nhận kết quả."))
    now = clock.now()
    step = _active_step(dossier)
    if step is not None:
        step.assignee = step.assignee or actor
        _finish_step(step, now)
    _point_at(dossier, None)
    dossier.status = to
    dossier.returned_at = dossier.closed_at = now
    dossier.delivery = method
    dossier.return_note = collected_by.strip()[:255]
    _record(
        dossier,
        actor=actor,
        action=Action.RETURN,
        from_status=frm,
        request=request,
        step=step,
        data={"method": method, "collected_by": collected_by.strip()},
    )
    notify.dossier_changed(dossier, Action.RETURN)
    return dossier


# ---------------------------------------------------------------------------------------------------------------
# Results by post (QĐ 45/2016/QĐ-TTg): chosen at filing or later, handed to the post, delivered


@transaction.atomic
def dossier_choose_post(
    *, dossier, actor, address: str, postal_fee: int | None = None, expected_version=None, request=None
) -> Dossier:
    """The applicant (online) or the desk records that the result goes by public post: the address and the postal
    fee in đồng, which the applicant pays to the post (QĐ 45/2016/QĐ-TTg); may be changed until the handover.
    `postal_fee=None` keeps the fee already recorded (the applicant changing the address does not reset it)."""
    dossier, frm, to = _begin(dossier, Action.CHOOSE_POST, expected_version, actor=actor)
    address = (address or "").strip()
    if not address:
        raise InvalidInput(_("Hãy ghi địa chỉ nhận kết quả qua bưu chính."))
    try:
        fee = dossier.postal_fee if postal_fee is None else int(postal_fee or 0)
    except (TypeError, ValueError):
        raise InvalidInput(_("Cước bưu chính phải là số nguyên (đồng)."))
    if fee < 0:
        raise InvalidInput(_("Cước bưu chính không được âm."))
    previous = dossier.delivery
    dossier.delivery, dossier.delivery_address, dossier.postal_fee = Delivery.POST, address[:500], fee
    dossier.status = to
    _record(dossier, actor=actor, action=Action.CHOOSE_POST, from_status=frm, request=request,
            step=dossier.current_step, data={"address": address[:500], "postal_fee": fee, "previous": previous})
    notify.dossier_changed(dossier, Action.CHOOSE_POST)
    return dossier


@transaction.atomic
def dossier_hand_to_post(
    *, dossier, actor, postal_tracking: str, note: str = "", expected_version=None, request=None
) -> Dossier:
    """The desk hands the result to the post with its tracking number; the dossier stays completed until delivery."""
    dossier, frm, to = _begin(dossier, Action.HAND_TO_POST, expected_version, actor=actor)
    tracking = (postal_tracking or "").strip()[:64]
    if not tracking:
        raise InvalidInput(_("Hãy ghi số hiệu bưu gửi."))
    now = clock.now()
    step = _active_step(dossier)
    if step is not None and step.assignee_id is None:
        step.assignee = actor
        step.save(update_fields=["assignee"])
    dossier.posted_at, dossier.postal_tracking = now, tracking
    dossier.status = to
    _record(dossier, actor=actor, action=Action.HAND_TO_POST, from_status=frm, request=request, step=step,
            reason=note.strip(), data={"postal_tracking": tracking, "address": dossier.delivery_address,
                                       "postal_fee": dossier.postal_fee})
    notify.dossier_changed(dossier, Action.HAND_TO_POST)
    return dossier


@transaction.atomic
def dossier_delivered(
    *, dossier, actor, delivered_at: datetime | None = None, note: str = "", expected_version=None, request=None
) -> Dossier:
    """The post confirms delivery: the dossier is returned, at the delivery time (its outcome stays as completed)."""
    dossier, frm, to = _begin(dossier, Action.DELIVERED, expected_version, actor=actor)
    now = clock.now()
    moment = delivered_at or now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now or moment < dossier.posted_at:
        raise InvalidInput(_("Thời điểm phát phải sau lúc chuyển cho bưu chính (%(posted)s) và không sau hiện tại.")
                           % {"posted": timezone.localtime(dossier.posted_at).strftime("%H:%M %d/%m/%Y")})
    step = _active_step(dossier)
    if step is not None:
        _finish_step(step, moment)
    _point_at(dossier, None)
    dossier.status = to
    dossier.delivered_at = dossier.returned_at = dossier.closed_at = moment
    _record(dossier, actor=actor, action=Action.DELIVERED, from_status=frm, request=request, step=step,
            reason=note.strip(), data={"delivered_at": moment.isoformat(), "postal_tracking": dossier.postal_tracking})
    notify.dossier_changed(dossier, Action.DELIVERED)
    return dossier


def _close(dossier: Dossier, *, actor, action: str, reason: str, frm: str, to: str, request=None) -> Dossier:
    now = clock.now()
    step = dossier.current_step
    if step is not None:
        step.state, step.finished_at = StepState.SKIPPED, now
        step.save()
    if dossier.paused_at is not None:
        for pause in dossier.pauses.filter(ended_at__isnull=True):
            pause.ended_at = now
            pause.save()
        dossier.paused_at = None
    _point_at(dossier, None)
    dossier.status = to
    dossier.closed_at = now
    dossier.closing_reason = reason
    _record(dossier, actor=actor, action=action, from_status=frm, step=step, reason=reason, request=request)
    return dossier


@transaction.atomic
def dossier_withdraw(*, dossier, actor, reason: str, expected_version=None, request=None) -> Dossier:
    """The applicant withdraws the dossier (recorded by the desk, or by the citizen online)."""
    dossier, frm, to = _begin(dossier, Action.WITHDRAW, expected_version, actor=actor)
    if not reason.strip():
        raise InvalidInput(_("Hãy ghi lý do rút hồ sơ."))
    dossier = _close(
        dossier, actor=actor, action=Action.WITHDRAW, reason=reason.strip(), frm=frm, to=to, request=request
    )
    notify.dossier_changed(dossier, Action.WITHDRAW)
    return dossier


@transaction.atomic
def dossier_stop(*, dossier, actor, reason: str, expected_version=None, request=None) -> Dossier:
    """End processing with a notice (Circular 03/2025 "Thông báo dừng giải quyết hồ sơ"); a leader's decision."""
    dossier, frm, to = _begin(dossier, Action.STOP, expected_version, actor=actor)
    if not reason.strip():
        raise InvalidInput(_("Hãy ghi lý do dừng xử lý."))
    dossier = _close(dossier, actor=actor, action=Action.STOP, reason=reason.strip(), frm=frm, to=to, request=request)
    notify.dossier_changed(dossier, Action.STOP)
    return dossier


# ---------------------------------------------------------------------------------------------------------------
# One entry for interfaces that name the action (API, workspace)

ACTIONS = {
    Action.ACCEPT: dossier_accept,
    Action.REFUSE: dossier_refuse,
    Action.CLAIM: dossier_claim,
    Action.FORWARD: dossier_forward,
    Action.SEND_BACK: dossier_send_back,
    Action.REASSIGN: dossier_reassign,
    Action.APPROVE: dossier_approve,
    Action.REQUEST_SUPPLEMENT: dossier_request_supplement,
    Action.SUPPLEMENT_RECEIVED: dossier_supplement_received,
    Action.REQUEST_PAYMENT: dossier_request_payment,
    Action.PAYMENT_RECEIVED: dossier_payment_received,
    Action.RECORD_PAYMENT: dossier_fees_paid,
    Action.APOLOGISE: dossier_apologise,
    Action.COMPLETE: dossier_complete,
    Action.RETURN: dossier_return,
    Action.ATTACH_DRAFT: dossier_attach_draft,
    Action.CHOOSE_POST: dossier_choose_post,
    Action.HAND_TO_POST: dossier_hand_to_post,
    Action.DELIVERED: dossier_delivered,
    Action.WITHDRAW: dossier_withdraw,
    Action.STOP: dossier_stop,
}


def dossier_act(*, dossier, actor, action: str, request=None, **params) -> Dossier:
    """Run the named action with its parameters (what the API's `actions` endpoint and the workspace call)."""
    operation = ACTIONS.get(action)
    if operation is None:
        raise InvalidInput(
            _("Thao tác không hợp lệ: %(action)s.") % {"action": action}, detail={"allowed": sorted(ACTIONS)}
        )
    return operation(dossier=dossier, actor=actor, request=request, **params)
