"""The agency: one node of the organisation tree, with a materialised path for subtree queries."""
from django.db import models
from django.utils.translation import gettext_lazy as _

PATH_STEP = 6  # digits per level in Agency.path: "000001.000007.000042."


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("UBND cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")
    DIVISION = "division", _("Phòng, đơn vị trực thuộc")
    DESK = "desk", _("Bộ phận tiếp nhận và trả kết quả")


class AgencyQuerySet(models.QuerySet):
    def subtree_of(self, agency: "Agency") -> "AgencyQuerySet":
        """The agency and everything under it: one indexed prefix match on the path."""
        return self.filter(path__startswith=agency.path)

    def active(self, on=None) -> "AgencyQuerySet":
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class Agency(models.Model):
    code = models.CharField(_("mã định danh điện tử"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT, verbose_name=_("cấp trên")
    )
    # Materialised path of zero-padded ids from the root, ending with a dot; written only by services.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, related_name="predecessors", on_delete=models.PROTECT,
        verbose_name=_("đơn vị kế thừa"),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")

    def __str__(self):
        return self.name

    @property
    def is_desk(self) -> bool:
        return self.kind == AgencyKind.DESK

    def contains(self, other: "Agency") -> bool:
        """True if `other` is this agency or lies under it."""
        return bool(self.path) and other.path.startswith(self.path)
