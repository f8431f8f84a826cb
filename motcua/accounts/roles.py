"""The staff roles, how far each reaches in the agency tree, and what each may do (one table)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Công chức tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên")
    DIVISION_HEAD = "division_head", _("Lãnh đạo phòng")
    LEADER = "leader", _("Lãnh đạo cơ quan")
    SUPERVISOR = "supervisor", _("Giám sát")
    CATALOGUE_EDITOR = "catalogue_editor", _("Biên tập thủ tục")
    ADMIN = "admin", _("Quản trị hệ thống")


class Reach(models.TextChoices):
    AGENCY = "agency", _("chỉ đơn vị được giao")
    SUBTREE = "subtree", _("đơn vị và các đơn vị trực thuộc")
    EVERYWHERE = "everywhere", _("toàn hệ thống")


# How far a grant of each role reaches from the agency it is held in.
# A desk officer works for one desk; everyone else sees the agency's subtree; administrators see everything.
ROLE_REACH: dict[str, str] = {
    Role.DESK_OFFICER: Reach.AGENCY,
    Role.SPECIALIST: Reach.SUBTREE,
    Role.DIVISION_HEAD: Reach.SUBTREE,
    Role.LEADER: Reach.SUBTREE,
    Role.SUPERVISOR: Reach.SUBTREE,
    Role.CATALOGUE_EDITOR: Reach.SUBTREE,
    Role.ADMIN: Reach.EVERYWHERE,
}


class Perm:
    """Permission names checked by services and views."""

    WORKSPACE = "workspace.enter"
    AGENCY_VIEW = "agencies.view"
    AGENCY_MANAGE = "agencies.manage"
    USER_MANAGE = "accounts.manage"
    CATALOGUE_VIEW = "catalogue.view"
    CATALOGUE_EDIT = "catalogue.edit"
    CALENDAR_MANAGE = "workcal.manage"
    DOSSIER_VIEW = "dossiers.view"
    DOSSIER_RECEIVE = "dossiers.receive"
    DOSSIER_PROCESS = "dossiers.process"
    DOSSIER_APPROVE = "dossiers.approve"
    REPORT_VIEW = "reports.view"
    FEEDBACK_RECEIVE = "feedback.receive"  # receive, classify, route and publish feedback (issue 8)
    FEEDBACK_ANSWER = "feedback.answer"  # draft the answer to feedback routed to one's agency
    FEEDBACK_APPROVE = "feedback.approve"  # approve and send that answer
    # The reform programme (QĐ 1908/QĐ-UBND IV.5, V.1.d): agencies draft and their leaders submit quarterly reports;
    # Sở Nội vụ (supervisors held at the province) imports the programme and accepts or sends back reports.
    PROGRAMME_REPORT = "programme.report"
    PROGRAMME_SUBMIT = "programme.submit"
    PROGRAMME_MANAGE = "programme.manage"
    AUDIT_VIEW = "audit.view"  # read the audit log of one's agencies (issue 13 section 5)
    OUTBOX_MANAGE = "notifications.manage"  # see stuck outbox messages and resend them (system-wide)


_STAFF = {Perm.WORKSPACE, Perm.AGENCY_VIEW, Perm.CATALOGUE_VIEW}

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.DESK_OFFICER: frozenset(_STAFF | {Perm.DOSSIER_VIEW, Perm.DOSSIER_RECEIVE}),
    Role.SPECIALIST: frozenset(_STAFF | {Perm.DOSSIER_VIEW, Perm.DOSSIER_PROCESS}),
    Role.DIVISION_HEAD: frozenset(_STAFF | {Perm.DOSSIER_VIEW, Perm.DOSSIER_PROCESS, Perm.DOSSIER_APPROVE}),
    Role.LEADER: frozenset(
        _STAFF | {Perm.DOSSIER_VIEW, Perm.DOSSIER_PROCESS, Perm.DOSSIER_APPROVE, Perm.REPORT_VIEW}
    ),
    Role.SUPERVISOR: frozenset(_STAFF | {Perm.DOSSIER_VIEW, Perm.REPORT_VIEW}),
    Role.CATALOGUE_EDITOR: frozenset(_STAFF | {Perm.CATALOGUE_EDIT}),
    Role.ADMIN: frozenset(
        _STAFF
        | {
            Perm.AGENCY_MANAGE, Perm.USER_MANAGE, Perm.CATALOGUE_EDIT, Perm.CALENDAR_MANAGE,
            Perm.DOSSIER_VIEW, Perm.REPORT_VIEW,
        }
    ),
}

# Feedback and petitions (issue 8): the supervisors receive and route (in the demo, at Văn phòng UBND tỉnh and Sở
# Nội vụ); at the competent agency specialists draft answers and leaders approve them.
_FEEDBACK_PERMS: dict[str, set[str]] = {
    Role.SUPERVISOR: {Perm.FEEDBACK_RECEIVE},
    Role.SPECIALIST: {Perm.FEEDBACK_ANSWER},
    Role.DIVISION_HEAD: {Perm.FEEDBACK_ANSWER, Perm.FEEDBACK_APPROVE},
    Role.LEADER: {Perm.FEEDBACK_ANSWER, Perm.FEEDBACK_APPROVE},
}
ROLE_PERMS.update({role: ROLE_PERMS[role] | perms for role, perms in _FEEDBACK_PERMS.items()})

# The reform programme's permissions, added to the roles above (kept apart so the table above stays as it was).
_PROGRAMME_EXTRA: dict[str, set[str]] = {
    Role.SPECIALIST: {Perm.PROGRAMME_REPORT},
    Role.DIVISION_HEAD: {Perm.PROGRAMME_REPORT},
    Role.LEADER: {Perm.PROGRAMME_REPORT, Perm.PROGRAMME_SUBMIT},
    Role.SUPERVISOR: {Perm.PROGRAMME_MANAGE},
    Role.ADMIN: {Perm.PROGRAMME_MANAGE},
}
for _role, _extra in _PROGRAMME_EXTRA.items():
    ROLE_PERMS[_role] = frozenset(ROLE_PERMS[_role] | _extra)

# The audit log (issue 13 section 5): supervisors over their agencies' subtree, administrators everywhere.
for _role in (Role.SUPERVISOR, Role.ADMIN):
    ROLE_PERMS[_role] = frozenset(ROLE_PERMS[_role] | {Perm.AUDIT_VIEW})

# The outbox (stuck messages, resending) is system-wide: administrators only.
ROLE_PERMS[Role.ADMIN] = frozenset(ROLE_PERMS[Role.ADMIN] | {Perm.OUTBOX_MANAGE})
