"""Creating staff users and granting or revoking their roles; citizen accounts (register, verify, reset, profile)."""
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.models import CitizenKind, CitizenProfile, RoleGrant, User
from motcua.accounts.passwords import citizen_password_check
from motcua.accounts.roles import Perm, Role
from motcua.accounts.scoping import user_can
from motcua.audit.services import audit_record
from motcua.errors import Conflict, InvalidInput, PermissionDenied


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
    if CitizenProfile.objects.filter(user=user).exists():
        raise PermissionDenied(_("Tài khoản công dân không được giao vai trò cán bộ; hãy tạo tài khoản cán bộ riêng."))
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
    """The API token of an active staff member or verified citizen (created once), audited at every issue."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    audit_record(actor=user, action="auth.token", obj=user, summary=user.username, detail={"new": created},
                 request=request)
    return token.key


# --- citizen accounts ----------------------------------------------------------------------------------------------
# A citizen signs in with the e-mail or phone they registered with (that is their username). The account is verified
# by a signed link sent to the e-mail or a one-time code sent by SMS, both through the notification outbox; a
# citizen who comes back from the identity provider (OIDC) is verified by it. docs/citizens.md tells the whole story.

EMAIL_TOKEN_SALT = "motcua.citizen.verify-email"


def _display_name(name: str) -> str:
    """The user's display name copied from the profile, cut to its column: a business's name may be longer (the
    profile keeps it whole), and PostgreSQL refuses a value longer than the column (a 500 found by schemathesis)."""
    return name[:User._meta.get_field("full_name").max_length]
PHONE_CODE_SALT = "motcua.citizen.phone-code"
DEFAULT_VERIFY_EMAIL_MAX_AGE = 3 * 24 * 3600
DEFAULT_SMS_CODE_MAX_AGE = 10 * 60
DEFAULT_SMS_CODE_TRIES = 5


def _setting(name: str, default):
    return getattr(settings, name, default)


def _public_url(path: str) -> str:
    return _setting("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + path


@dataclass(frozen=True)
class Identifier:
    channel: str  # "email" or "sms"
    value: str  # lower-case e-mail, or the phone in +84 form


def citizen_identifier(raw: str) -> Identifier:
    """The e-mail or phone a citizen registers or signs in with, normalised; InvalidInput otherwise."""
    from motcua.notifications.services import normalise_email, normalise_phone

    raw = (raw or "").strip()
    if not raw:
        raise InvalidInput(_("Hãy nhập thư điện tử hoặc số điện thoại."), detail={"field": "identifier"})
    if "@" in raw:
        try:
            return Identifier("email", normalise_email(raw).lower())
        except InvalidInput as exc:
            raise InvalidInput(exc.message, detail={"field": "identifier"})
    try:
        return Identifier("sms", normalise_phone(raw))
    except InvalidInput as exc:
        raise InvalidInput(exc.message, detail={"field": "identifier"})


def login_username(raw: str) -> str:
    """The username that `raw` (an e-mail, a phone written any usual way, or a plain username) signs in as.

    An e-mail or phone is the username of the account registered with it, or else of the one citizen whose profile
    has it verified (so a citizen can sign in with a contact verified later).
    """
    try:
        value = citizen_identifier(raw).value
    except InvalidInput:
        return (raw or "").strip()
    if User.objects.filter(username__iexact=value).exists():
        return value
    field = "email" if "@" in value else "phone"
    matches = list(User.objects.filter(**{f"citizen_profile__{field}": value,
                                          f"citizen_profile__{field}_verified_at__isnull": False})
                   .values_list("username", flat=True)[:2])
    return matches[0] if len(matches) == 1 else value


@dataclass
class CitizenDetails:
    """The applicant details a citizen saves in the profile (validated as the desk validates an applicant)."""

    kind: str
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def cleaned(self) -> "CitizenDetails":
        """A normalised copy, or InvalidInput listing every problem (`detail` = [{"field", "message"}])."""
        from motcua.dossiers.applicants import BUSINESS_CODE, CITIZEN_ID
        from motcua.notifications.services import normalise_email, normalise_phone

        problems = []
        kind = (self.kind or "").strip()
        name = " ".join((self.name or "").split())
        id_number = (self.id_number or "").replace(" ", "").replace(".", "").strip()
        phone = (self.phone or "").strip()
        email = (self.email or "").strip()
        if kind not in CitizenKind.values:
            problems.append({"field": "kind", "message": _("Hãy chọn cá nhân hoặc doanh nghiệp, tổ chức.")})
        if not name:
            problems.append({"field": "name", "message": _("Hãy nhập họ và tên (hoặc tên doanh nghiệp, tổ chức).")})
        elif len(name) > 255:
            problems.append({"field": "name", "message": _("Tên dài quá 255 ký tự.")})
        if id_number:
            if kind == CitizenKind.PERSON and not CITIZEN_ID.match(id_number):
                problems.append({"field": "id_number",
                                 "message": _("Số căn cước công dân phải gồm đúng 12 chữ số.")})
            elif kind == CitizenKind.BUSINESS and not BUSINESS_CODE.match(id_number):
                problems.append({"field": "id_number",
                                 "message": _("Mã số doanh nghiệp phải gồm 10 chữ số (chi nhánh: thêm -NNN).")})
        if phone:
            try:
                phone = normalise_phone(phone)
            except InvalidInput:
                problems.append({"field": "phone", "message": _("Số điện thoại không hợp lệ.")})
        if email:
            try:
                email = normalise_email(email).lower()
            except InvalidInput:
                problems.append({"field": "email", "message": _("Địa chỉ thư điện tử không hợp lệ.")})
        if problems:
            raise InvalidInput("; ".join(p["message"] for p in problems), detail=problems)
        return CitizenDetails(kind=kind, name=name, id_number=id_number, phone=phone, email=email,
                              address=" ".join((self.address or "").split())[:500])


def _check_password(password: str, user: User) -> None:
    try:
        citizen_password_check(password, user)
    except ValidationError as exc:
        messages = list(exc.messages)
        raise InvalidInput(" ".join(messages), detail=[{"field": "password", "message": m} for m in messages])


@transaction.atomic
def citizen_register(
    *,
    identifier: str,
    password: str,
    details: CitizenDetails,
    username: str = "",
    preverified: bool = False,
    request=None,
) -> User:
    """Open a citizen account signed in by `identifier` (an e-mail or a phone) and send its verification.

    The e-mail gets a signed link, the phone a one-time SMS code (through the outbox). `username` and `preverified`
    are reserved for set-up commands (loaddemo): the account is then verified at once and nothing is sent.
    """
    ident = citizen_identifier(identifier)
    contact_field = "email" if ident.channel == "email" else "phone"
    details = CitizenDetails(**{**details.__dict__, contact_field: ident.value}).cleaned()
    username = (username or ident.value).strip()
    email, phone = (details.email, "") if ident.channel == "email" else ("", details.phone)
    taken = Q(username__iexact=username) | _verified_contact_q(email=email, phone=phone)
    if User.objects.filter(taken).exists():  # a contact verified by another account signs that account in
        raise InvalidInput(
            _("Thư điện tử hoặc số điện thoại này đã được dùng để đăng ký. Hãy đăng nhập, hoặc dùng chức năng "
              "quên mật khẩu."),
            detail=[{"field": "identifier", "message": _("Đã có tài khoản đăng ký bằng thông tin này.")}],
        )
    user = User(username=username, full_name=_display_name(details.name), email=details.email, phone=details.phone)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    now = clock.now()
    profile = CitizenProfile.objects.create(
        user=user, kind=details.kind, name=details.name, id_number=details.id_number, phone=details.phone,
        email=details.email, address=details.address,
        email_verified_at=now if preverified and details.email else None,
        phone_verified_at=now if preverified and details.phone else None,
    )
    audit_record(actor=user if request is not None else None, action="citizen.register", obj=user,
                 summary=username, detail={"channel": ident.channel, "kind": details.kind}, request=request)
    if not preverified:
        _send_verification(profile, ident.channel)
    return user


def email_token(profile: CitizenProfile) -> str:
    """A signed, timestamped token naming the account and the e-mail it verifies (a changed e-mail voids it)."""
    return signing.dumps({"u": profile.user_id, "e": profile.email}, salt=EMAIL_TOKEN_SALT, compress=True)


def _send_verification(profile: CitizenProfile, channel: str) -> str:
    from motcua.notifications.services import notification_enqueue

    if channel == "email":
        if not profile.email:
            raise InvalidInput(_("Tài khoản chưa có thư điện tử để xác thực."))
        link = _public_url(f"/tai-khoan/xac-thuc/{email_token(profile)}/")
        hours = _setting("CITIZEN_VERIFY_EMAIL_MAX_AGE", DEFAULT_VERIFY_EMAIL_MAX_AGE) // 3600
        notification_enqueue(
            channel="email", recipient=profile.email, kind="citizen.verify_email",
            subject=_("Xác thực tài khoản dịch vụ công"),
            body=_("Chào %(name)s,\n\nĐể xác thực tài khoản dịch vụ công, hãy mở liên kết sau (có hiệu lực "
                   "%(hours)d giờ):\n%(link)s\n\nNếu bạn không đăng ký, hãy bỏ qua thư này.")
            % {"name": profile.name, "hours": hours, "link": link},
            object_type="citizen", object_id=str(profile.user_id),
        )
        return "email"
    if not profile.phone:
        raise InvalidInput(_("Tài khoản chưa có số điện thoại để xác thực."))
    code = f"{secrets.randbelow(10**6):06d}"
    profile.phone_code_hash = _phone_code_hash(profile, code)
    profile.phone_code_sent_at = clock.now()
    profile.phone_code_tries = 0
    profile.save(update_fields=["phone_code_hash", "phone_code_sent_at", "phone_code_tries", "updated_at"])
    minutes = _setting("CITIZEN_SMS_CODE_MAX_AGE", DEFAULT_SMS_CODE_MAX_AGE) // 60
    notification_enqueue(
        channel="sms", recipient=profile.phone, kind="citizen.verify_phone",
        body=_("Mã xác thực tài khoản dịch vụ công của bạn là %(code)s (hiệu lực %(minutes)d phút). "
               "Không cung cấp mã này cho người khác.") % {"code": code, "minutes": minutes},
        object_type="citizen", object_id=str(profile.user_id),
    )
    return "sms"


def _phone_code_hash(profile: CitizenProfile, code: str) -> str:
    return salted_hmac(PHONE_CODE_SALT, f"{profile.user_id}:{profile.phone}:{code}", algorithm="sha256").hexdigest()


def _profile_of(user) -> CitizenProfile:
    profile = CitizenProfile.objects.select_for_update().filter(user_id=getattr(user, "pk", None)).first()
    if profile is None:
        raise PermissionDenied(_("Đây không phải tài khoản công dân."))
    return profile


@transaction.atomic
def citizen_verification_send(*, user, channel: str = "", request=None) -> str:
    """Send (again) the e-mail link or the SMS code of an unverified account; answers the channel used."""
    profile = _profile_of(user)
    if profile.is_verified:
        raise Conflict(_("Tài khoản đã được xác thực."))
    channel = channel or ("email" if profile.email and user.username == profile.email else
                          "sms" if profile.phone else "email")
    used = _send_verification(profile, channel)
    audit_record(actor=user, action="citizen.verification_send", obj=user, detail={"channel": used},
                 request=request)
    return used


@transaction.atomic
def citizen_verify_email(*, token: str, request=None) -> User:
    """Mark the e-mail named in a link's signed token as verified; a tampered, expired or stale link is refused."""
    max_age = _setting("CITIZEN_VERIFY_EMAIL_MAX_AGE", DEFAULT_VERIFY_EMAIL_MAX_AGE)
    try:
        data = signing.loads(token, salt=EMAIL_TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidInput(_("Liên kết xác thực đã hết hạn. Hãy đăng nhập và yêu cầu gửi lại liên kết mới."))
    except signing.BadSignature:
        raise InvalidInput(_("Liên kết xác thực không hợp lệ. Hãy mở đúng liên kết trong thư, hoặc yêu cầu gửi lại."))
    profile = CitizenProfile.objects.select_for_update().select_related("user").filter(user_id=data.get("u")).first()
    if profile is None or not profile.email or profile.email != data.get("e"):
        raise InvalidInput(_("Liên kết xác thực không còn dùng được (thư điện tử của tài khoản đã thay đổi)."))
    if profile.email_verified_at is None:
        profile.email_verified_at = clock.now()
        profile.save(update_fields=["email_verified_at", "updated_at"])
        audit_record(actor=profile.user, action="citizen.verify_email", obj=profile.user, summary=profile.email,
                     request=request)
    return profile.user


def citizen_verify_phone(*, user, code: str, request=None) -> None:
    """Check the SMS code: right, not expired and within the allowed wrong tries; then the phone is verified.

    A wrong code counts against the code's tries (that count is committed before the refusal is raised).
    """
    problem = _phone_code_check(user=user, code=code, request=request)
    if problem:
        raise InvalidInput(problem, detail=[{"field": "code", "message": problem}])


@transaction.atomic
def _phone_code_check(*, user, code: str, request=None) -> str:
    profile = _profile_of(user)
    code = "".join((code or "").split())
    max_age = _setting("CITIZEN_SMS_CODE_MAX_AGE", DEFAULT_SMS_CODE_MAX_AGE)
    tries = _setting("CITIZEN_SMS_CODE_TRIES", DEFAULT_SMS_CODE_TRIES)
    if not profile.phone_code_hash or profile.phone_code_sent_at is None:
        return _("Chưa có mã xác thực nào được gửi. Hãy bấm gửi mã.")
    if (clock.now() - profile.phone_code_sent_at).total_seconds() > max_age:
        return _("Mã xác thực đã hết hạn. Hãy bấm gửi lại mã mới.")
    if profile.phone_code_tries >= tries:
        return _("Đã nhập sai quá số lần cho phép. Hãy bấm gửi lại mã mới.")
    if not constant_time_compare(_phone_code_hash(profile, code), profile.phone_code_hash):
        profile.phone_code_tries += 1
        profile.save(update_fields=["phone_code_tries", "updated_at"])
        return _("Mã xác thực không đúng. Còn %(left)d lần thử.") % {"left": max(tries - profile.phone_code_tries, 0)}
    profile.phone_verified_at = clock.now()
    profile.phone_code_hash = ""
    profile.phone_code_tries = 0
    profile.save(update_fields=["phone_verified_at", "phone_code_hash", "phone_code_tries", "updated_at"])
    audit_record(actor=user, action="citizen.verify_phone", obj=user, summary=profile.phone, request=request)
    return ""


def _citizen_by_identifier(raw: str) -> User | None:
    username = login_username(raw)
    if not username:
        return None
    return (User.objects.filter(username__iexact=username, is_active=True, citizen_profile__isnull=False)
            .select_related("citizen_profile").first())


@transaction.atomic
def citizen_password_reset_request(*, identifier: str, request=None) -> None:
    """Send a password-reset link to the citizen signed in by `identifier` (e-mail, or SMS to the phone).

    Says nothing about whether such an account exists: an unknown identifier quietly sends nothing.
    """
    from motcua.notifications.services import notification_enqueue

    user = _citizen_by_identifier(identifier)
    if user is None:
        return
    profile = user.citizen_profile
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = _public_url(f"/tai-khoan/dat-lai-mat-khau/{uid}/{default_token_generator.make_token(user)}/")
    hours = _setting("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600) // 3600
    to_phone = user.username == profile.phone or (not profile.email and profile.phone)
    if to_phone:
        notification_enqueue(
            channel="sms", recipient=profile.phone, kind="citizen.password_reset", object_type="citizen",
            object_id=str(user.pk),
            body=_("Đặt lại mật khẩu tài khoản dịch vụ công (hiệu lực %(hours)d giờ): %(link)s")
            % {"hours": hours, "link": link})
    elif profile.email:
        notification_enqueue(
            channel="email", recipient=profile.email, kind="citizen.password_reset", object_type="citizen",
            object_id=str(user.pk), subject=_("Đặt lại mật khẩu tài khoản dịch vụ công"),
            body=_("Chào %(name)s,\n\nĐể đặt mật khẩu mới, hãy mở liên kết sau (có hiệu lực %(hours)d giờ):\n"
                   "%(link)s\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu cũ vẫn dùng được.")
            % {"name": profile.name, "hours": hours, "link": link})
    else:
        return
    audit_record(actor=None, action="citizen.password_reset_request", obj=user,
                 detail={"channel": "sms" if to_phone else "email"}, request=request)


@transaction.atomic
def citizen_password_set(*, user, password: str, request=None) -> None:
    """Set a citizen's new password (after a reset link or from the profile), checked against the citizen rules."""
    profile = _profile_of(user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="citizen.password_set", obj=user, summary=profile.user.username,
                 request=request)


@transaction.atomic
def citizen_profile_update(*, user, details: CitizenDetails, request=None) -> CitizenProfile:
    """Save the applicant details of the profile. A changed e-mail or phone has to be verified again."""
    profile = _profile_of(user)
    details = details.cleaned()
    changed = [f for f in ("kind", "name", "id_number", "phone", "email", "address")
               if getattr(profile, f) != getattr(details, f)]
    if not changed:
        return profile
    if user.username == profile.email and not details.email:
        raise InvalidInput(_("Không thể xoá thư điện tử dùng để đăng nhập."),
                           detail=[{"field": "email", "message": _("Thư điện tử này dùng để đăng nhập.")}])
    if user.username == profile.phone and not details.phone:
        raise InvalidInput(_("Không thể xoá số điện thoại dùng để đăng nhập."),
                           detail=[{"field": "phone", "message": _("Số điện thoại này dùng để đăng nhập.")}])
    if "email" in changed:
        profile.email_verified_at = None
    if "phone" in changed:
        profile.phone_verified_at = None
        profile.phone_code_hash = ""
    for field in changed:
        setattr(profile, field, getattr(details, field))
    profile.save()
    User.objects.filter(pk=user.pk).update(full_name=_display_name(details.name), email=details.email,
                                           phone=details.phone)
    audit_record(actor=user, action="citizen.profile_update", obj=user, detail={"fields": changed}, request=request)
    return profile


# --- an external identity provider (OIDC, e.g. VNeID) ----------------------------------------------------------


def _claim(claims: dict, setting: str, default: str) -> str:
    value = claims.get(_setting(setting, default))
    return str(value).strip() if value not in (None, "") else ""


def _verified_claim(claims: dict, name: str) -> bool:
    value = claims.get(name)
    return value is True or str(value).lower() == "true"


def _linkable(users):
    """Citizens only: never a staff account, a superuser or anyone holding a role."""
    return users.filter(citizen_profile__isnull=False, is_staff=False, is_superuser=False, grants__isnull=True,
                        is_active=True)


@transaction.atomic
def citizen_oidc_login(*, claims: dict, request=None) -> User:
    """The citizen account of someone the identity provider vouched for: found, linked, or created.

    Matching, in order: the provider's subject already linked; then an account whose e-mail is verified here and
    equals the provider's verified e-mail; then an account with the same ID number whose verified phone or e-mail
    equals the provider's (a self-declared ID number alone never links: someone could have typed another's number).
    Staff accounts are never matched. Anything else creates a new citizen account, verified by the provider.
    Raises PermissionDenied when the provider gives no subject.
    """
    from motcua.notifications.services import normalise_email, normalise_phone

    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise PermissionDenied(_("Nhà cung cấp định danh không trả về mã người dùng."))
    email = ""
    if claims.get("email") and _verified_claim(claims, "email_verified"):
        try:
            email = normalise_email(str(claims["email"])).lower()
        except InvalidInput:
            email = ""
    phone = ""
    if claims.get("phone_number") and _verified_claim(claims, "phone_number_verified"):
        try:
            phone = normalise_phone(str(claims["phone_number"]))
        except InvalidInput:
            phone = ""
    id_number = _claim(claims, "OIDC_CLAIM_ID_NUMBER", "id_number")
    name = _claim(claims, "OIDC_CLAIM_NAME", "name") or " ".join(
        p for p in (str(claims.get("family_name") or ""), str(claims.get("given_name") or "")) if p)
    now = clock.now()

    users = _linkable(User.objects.select_for_update(of=("self",)))  # lock the users, not the joined rows
    user, how = users.filter(citizen_profile__oidc_subject=subject).first(), "subject"
    unlinked = users.filter(citizen_profile__oidc_subject="")  # an account linked to another identity stays so
    if user is None and email:
        user, how = unlinked.filter(citizen_profile__email=email,
                                    citizen_profile__email_verified_at__isnull=False).first(), "email"
    if user is None and id_number and (email or phone):
        contact = _verified_contact_q(email=email, phone=phone)
        user, how = unlinked.filter(contact, citizen_profile__id_number=id_number).first(), "id_number"
    if user is None and CitizenProfile.objects.filter(oidc_subject=subject).exists():
        # Linked to an account that may no longer sign in (deactivated, or now staff): refuse, never a second one.
        raise PermissionDenied(_("Tài khoản gắn với định danh này đã bị khóa hoặc không còn là tài khoản công dân; "
                                 "hãy liên hệ bộ phận hỗ trợ."))
    if user is not None:
        profile = user.citizen_profile
        profile.oidc_subject = subject
        profile.identity_verified_at = now
        if id_number:  # the provider's number replaces one typed by hand
            profile.id_number = id_number[:20]
        profile.save(update_fields=["oidc_subject", "identity_verified_at", "id_number", "updated_at"])
        audit_record(actor=user, action="citizen.oidc_login", obj=user, detail={"matched_by": how}, request=request)
        return user

    username = "dinhdanh-" + hashlib.sha256(subject.encode()).hexdigest()[:24]
    user = User(username=username, full_name=_display_name(name or username), email=email, phone=phone)
    user.set_unusable_password()
    user.save()
    CitizenProfile.objects.create(
        user=user, kind=CitizenKind.PERSON, name=name or username, id_number=id_number[:20], phone=phone,
        email=email, oidc_subject=subject, identity_verified_at=now,
        email_verified_at=now if email else None, phone_verified_at=now if phone else None,
    )
    audit_record(actor=user, action="citizen.oidc_register", obj=user, summary=username, request=request)
    return user


def _verified_contact_q(*, email: str, phone: str) -> Q:
    q = Q(pk__in=[])
    if email:
        q |= Q(citizen_profile__email=email, citizen_profile__email_verified_at__isnull=False)
    if phone:
        q |= Q(citizen_profile__phone=phone, citizen_profile__phone_verified_at__isnull=False)
    return q
