"""Workspace forms: they only check shapes; the rules live in the domain's spec and services."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts.queries import is_citizen
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue.models import (
    ApplicantType,
    FeeMoment,
    Field,
    Level,
    LimitUnit,
    OnlineLevel,
    ResultKind,
    StepKind,
)
from motcua.catalogue.spec import STEP_ROLES
from motcua.workcal.models import OverrideKind

ROLE_LABELS = {
    "desk_officer": _("Công chức tiếp nhận"), "specialist": _("Chuyên viên"),
    "division_head": _("Lãnh đạo phòng"), "leader": _("Lãnh đạo cơ quan"),
}


def _agency_choices(*, with_self: bool) -> list[tuple[str, str]]:
    choices = [("@self", _("Cơ quan giải quyết hồ sơ"))] if with_self else [
        ("@district", _("Tất cả UBND cấp huyện")), ("@commune", _("Tất cả UBND cấp xã")),
    ]
    kinds = [AgencyKind.PROVINCE, AgencyKind.DEPARTMENT, AgencyKind.DIVISION, AgencyKind.DESK]
    if with_self:
        kinds.append(AgencyKind.DISTRICT)
    choices += [(a.code, f"{a.name} ({a.code})") for a in Agency.objects.active().filter(kind__in=kinds)]
    return choices


class ProcedureForm(forms.Form):
    code = forms.CharField(label=_("Mã thủ tục"), max_length=64)
    name = forms.CharField(label=_("Tên thủ tục"), max_length=500, widget=forms.TextInput(attrs={"size": 80}))
    field = forms.ChoiceField(label=_("Lĩnh vực"))
    levels = forms.MultipleChoiceField(label=_("Cấp thực hiện"), choices=Level.choices,
                                       widget=forms.CheckboxSelectMultiple)
    agencies = forms.MultipleChoiceField(label=_("Cơ quan thực hiện"),
                                         widget=forms.SelectMultiple(attrs={"size": 8}))
    legal_limit = forms.DecimalField(label=_("Thời hạn theo quy định"), min_value=0, decimal_places=2)
    committed_limit = forms.DecimalField(label=_("Thời hạn cam kết"), min_value=0, decimal_places=2)
    limit_unit = forms.ChoiceField(label=_("Đơn vị thời hạn"), choices=LimitUnit.choices)
    online_level = forms.ChoiceField(label=_("Mức dịch vụ công trực tuyến"), choices=OnlineLevel.choices)
    applicant_types = forms.MultipleChoiceField(label=_("Đối tượng thực hiện"), choices=ApplicantType.choices,
                                                widget=forms.CheckboxSelectMultiple, required=False)
    result_name = forms.CharField(label=_("Kết quả thực hiện"), max_length=500)
    result_kind = forms.ChoiceField(label=_("Loại kết quả"), choices=ResultKind.choices)
    description = forms.CharField(label=_("Trình tự thực hiện"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)
    conditions = forms.CharField(label=_("Yêu cầu, điều kiện"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(f.code, f.name) for f in Field.objects.order_by("name")]
        self.fields["agencies"].choices = _agency_choices(with_self=False)
        if editing:
            self.fields["code"].disabled = True


# Every choice field of a formset row has an initial equal to what its <select> shows first, so that an
# untouched extra row counts as unchanged and is skipped instead of failing "required" checks.


class ComponentForm(forms.Form):
    name = forms.CharField(label=_("Tên giấy tờ"), max_length=500)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False, initial=True)
    originals = forms.IntegerField(label=_("Bản chính"), min_value=0, initial=1, required=False)
    certified_copies = forms.IntegerField(label=_("Bản sao chứng thực"), min_value=0, initial=0, required=False)
    photocopies = forms.IntegerField(label=_("Bản photo"), min_value=0, initial=0, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class FeeForm(forms.Form):
    name = forms.CharField(label=_("Tên phí, lệ phí"), max_length=255)
    amount = forms.IntegerField(label=_("Mức thu (đồng)"), min_value=0)
    collected = forms.ChoiceField(label=_("Thời điểm thu"), choices=FeeMoment.choices, initial=FeeMoment.INTAKE)


class StepForm(forms.Form):
    name = forms.CharField(label=_("Tên bước"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại bước"), choices=StepKind.choices, initial=StepKind.RECEIVE)
    agency = forms.ChoiceField(label=_("Đơn vị thực hiện"), initial="@self")
    role = forms.ChoiceField(label=_("Vai trò"), choices=[(r, ROLE_LABELS[r]) for r in STEP_ROLES],
                             initial=STEP_ROLES[0])
    hours = forms.DecimalField(label=_("Giờ làm việc"), min_value=0, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(with_self=True)


ComponentFormSet = forms.formset_factory(ComponentForm, extra=1, can_delete=True)
FeeFormSet = forms.formset_factory(FeeForm, extra=1, can_delete=True)
StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp XLSX hoặc CSV"))


class OverrideForm(forms.Form):
    day = forms.DateField(label=_("Ngày (dd/mm/yyyy)"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    kind = forms.ChoiceField(label=_("Loại"), choices=OverrideKind.choices)
    reason = forms.CharField(label=_("Căn cứ, lý do"), max_length=255)


class DueForm(forms.Form):
    start = forms.DateTimeField(label=_("Thời điểm tiếp nhận (dd/mm/yyyy hh:mm)"),
                                input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"])
    amount = forms.DecimalField(label=_("Thời hạn"), min_value=0, decimal_places=2)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=LimitUnit.choices)


class StaffLoginForm(AuthenticationForm):
    """The workspace's sign-in: staff only; a citizen account is refused with the same answer as a wrong password."""

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tên đăng nhập hoặc mật khẩu không đúng."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus (Django's default on the username): keyboard users meet the skip link and the menu first.
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if is_citizen(user):
            raise self.get_invalid_login_error()
