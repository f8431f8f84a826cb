"""The rating form shared by the public link, the citizen's account and the desk kiosk (three questions + comment)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.ratings.models import QUESTIONS, Level
from motcua.ratings.services import COMMENT_MAX, Answers


class RatingForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến khác (không bắt buộc)"), required=False, max_length=COMMENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}))
    no_feedback = forms.BooleanField(label=_("Không chuyển ý kiến không hài lòng thành phản ánh, kiến nghị"),
                                     required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, question in QUESTIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=question, choices=Level.choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Hãy chọn một mức đánh giá.")},
            )
        self.order_fields([name for name, _q in QUESTIONS] + ["comment"])

    def questions(self):
        return [self[name] for name, _q in QUESTIONS]

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(**{name: data[name] for name, _q in QUESTIONS})
