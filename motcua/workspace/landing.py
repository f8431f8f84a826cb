"""Where each role lands in the workspace: the one rule, easy to change (issue 12 item 13)."""
from django.urls import reverse

from motcua.accounts.roles import Perm, Role
from motcua.accounts.scoping import user_can, user_roles


def queue_tab(user) -> str:
    """The dossier queue's first tab: where this person's work is."""
    if user_can(user, Perm.DOSSIER_RECEIVE):
        return "online"  # the desk: online filings waiting to be checked
    roles = user_roles(user)
    if Role.SUPERVISOR in roles and not roles & {Role.SPECIALIST, Role.LEADER}:
        # Supervisors follow, they do not process: in the queue, the overdue dossiers come first.
        return "overdue"
    return "mine"


def supervises_only(user) -> bool:
    """A supervisor who neither receives nor processes dossiers: their work is the supervision dashboard."""
    roles = user_roles(user)
    return (Role.SUPERVISOR in roles and not roles & {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER}
            and user_can(user, Perm.REPORT_VIEW))


def landing_url(user) -> str:
    """The page a staff member opens on after signing in."""
    roles = user_roles(user)
    if roles and roles <= {Role.CATALOGUE_EDITOR}:
        return reverse("workspace:catalogue-list")
    if supervises_only(user):
        return reverse("workspace:report-dashboard")
    if roles & {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.SUPERVISOR}:
        return f"{reverse('workspace:dossier-queue')}?tab={queue_tab(user)}"
    return reverse("workspace:home")
