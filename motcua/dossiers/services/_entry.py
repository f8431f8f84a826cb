"""The one entry every dossier operation goes through: `_begin` (lock with the expected version, the policy, the
transition table, the deadline cache reset) and `_record` (the change saved, the event, the audit entry, the
announcement and the outbox), with the step and attachment helpers the stages share (ADR 0007 "every change")."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from motcua import clock, hooks
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.dossiers import files, notify, policy, timing
from motcua.dossiers.models import (
    Attachment,
    Dossier,
    DossierEvent,
    DossierStep,
    StepState,
)
from motcua.dossiers.workflow import RESUME, SAME, Action, Status, target
from motcua.errors import Conflict, NotFound, PermissionDenied


@dataclass
class Upload:
    name: str
    content: bytes
    component_id: int | None = None  # catalogue component this scan belongs to


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
    notice: str | None = None,
) -> DossierEvent:
    """Save the dossier (bumping its version), append the event and the audit entry, announce the change
    (`hooks.DOSSIER_CHANGED`) and, with `notice`, queue the applicant's messages about it in the outbox."""
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
    hooks.announce(
        hooks.DOSSIER_CHANGED,
        dossier=dossier,
        event=event,
        from_status=from_status,
        to_status=dossier.status,
        action=action,
    )
    if notice:
        notify.dossier_changed(dossier, notice)
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


def _start_step(step: DossierStep, start: datetime, *, at: datetime | None = None, assignee=None,
                save: bool = True) -> None:
    """Hand `step` over at `at` (default `start`); its clock starts at `start`, or the next opening after it.

    The two differ at night, at weekends and after the 15:00 cut-off: the step is received when it is handed over,
    but its working time counts only from the office's next opening (issue 12 item 5).
    """
    step.state = StepState.ACTIVE
    step.started_at = at or start
    step.clock_started_at = timing.next_opening(start, agency=step.agency)
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


def _next_step(dossier: Dossier, step: DossierStep) -> DossierStep | None:
    return dossier.steps.filter(order__gt=step.order).exclude(state=StepState.SKIPPED).order_by("order", "id").first()


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
    return [
        _store(dossier, good, kind=kind, actor=actor, component=by_catalogue.get(upload.component_id))
        for upload, good in zip(uploads, checked, strict=True)
    ]
