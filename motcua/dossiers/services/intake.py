"""Intake: a dossier received at the desk or filed online, numbered, its clock started; an online filing accepted
or refused (Decree 61/2018/NĐ-CP art. 15–16, Circular 01/2018/TT-VPCP Mẫu 01 and Mẫu 03)."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue.models import ProcedureVersion, StepKind, VersionStatus
from motcua.dossiers import numbering, timing
from motcua.dossiers.applicants import ApplicantData
from motcua.dossiers.models import (
    AttachmentKind,
    Channel,
    Delivery,
    Dossier,
    DossierComponent,
    DossierFee,
    DossierStep,
    StepState,
)
from motcua.dossiers.rules import BY_CODE, rule_set_on
from motcua.dossiers.services._entry import (
    Upload,
    _begin,
    _point_at,
    _record,
    _require,
    _save_uploads,
    _start_step,
)
from motcua.dossiers.workflow import Action, Status
from motcua.errors import InvalidInput
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
            first.clock_started_at = dossier.clock_started_at
            first.due_at = timing.add_hours(dossier.clock_started_at, first.hours, agency=first.agency)
            first.outcome = timing.classify(received_at, first.due_at)
            first.assignee = dossier.received_by
            if save:
                first.save()
            handover = timing.handover_start(received_at, cutoff_hour=rules.cutoff_hour, agency=dossier.desk)
            _plan(rest, handover, save=save)
            _start_step(rest[0], handover, at=received_at, save=save)
            _point_at(dossier, rest[0])
        else:
            _plan(steps, dossier.clock_started_at, save=save)
            _start_step(first, dossier.clock_started_at, at=received_at, save=save)
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
        notice=Action.RECEIVE,
    )
    return dossier


@transaction.atomic
def dossier_submit(
    *, desk: Agency, intake: Intake, citizen=None, reused: list[dict] | None = None, request=None
) -> Dossier:
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


@transaction.atomic
def dossier_accept(*, dossier, actor, expected_version=None, request=None) -> Dossier:
    """The desk accepts an online filing now; the clock starts now, or at the next opening outside office hours.

    `received_at` is the moment of acceptance, `clock_started_at` when the working time starts counting: they
    are kept apart so that nothing shows a dossier "received" hours after its history says it was.
    """
    dossier, frm, to = _begin(dossier, Action.ACCEPT, expected_version, actor=actor)
    dossier.status = to
    dossier.received_by = actor
    dossier.logbook_number = numbering.next_logbook_number(dossier.desk, timezone.localtime(clock.now()).year)
    _start_clock(dossier, clock.now(), list(dossier.steps.order_by("order", "id")))
    _record(
        dossier,
        actor=actor,
        action=Action.ACCEPT,
        from_status=frm,
        to_agency=dossier.agency,
        request=request,
        data={"due_at": dossier.due_at.isoformat()},
        notice=Action.RECEIVE,
    )
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
        notice=Action.REFUSE,
    )
    return dossier
