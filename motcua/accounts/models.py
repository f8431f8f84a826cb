"""Staff users and their role grants in agencies."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.roles import Role


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
        verbose_name=_("đơn vị công tác"),
    )
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class RoleGrant(models.Model):
    """A role held by a user in an agency; it reaches that agency's subtree as the role allows (roles.ROLE_REACH)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "agency"], name="unique_role_grant")]
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} @ {self.agency.code}"


class CitizenKind(models.TextChoices):
    """Who holds a citizen account; the values are the dossier's applicant types (catalogue.ApplicantType)."""

    PERSON = "citizen", _("Cá nhân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")


class CitizenProfile(models.Model):
    """A citizen's or business's account details, saved to fill in applications (one per citizen user).

    A user with a profile is a citizen: it never holds a RoleGrant (accounts.services refuses one) and the portal's
    login is the only one it uses. The account is verified once the e-mail, the phone or an identity provider
    (OIDC) has confirmed it; only a verified citizen may file (`queries.user_is_verified_citizen`).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    kind = models.CharField(_("đối tượng"), max_length=16, choices=CitizenKind.choices, default=CitizenKind.PERSON)
    name = models.CharField(_("họ và tên / tên tổ chức"), max_length=255)
    id_number = models.CharField(_("số định danh cá nhân / mã số doanh nghiệp"), max_length=20, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=16, blank=True)  # +84 form
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)

    email_verified_at = models.DateTimeField(null=True, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)  # by the identity provider (VNeID)
    oidc_subject = models.CharField(max_length=255, blank=True)  # the provider's stable "sub" claim

    # The pending SMS code: only its keyed hash is kept, with when it was sent and how many wrong tries it had.
    phone_code_hash = models.CharField(max_length=128, blank=True)
    phone_code_sent_at = models.DateTimeField(null=True, blank=True)
    phone_code_tries = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["oidc_subject"], condition=~models.Q(oidc_subject=""),
                                    name="unique_citizen_oidc_subject"),
        ]
        indexes = [
            models.Index(fields=["email"], name="citizen_email_idx"),
            models.Index(fields=["phone"], name="citizen_phone_idx"),
            models.Index(fields=["id_number"], name="citizen_id_number_idx"),
        ]
        verbose_name = _("tài khoản công dân")
        verbose_name_plural = _("tài khoản công dân")

    def __str__(self):
        return f"{self.name} ({self.user.username})"

    @property
    def is_verified(self) -> bool:
        return bool(self.email_verified_at or self.phone_verified_at or self.identity_verified_at)
