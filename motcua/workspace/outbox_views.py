"""The "stuck messages" page of the workspace: outbox messages that gave up or wait too long, with a resend."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.roles import Perm
from motcua.errors import DomainError
from motcua.notifications import queries
from motcua.notifications.models import Channel
from motcua.notifications.services import outbox_resend_many
from motcua.workspace.access import staff_required


class StuckFilterForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Kênh"), required=False,
                                choices=[("", gettext_lazy("Mọi kênh")), *Channel.choices])
    state = forms.ChoiceField(label=gettext_lazy("Tình trạng"), required=False,
                              choices=list(queries.STUCK_STATES.items()))


@require_GET
@staff_required(Perm.OUTBOX_MANAGE)
def stuck_list(request):
    """`/workspace/tin-nhan-bi-ket/`: stuck messages, newest first, 50 a page, recipients masked."""
    form = StuckFilterForm(request.GET)
    channel = state = ""
    if form.is_valid():
        channel, state = form.cleaned_data["channel"], form.cleaned_data["state"]
    try:
        before = int(request.GET.get("truoc", "") or 0) or None
    except ValueError:
        before = None
    rows = queries.stuck_messages(queries.messages_visible_to(request.user), channel=channel, state=state)
    page, next_before = queries.stuck_page(rows, before=before)
    for message in page:
        message.masked_recipient = queries.mask_recipient(message.recipient)
    querystring = urlencode({k: v for k, v in (("channel", channel), ("state", state)) if v})
    return render(request, "workspace/outbox_stuck.html", {
        "form": form, "rows": page, "next_before": next_before, "querystring": querystring,
        "health": queries.channel_health(), "resendable": any(m.status == "failed" for m in page),
        "here": request.get_full_path(),
    })


@require_POST
@staff_required(Perm.OUTBOX_MANAGE)
def stuck_resend(request):
    """Resend one message (the row's button, `one`) or the ticked ones (`ids`); back to the list either way."""
    ids = [request.POST["one"]] if request.POST.get("one") else request.POST.getlist("ids")
    try:
        outcome = outbox_resend_many(message_ids=ids, actor=request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if outcome.resent:
            messages.success(request, _("Đã đưa %(count)d tin nhắn vào hàng đợi gửi lại.") % {
                "count": len(outcome.resent)})
        if outcome.skipped:
            messages.warning(request, _(
                "%(count)d tin nhắn không gửi lại vì không còn ở trạng thái “Không gửi được” "
                "(có thể đã được gửi lại trước đó)."
            ) % {"count": len(outcome.skipped)})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("workspace:outbox-stuck")
    return redirect(back)
