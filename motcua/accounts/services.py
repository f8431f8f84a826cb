"""Creating staff users and granting or revoking their roles."""
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import RoleGrant, User
from motcua.accounts.roles import Perm, Role
from motcua.accounts.scoping import user_can
from motcua.audit.services import audit_record
from motcua.errors import InvalidInput, PermissionDenied


def _require_manager(actor, agency) -> None:
    if actor is not None and not user_can(actor, Perm.USER_MANAGE, agency):
        raise PermissionDenied(_("Bạn không có quyền quản lý tài khoản tại đơn vị này."))


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    agency=None,
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
    actor=None,
) -> User:
    """Create a staff user. `actor=None` is reserved for set-up commands (loaddemo, createsuperuser)."""
    _require_manager(actor, agency)
    username = username.strip()
    if not username:
        raise InvalidInput(_("Tên đăng nhập là bắt buộc."))
    if User.objects.filter(username=username).exists():
        raise InvalidInput(_("Tên đăng nhập %(username)s đã tồn tại.") % {"username": username})
    user = User(
        username=username, full_name=full_name, agency=agency, email=email, phone=phone,
        is_staff=is_superuser, is_superuser=is_superuser,
    )
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, summary=username)
    return user


@transaction.atomic
def role_grant(*, user: User, role: str, agency, actor=None) -> RoleGrant:
    _require_manager(actor, agency)
    if role not in Role.values:
        raise InvalidInput(_("Vai trò không hợp lệ: %(role)s.") % {"role": role})
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, agency=agency)
    if created:
        if role == Role.ADMIN and not user.is_staff:
            # System administrators also use the Django admin.
            User.objects.filter(pk=user.pk).update(is_staff=True)
        audit_record(actor=actor, action="role.grant", obj=user, detail={"role": role, "agency": agency.code})
    user.__dict__.pop("_motcua_grants", None)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor=None) -> None:
    _require_manager(actor, grant.agency)
    audit_record(
        actor=actor, action="role.revoke", obj=grant.user, detail={"role": grant.role, "agency": grant.agency.code}
    )
    grant.delete()


@transaction.atomic
def token_issue(*, user: User, request=None) -> str:
    """The API token of an active staff member (created once), with an audit entry for every issue."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    audit_record(actor=user, action="auth.token", obj=user, summary=user.username, detail={"new": created},
                 request=request)
    return token.key
