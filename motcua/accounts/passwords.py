"""The password rules of citizen accounts: Django's validators from settings plus letters-and-digits, 10 or more."""
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class LettersAndDigitsValidator:
    """At least `min_length` characters, with at least one letter and at least one digit."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        problems = []
        if len(password) < self.min_length:
            problems.append(ValidationError(
                ngettext("Mật khẩu phải có ít nhất %(min_length)d ký tự.",
                         "Mật khẩu phải có ít nhất %(min_length)d ký tự.", self.min_length),
                code="password_too_short", params={"min_length": self.min_length}))
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            problems.append(ValidationError(_("Mật khẩu phải có cả chữ cái và chữ số."),
                                            code="password_letters_digits"))
        if problems:
            raise ValidationError(problems)

    def get_help_text(self):
        return _("Mật khẩu cần ít nhất %(min_length)d ký tự, có cả chữ cái và chữ số.") % {
            "min_length": self.min_length}


def citizen_password_validators():
    """The project's validators, with the citizen rule (10 characters, letters and digits) in place of the plain
    minimum length, so that a short password gets one message, in Vietnamese, not two that disagree."""
    kept = [v for v in get_default_password_validators() if not isinstance(v, MinimumLengthValidator)]
    return [*kept, LettersAndDigitsValidator()]


def citizen_password_check(password: str, user=None) -> None:
    """Raise ValidationError listing every rule the password breaks (Vietnamese messages)."""
    validate_password(password, user, password_validators=citizen_password_validators())


CITIZEN_PASSWORD_HELP = gettext_lazy(
    "Mật khẩu cần ít nhất 10 ký tự, có cả chữ cái và chữ số, không quá giống tên hay thư điện tử, "
    "không phải mật khẩu phổ biến.")
