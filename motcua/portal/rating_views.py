"""Citizens' rating pages: the one-time link `/danh-gia/<token>/` and the owner's `/danh-gia/ho-so/<code>/`.

Reads through `ratings.queries`, writes through `ratings.services`; a refusal is shown with the entered answers kept.
The pages show the dossier's code, procedure and initials only (no personal data).
"""
from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua import clock
from motcua.audit.services import audit_record
from motcua.dossiers.workflow import Status
from motcua.errors import DomainError
from motcua.portal.access import citizen_required
from motcua.ratings import queries, services
from motcua.ratings.forms import RatingForm
from motcua.ratings.models import RatingChannel


def _submit(request, context, submit):
    """Validate the form and call `submit(answers, comment)`; on success the thank-you page, else the form again."""
    form = RatingForm(request.POST)
    context["form"] = form
    if form.is_valid():
        request.open_feedback = not form.cleaned_data.get("no_feedback")  # an unhappy rating opens feedback
        try:
            submit(form.answers(), form.cleaned_data["comment"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "ratings/rate.html", context, status=exc.status)
        return render(request, "ratings/thanks.html", context)
    return render(request, "ratings/rate.html", context, status=400)


@require_http_methods(["GET", "POST"])
def rate_by_link(request, token):
    invitation = queries.invitation_for(token)
    context = {"form": RatingForm(), "dossier": None, "closed": ""}
    if invitation is None:
        context["closed"] = _("Đường dẫn đánh giá không đúng. Hãy mở lại đường dẫn trong thư hoặc tin nhắn đã nhận.")
        return render(request, "ratings/rate.html", context, status=404)
    context["dossier"] = invitation.dossier
    if invitation.used_at is not None or queries.already_rated(invitation.dossier, RatingChannel.LINK):
        context["closed"] = _("Hồ sơ này đã được đánh giá qua đường dẫn. Cảm ơn ông/bà.")
        return render(request, "ratings/rate.html", context, status=410)
    if clock.now() >= invitation.expires_at:
        context["closed"] = _("Đường dẫn đánh giá đã hết hạn ngày %(day)s.") % {
            "day": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y")}
        return render(request, "ratings/rate.html", context, status=410)
    if request.method == "POST":
        return _submit(request, context, lambda answers, comment: services.rating_submit_by_token(
            token=token, answers=answers, comment=comment, request=request))
    return render(request, "ratings/rate.html", context)


@citizen_required
@require_http_methods(["GET", "POST"])
def rate_own(request, code):
    dossier = queries.own_returned_dossier(request.user, code)
    context = {"form": RatingForm(), "dossier": dossier, "closed": ""}
    if dossier is None:
        audit_record(actor=request.user, action="rating.refused", summary=code[:64],
                     detail={"channel": RatingChannel.ACCOUNT, "code": code[:64], "reason": "not the owner"},
                     request=request)
        context["closed"] = _("Ông/bà chỉ có thể đánh giá hồ sơ do chính mình nộp bằng tài khoản này.")
        return render(request, "ratings/rate.html", context, status=404)
    if dossier.status != Status.RETURNED:
        context["closed"] = _("Hồ sơ %(code)s chưa trả kết quả nên chưa thể đánh giá.") % {"code": dossier.code}
        return render(request, "ratings/rate.html", context, status=409)
    if queries.already_rated(dossier, RatingChannel.ACCOUNT):
        context["closed"] = _("Ông/bà đã đánh giá hồ sơ này. Cảm ơn ông/bà.")
        return render(request, "ratings/rate.html", context, status=409)
    if request.method == "POST":
        return _submit(request, context, lambda answers, comment: services.rating_submit_by_citizen(
            user=request.user, code=dossier.code, answers=answers, comment=comment, request=request))
    return render(request, "ratings/rate.html", context)
