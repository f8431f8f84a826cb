"""Closing and return: completion, the result handed over at the desk, online or by post, withdrawal and stop."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.dossiers import queries, timing
from motcua.dossiers.models import (
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
    _save_uploads,
    _start_step,
)
from motcua.dossiers.workflow import Action
from motcua.errors import InvalidInput


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
        notice=Action.COMPLETE,
    )
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
        raise InvalidInput(
            _(
                'Trả kết quả qua bưu chính gồm hai bước: "Chuyển kết quả cho bưu chính" (ghi số hiệu '
                'bưu gửi), rồi "Bưu chính đã phát kết quả" (ghi thời điểm phát) khi bưu chính báo đã '
                "phát."
            )
        )
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
        notice=Action.RETURN,
    )
    return dossier


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
    _record(
        dossier,
        actor=actor,
        action=Action.CHOOSE_POST,
        from_status=frm,
        request=request,
        step=dossier.current_step,
        data={"address": address[:500], "postal_fee": fee, "previous": previous},
        notice=Action.CHOOSE_POST,
    )
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
    _record(
        dossier,
        actor=actor,
        action=Action.HAND_TO_POST,
        from_status=frm,
        request=request,
        step=step,
        reason=note.strip(),
        data={"postal_tracking": tracking, "address": dossier.delivery_address, "postal_fee": dossier.postal_fee},
        notice=Action.HAND_TO_POST,
    )
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
        raise InvalidInput(
            _("Thời điểm phát phải sau lúc chuyển cho bưu chính (%(posted)s) và không sau hiện tại.")
            % {"posted": timezone.localtime(dossier.posted_at).strftime("%H:%M %d/%m/%Y")}
        )
    step = _active_step(dossier)
    if step is not None:
        _finish_step(step, moment)
    _point_at(dossier, None)
    dossier.status = to
    dossier.delivered_at = dossier.returned_at = dossier.closed_at = moment
    _record(
        dossier,
        actor=actor,
        action=Action.DELIVERED,
        from_status=frm,
        request=request,
        step=step,
        reason=note.strip(),
        data={"delivered_at": moment.isoformat(), "postal_tracking": dossier.postal_tracking},
        notice=Action.DELIVERED,
    )
    return dossier


def _close(
    dossier: Dossier, *, actor, action: str, reason: str, frm: str, to: str, request=None, notice: str | None = None
) -> Dossier:
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
    _record(
        dossier, actor=actor, action=action, from_status=frm, step=step, reason=reason, request=request, notice=notice
    )
    return dossier


def _close_with_reason(dossier, *, actor, action: str, reason: str, missing: str, expected_version, request):
    """Withdrawal and stop: through the entry, with the reason the notice to the applicant carries."""
    dossier, frm, to = _begin(dossier, action, expected_version, actor=actor)
    if not reason.strip():
        raise InvalidInput(missing)
    return _close(dossier, actor=actor, action=action, reason=reason.strip(), frm=frm, to=to, request=request,
                  notice=action)


@transaction.atomic
def dossier_withdraw(*, dossier, actor, reason: str, expected_version=None, request=None) -> Dossier:
    """The applicant withdraws the dossier (recorded by the desk, or by the citizen online)."""
    return _close_with_reason(dossier, actor=actor, action=Action.WITHDRAW, reason=reason,
                              missing=_("Hãy ghi lý do rút hồ sơ."), expected_version=expected_version,
                              request=request)


@transaction.atomic
def dossier_stop(*, dossier, actor, reason: str, expected_version=None, request=None) -> Dossier:
    """End processing with a notice (Circular 03/2025 "Thông báo dừng giải quyết hồ sơ"); a leader's decision."""
    return _close_with_reason(dossier, actor=actor, action=Action.STOP, reason=reason,
                              missing=_("Hãy ghi lý do dừng xử lý."), expected_version=expected_version,
                              request=request)
