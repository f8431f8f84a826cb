"""The citizen's account forms: sign-in, registration, profile, SMS code, password reset (Vietnamese labels)."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import CitizenKind, User
from motcua.accounts.passwords import CITIZEN_PASSWORD_HELP, citizen_password_check
from motcua.accounts.queries import is_citizen
from motcua.accounts.services import CitizenDetails, citizen_identifier, citizen_password_set, login_username
from motcua.errors import InvalidInput

WIDE = {"style": "width:100%"}


def _password_fields():
    first = forms.CharField(label=_("Mật khẩu"), strip=False, help_text=CITIZEN_PASSWORD_HELP,
                            widget=forms.PasswordInput(attrs={"autocomplete": "new-password", **WIDE}))
    second = forms.CharField(label=_("Nhập lại mật khẩu"), strip=False,
                             widget=forms.PasswordInput(attrs={"autocomplete": "new-password", **WIDE}))
    return first, second


class CitizenPasswordMixin(SetPasswordMixin):
    """Django's password-pair checks, with the citizen password rules and Vietnamese messages."""

    error_messages = {"password_mismatch": _("Hai lần nhập mật khẩu không khớp nhau.")}

    def validate_password_for_user(self, user, password_field_name="password2"):  # noqa: S107 - a field name
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                citizen_password_check(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, error)


def add_service_errors(form, exc: InvalidInput, fields: dict[str, str] | None = None) -> None:
    """Show a service's InvalidInput on the form: each problem on its field when it names one, else on top."""
    fields = fields or {}
    problems = exc.detail if isinstance(exc.detail, list) else []
    placed = False
    for problem in problems:
        name = fields.get(problem.get("field"), problem.get("field"))
        if name in form.fields:
            form.add_error(name, problem["message"])
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class CitizenLoginForm(AuthenticationForm):
    """Sign in with the e-mail or phone registered (or the username); a wrong answer never says which part was."""

    username = forms.CharField(label=_("Thư điện tử hoặc số điện thoại"), max_length=254,
                               widget=forms.TextInput(attrs={"autocomplete": "username", **WIDE}))
    password = forms.CharField(label=_("Mật khẩu"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password", **WIDE}))
    error_messages = {
        "invalid_login": _("Thông tin đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Thông tin đăng nhập hoặc mật khẩu không đúng."),
        "staff": _("Đây là tài khoản cán bộ: hãy đăng nhập tại trang dành cho cán bộ (/workspace/)."),
    }

    def clean_username(self):
        return login_username(self.cleaned_data["username"])

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_citizen(user):
            raise ValidationError(self.error_messages["staff"], code="staff")


class RegisterForm(CitizenPasswordMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Bạn là"), choices=CitizenKind.choices, initial=CitizenKind.PERSON,
                             widget=forms.RadioSelect)
    name = forms.CharField(label=_("Họ và tên (hoặc tên doanh nghiệp, tổ chức)"), max_length=255,
                           widget=forms.TextInput(attrs={"autocomplete": "name", **WIDE}))
    identifier = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại di động"), max_length=254,
        help_text=_("Dùng để đăng nhập. Thư điện tử nhận liên kết xác thực; điện thoại nhận mã xác thực qua SMS."),
        widget=forms.TextInput(attrs={"autocomplete": "username", **WIDE}))
    id_number = forms.CharField(
        label=_("Số căn cước công dân (12 số) hoặc mã số doanh nghiệp"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", **WIDE}))
    password1, password2 = _password_fields()

    def clean_identifier(self):
        try:
            citizen_identifier(self.cleaned_data["identifier"])
        except InvalidInput as exc:
            raise ValidationError(exc.message)
        return self.cleaned_data["identifier"]

    def clean(self):
        data = super().clean()
        self.validate_passwords()
        ident = data.get("identifier", "")
        probe = User(username=ident, full_name=data.get("name", ""), email=ident if "@" in ident else "")
        self.validate_password_for_user(probe)
        return data

    def details(self) -> CitizenDetails:
        data = self.cleaned_data
        return CitizenDetails(kind=data["kind"], name=data["name"], id_number=data.get("id_number", ""))


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Đối tượng"), choices=CitizenKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Họ và tên (hoặc tên doanh nghiệp, tổ chức)"), max_length=255,
                           widget=forms.TextInput(attrs={"autocomplete": "name", **WIDE}))
    id_number = forms.CharField(label=_("Số căn cước công dân (12 số) hoặc mã số doanh nghiệp"), max_length=20,
                                required=False, widget=forms.TextInput(attrs={"inputmode": "numeric", **WIDE}))
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", **WIDE}))
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email", **WIDE}))
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}))

    def details(self) -> CitizenDetails:
        return CitizenDetails(**{f: self.cleaned_data.get(f, "") for f in self.fields})


class PhoneCodeForm(forms.Form):
    code = forms.CharField(label=_("Mã xác thực (6 chữ số)"), max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(label=_("Thư điện tử hoặc số điện thoại đã đăng ký"), max_length=254,
                                 widget=forms.TextInput(attrs={"autocomplete": "username", **WIDE}))


class CitizenSetPasswordForm(CitizenPasswordMixin, forms.Form):
    """The new password after a reset link (the form PasswordResetConfirmView expects), saved by the service."""

    new_password1, new_password2 = _password_fields()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password2")
        return data

    def save(self, commit=True):
        citizen_password_set(user=self.user, password=self.cleaned_data["new_password1"], request=self.request)
        return self.user
