"""Who may do what to the programme: one function per action, answering with a reason when not (ADR 0007).

Agencies report on tasks they lead (QĐ 1908 IV.5): their staff draft, their leader submits. Coordinating agencies add
contributions and never submit. Sở Nội vụ (holders of `programme.manage` over the province) imports the programme,
maps names, and accepts or sends back reports (V.1.d).
"""
from django.utils.translation import gettext as _

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.programme.models import TaskRole
from motcua.programme.workflow import Action, target


def province() -> Agency | None:
    return Agency.objects.filter(parent__isnull=True).order_by("path").first()


def is_manager(user) -> bool:
    root = province()
    return root is not None and user_can(user, Perm.PROGRAMME_MANAGE, root)


def _role(task, agency) -> set[str]:
    return set(task.agencies.filter(agency=agency).values_list("role", flat=True))


def why_not(user, action: str, *, task, agency, report=None) -> str | None:
    """None when `user` may do `action` for `agency` on `task` (and `report`, when it exists); else the reason."""
    state = report.state if report is not None else "draft"
    if target(state, action) is None:
        return _("Báo cáo ở trạng thái này không cho phép thao tác đó.")
    roles = _role(task, agency)
    if action in (Action.EDIT, Action.SUBMIT):
        if TaskRole.LEAD not in roles:
            return _("%(agency)s không chủ trì nhiệm vụ này.") % {"agency": agency.name}
        perm = Perm.PROGRAMME_SUBMIT if action == Action.SUBMIT else Perm.PROGRAMME_REPORT
        if not user_can(user, perm, agency):
            if action == Action.SUBMIT:
                return _("Chỉ lãnh đạo %(agency)s gửi báo cáo.") % {"agency": agency.name}
            return _("Bạn không soạn báo cáo cho %(agency)s.") % {"agency": agency.name}
        return None
    if action == Action.CONTRIBUTE:
        if TaskRole.COORDINATOR not in roles:
            return _("%(agency)s không phối hợp thực hiện nhiệm vụ này.") % {"agency": agency.name}
        if not user_can(user, Perm.PROGRAMME_REPORT, agency):
            return _("Bạn không thuộc %(agency)s.") % {"agency": agency.name}
        return None
    if action in (Action.ACCEPT, Action.SEND_BACK):
        return None if is_manager(user) else _("Chỉ Sở Nội vụ tiếp nhận hoặc trả lại báo cáo.")
    return _("Thao tác không hợp lệ.")


def offered_actions(user, report) -> list[str]:
    return [a for a in Action.values if a != Action.CONTRIBUTE
            and why_not(user, a, task=report.task, agency=report.agency, report=report) is None]


def may_contribute(user, report, agency) -> bool:
    return why_not(user, Action.CONTRIBUTE, task=report.task, agency=agency, report=report) is None


def may_record_target(user, target_obj) -> bool:
    if is_manager(user):
        return True
    return target_obj.agency is not None and user_can(user, Perm.PROGRAMME_REPORT, target_obj.agency)
