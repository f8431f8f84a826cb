"""Reminders for feedback: each open item whose current step is due within one working day, once to its holders."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.models import User
from motcua.accounts.roles import ROLE_PERMS, Perm
from motcua.feedback import timing
from motcua.feedback.models import FeedbackItem
from motcua.feedback.workflow import Status


def _holders(item: FeedbackItem) -> list[User]:
    """Whoever must act next: the receivers (before routing, and to publish) or the competent agency's staff."""
    if item.status in (Status.IN_PROGRESS, Status.DRAFTED) and item.agency_id:
        perm, agency = (Perm.FEEDBACK_APPROVE if item.status == Status.DRAFTED else Perm.FEEDBACK_ANSWER), item.agency
    else:
        perm, agency = Perm.FEEDBACK_RECEIVE, item.receiver_agency
    roles = [role for role, perms in ROLE_PERMS.items() if perm in perms]
    return list(User.objects.filter(is_active=True, grants__agency=agency, grants__role__in=roles).distinct())


@transaction.atomic
def remind_due_soon(*, now=None) -> int:
    """Queue one e-mail per item, deadline and holder; returns how many were queued."""
    from motcua.notifications.services import notification_enqueue

    now = now or clock.now()
    threshold = timing.due_soon_threshold(now)
    items = (FeedbackItem.objects.filter(due_at__gt=now, due_at__lte=threshold)
             .exclude(status=Status.AWAITING_INFO).select_related("agency", "receiver_agency"))
    queued = 0
    for item in items:
        due = timezone.localtime(item.due_at).strftime("%H:%M %d/%m/%Y")
        for user in _holders(item):
            if not user.email:
                continue
            message = notification_enqueue(
                channel="email", recipient=user.email,
                subject=_("Phản ánh %(code)s sắp đến hạn") % {"code": item.code},
                body=_("Phản ánh, kiến nghị %(code)s (%(status)s) đến hạn lúc %(due)s.")
                % {"code": item.code, "status": Status(item.status).label, "due": due},
                kind="feedback.due_soon", object_type="feedback", object_id=item.code,
                dedupe_key=f"feedback-due:{item.pk}:{item.due_at.isoformat()}:{user.pk}",
            )
            queued += message is not None
    return queued
