"""The workspace's feedback pages: the receivers' intake and the agency's queue, an item with every deadline, and
one POST per named action (classify, route, forward back, draft, approve, apologise, publish, edit published text)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.errors import DomainError
from motcua.feedback import queries, services
from motcua.feedback.policy import offered_actions
from motcua.feedback.workflow import Action
from motcua.workspace.access import staff_required


def _may_enter(user) -> bool:
    return any(user_can(user, p) for p in (Perm.FEEDBACK_RECEIVE, Perm.FEEDBACK_ANSWER))


@staff_required()
@require_GET
def feedback_queue(request):
    if not _may_enter(request.user):
        raise Forbidden(_("Bạn không có quyền mở trang này."))
    which = request.GET.get("loc", "")
    intake, agency = queries.intake_queue(request.user), queries.agency_queue(request.user)
    if which == "sap-den-han":
        intake, agency = queries.due_soon(intake), queries.due_soon(agency)
    elif which == "qua-han":
        intake, agency = queries.overdue(intake), queries.overdue(agency)
    return render(request, "feedback/ws_queue.html", {
        "intake": intake[:200] if user_can(request.user, Perm.FEEDBACK_RECEIVE) else None,
        "agency": agency[:200] if user_can(request.user, Perm.FEEDBACK_ANSWER) else None, "which": which})


@staff_required()
@require_GET
def feedback_detail(request, code):
    try:
        item = queries.feedback_get(request.user, code, purpose="workspace", request=request)
    except DomainError:
        raise Http404(_("Không tìm thấy phản ánh.")) from None
    return render(request, "feedback/ws_detail.html", {
        "item": item, "actions": offered_actions(request.user, item), "events": item.events.select_related(
            "actor", "to_agency"), "agencies": Agency.objects.filter(depth__lte=1).order_by("code"),
        "attachments": item.attachments.all()})


def _call(action, request, item):
    p = request.POST
    agency = Agency.objects.filter(pk=p.get("agency") or 0).first() if action == Action.ROUTE else None
    return services.feedback_act(
        item=item.code, actor=request.user, action=action, expected_version=p.get("version") or None,
        request=request, reason=p.get("reason", ""), text=p.get("text", ""), agency=agency,
        private=(bool(p.get("private")) or None) if action == Action.ROUTE else bool(p.get("private")),
        of_code=p.get("of_code", ""), question=p.get("question", ""), answer=p.get("answer", ""))


@staff_required()
@require_POST
def feedback_action(request, code, action):
    try:
        item = queries.feedback_get(request.user, code, purpose="action", request=request)
    except DomainError:
        raise Http404(_("Không tìm thấy phản ánh.")) from None
    try:
        _call(action, request, item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": Action(action).label})
    if action in (Action.ROUTE, Action.FORWARD_BACK, Action.APPROVE) and not queries.feedback_visible_to(
            request.user).filter(code=code).exists():
        return redirect("workspace:feedback-queue")
    return redirect("workspace:feedback-detail", code=code)
