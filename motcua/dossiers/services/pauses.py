"""Pauses and supplements: supplement once (Mẫu 02), financial obligations and payments, the apology (Mẫu 04)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.dossiers import timing
from motcua.dossiers.models import (
    Apology,
    AttachmentKind,
    Dossier,
    DossierFee,
    Pause,
    PauseKind,
    SupplementRequest,
)
from motcua.dossiers.rules import BY_CODE
from motcua.dossiers.services._entry import (
    Upload,
    _active_step,
    _begin,
    _lock,
    _record,
    _save_uploads,
)
from motcua.dossiers.workflow import Action, Status
from motcua.errors import Conflict, InvalidInput, NotFound


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
        notice=Action.REQUEST_SUPPLEMENT,
    )
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
        raise InvalidInput(
            _("Hãy đính kèm ít nhất một tệp giấy tờ bổ sung."),
            detail=[{"field": "files", "message": _("Hãy đính kèm ít nhất một tệp giấy tờ bổ sung.")}],
        )
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
        notice=Action.REQUEST_PAYMENT,
    )
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
    _record(
        dossier,
        actor=actor,
        action=Action.RECORD_PAYMENT,
        from_status=frm,
        request=request,
        data={"amount": sum(f.amount for f in fees), "reference": reference.strip()},
    )
    return dossier


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
        notice=Action.APOLOGISE,
    )
    return dossier
