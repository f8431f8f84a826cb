"""The second factor of staff sign-in (django-otp): who needs one, enrolment, verification, recovery codes, reset."""
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.roles import Perm, Role
from motcua.accounts.scoping import user_can, user_roles
from motcua.audit.services import audit_record
from motcua.errors import DomainError, InvalidInput, PermissionDenied

# Roles whose holders must confirm a code after their password (issue 13 section 5); others may opt in.
ROLES_NEEDING_SECOND_FACTOR = frozenset({Role.LEADER, Role.SUPERVISOR, Role.ADMIN})
RECOVERY_CODES = 10
# Device names kept in the database (django-otp's own column), not shown by the workspace: not translated.
TOTP_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"
REASON_MAX = 500


def needs_second_factor(user) -> bool:
    """True when STAFF_OTP_REQUIRED is on and `user` is a superuser or holds a leader/supervisor/admin role."""
    if not getattr(settings, "STAFF_OTP_REQUIRED", False) or not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & ROLES_NEEDING_SECOND_FACTOR)


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


@dataclass(frozen=True)
class SecondFactorState:
    """What an administrator sees of a staff member's second factor (never the key or the codes themselves)."""

    authenticator: bool  # a confirmed authenticator app
    recovery_left: int  # recovery codes not yet used
    required: bool  # their role must confirm a code at sign-in (when STAFF_OTP_REQUIRED is on)


def second_factor_state(user) -> SecondFactorState:
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return SecondFactorState(authenticator=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
                             recovery_left=left, required=needs_second_factor(user))


def totp_enrol_start(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator device, made now if there is none (its key is shown once, as a QR)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of `device` as an inline SVG QR code (made on the server: no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def totp_secret_text(device: TOTPDevice) -> str:
    """The key in base32, grouped by four, for typing into an authenticator by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_enrol_confirm(*, user, token: str, request=None) -> list[str]:
    """Confirm the authenticator with one code from it; answer the 10 recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise DomainError(_("Chưa bắt đầu đăng ký ứng dụng xác thực."))
    if not device.verify_token((token or "").strip()):
        raise DomainError(_("Mã xác thực không đúng hoặc đã hết hạn. Nhập mã 6 số đang hiện trong ứng dụng."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = recovery_codes_renew(user=user)
    if request is not None:
        otp_login(request, device)
    audit_record(actor=user, action="otp.enrol", obj=user, summary=user.username, request=request)
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new ones, each good once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_verify(*, request, token: str) -> bool:
    """Check a 6-digit code or a recovery code for the signed-in user; on success the session counts as verified."""
    user = request.user
    token = (token or "").strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            kind = "recovery" if isinstance(device, StaticDevice) else "totp"
            audit_record(actor=user, action=f"otp.verify.{kind}", obj=user, summary=user.username, request=request)
            return True
    audit_record(actor=user, action="otp.failed", obj=user, summary=user.username, request=request)
    return False


@transaction.atomic
def second_factor_reset(*, user, actor, reason: str, request=None) -> int:
    """An administrator removes every device of `user` (a lost phone), saying why: they enrol again at their next
    sign-in (a session already open is asked to enrol at its next page). One cannot reset one's own."""
    if not (getattr(actor, "is_superuser", False) or user_can(actor, Perm.USER_MANAGE, user.agency)):
        raise PermissionDenied(_("Bạn không có quyền đặt lại xác thực hai lớp của tài khoản này."))
    if actor.pk == user.pk:
        raise PermissionDenied(_("Không tự đặt lại xác thực hai lớp của chính mình; hãy nhờ một quản trị viên khác."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Hãy ghi lý do đặt lại (ví dụ: mất điện thoại)."))
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("Lý do dài quá %(n)s ký tự.") % {"n": REASON_MAX})
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    audit_record(actor=actor, action="otp.reset", obj=user, summary=user.username,
                 detail={"devices": removed, "reason": reason}, request=request)
    return removed
