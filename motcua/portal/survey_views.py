"""The satisfaction survey page of the one-time link `/khao-sat/<token>/` (SIPAS, anonymous answers).

Reads the invitation through `surveys.queries`, records the answers through `surveys.services.survey_answer`; the
page shows no dossier, name or code, since the answer is anonymous. A refusal keeps the choices already made.
"""
from django import forms
from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua import clock
from motcua.errors import DomainError
from motcua.surveys import queries, services
from motcua.surveys.models import Element

EXPECTATION_MAX = 2000


class SurveyForm(forms.Form):
    """One radio group per question (`q<pk>`, values 1..len(scale), 1 the best) and an optional wish."""

    expectation = forms.CharField(label=gettext_lazy("Mong muốn, kiến nghị khác (không bắt buộc)"), required=False,
                                  max_length=EXPECTATION_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, survey, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.question_list = list(survey.questions.all())
        choices = [(n, label) for n, label in enumerate(survey.scale, start=1)]
        for question in self.question_list:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text, choices=choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Hãy chọn một mức cho câu hỏi này.")})

    def groups(self):
        """[(element label, [(number, bound field)])] in the order of the five SIPAS elements."""
        numbered = {q.pk: n for n, q in enumerate(self.question_list, start=1)}
        out = []
        for value, label in Element.choices:
            rows = [(numbered[q.pk], self[f"q{q.pk}"]) for q in self.question_list if q.element == value]
            if rows:
                out.append((label, rows))
        return out

    def missing(self) -> list[int]:
        return [n for n, q in enumerate(self.question_list, start=1) if f"q{q.pk}" in self.errors]

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.question_list}


def _closed(request, message, status):
    return render(request, "portal/survey.html", {"closed": message, "form": None}, status=status)


@require_http_methods(["GET", "POST"])
def survey_by_link(request, token):
    invitation = queries.invitation_for(token)
    if invitation is None:
        return _closed(request, _("Đường dẫn khảo sát không đúng. Hãy mở lại đường dẫn trong thư hoặc tin nhắn "
                                  "đã nhận."), 404)
    if invitation.used_at is not None:
        return _closed(request, _("Đường dẫn khảo sát này đã được sử dụng. Mỗi đường dẫn chỉ trả lời được một "
                                  "lần. Cảm ơn ông/bà."), 410)
    if clock.now() >= invitation.expires_at:
        return _closed(request, _("Đường dẫn khảo sát đã hết hạn ngày %(day)s.") % {
            "day": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y")}, 410)
    survey = invitation.survey
    context = {"closed": "", "survey": survey}
    if request.method == "POST":
        form = SurveyForm(request.POST, survey=survey)
        context["form"] = form
        if not form.is_valid():
            missing = form.missing()
            if missing:
                messages.error(request, _("Hãy trả lời tất cả câu hỏi (còn thiếu câu %(n)s).") % {
                    "n": ", ".join(map(str, missing))})
            return render(request, "portal/survey.html", context, status=400)
        try:
            services.survey_answer(token=token, answers=form.answers(),
                                   expectation=form.cleaned_data["expectation"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "portal/survey.html", context, status=exc.status)
        return render(request, "portal/survey_thanks.html", context)
    context["form"] = SurveyForm(survey=survey)
    return render(request, "portal/survey.html", context)
