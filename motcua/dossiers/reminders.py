"""Reminders to officials: each active step due within one working day is announced once to whoever holds it."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.models import User
from motcua.accounts.roles import ROLE_PERMS, Perm
from motcua.dossiers import timing
from motcua.dossiers.models import DossierStep, StepState
from motcua.dossiers.workflow import PAUSED_STATES


def _holders(step: DossierStep) -> list[User]:
    """The assignee, or else every active officer of the step's agency whose role may work on the step."""
    if step.assignee_id is not None:
        return [step.assignee] if step.assignee.is_active else []
    perm = Perm.DOSSIER_APPROVE if step.kind == "approve" else Perm.DOSSIER_PROCESS
    roles = [role for role, perms in ROLE_PERMS.items() if perm in perms and role != "admin"]
    return list(User.objects.filter(is_active=True, grants__agency=step.agency, grants__role__in=roles).distinct())


@transaction.atomic
def remind_due_soon(*, now=None) -> int:
    """Queue one e-mail per step and holder for active steps due within one working day; returns how many."""
    from motcua.notifications.services import notification_enqueue

    now = now or clock.now()
    timing.reset()
    threshold = timing.due_soon_threshold(now)
    steps = (DossierStep.objects.filter(state=StepState.ACTIVE, due_at__gt=now, due_at__lte=threshold)
             .exclude(dossier__status__in=PAUSED_STATES).select_related("dossier", "agency", "assignee"))
    queued = 0
    for step in steps:
        due = timezone.localtime(step.due_at).strftime("%H:%M %d/%m/%Y")
        for user in _holders(step):
            if not user.email:
                continue
            message = notification_enqueue(
                channel="email", recipient=user.email,
                subject=_("Hồ sơ %(code)s sắp đến hạn") % {"code": step.dossier.code},
                body=_("Bước \"%(step)s\" của hồ sơ %(code)s đến hạn lúc %(due)s.")
                % {"step": step.name, "code": step.dossier.code, "due": due},
                kind="step.due_soon", object_type="dossier", object_id=step.dossier.code,
                dedupe_key=f"step-due:{step.pk}:{step.due_at.isoformat()}:{user.pk}",
            )
            queued += message is not None
    return queued
