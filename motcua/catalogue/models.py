"""Procedures and their versions: what to submit, fees, time limits, process templates.

A `Procedure` is the stable identity (its national code); each edit of a published procedure makes a new
`ProcedureVersion`, and a dossier keeps the version in force when it was received (DESIGN "Change over time").
"""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    INFO = "info", _("Cung cấp thông tin")


class ApplicantType(models.TextChoices):
    # National portal codes 1–4 (LEGAL.md "Statuses known to the national portal").
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    AGENCY = "agency", _("Cơ quan nhà nước")
    ORGANISATION = "organisation", _("Tổ chức khác")


class ResultKind(models.TextChoices):
    LICENCE = "licence", _("Giấy phép")
    CERTIFICATE = "certificate", _("Giấy chứng nhận")
    COPY = "copy", _("Bản sao")
    DECISION = "decision", _("Quyết định")
    REGISTRATION = "registration", _("Đăng ký")
    CARD = "card", _("Thẻ")
    DOCUMENT = "document", _("Văn bản")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")
    RETIRED = "retired", _("Hết hiệu lực")


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận")
    REVIEW = "review", _("Thẩm định, xử lý")
    APPROVE = "approve", _("Phê duyệt")
    INTER_AGENCY = "inter_agency", _("Liên thông")
    RETURN = "return", _("Trả kết quả")


class FeeMoment(models.TextChoices):
    INTAKE = "intake", _("Khi nộp hồ sơ")
    RETURN = "return", _("Khi nhận kết quả")


class Field(models.Model):
    """Lĩnh vực: the sector a procedure belongs to."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name


class Procedure(models.Model):
    """The procedure's identity. `current` points at the published version (or the first draft)."""

    code = models.CharField(_("mã thủ tục"), max_length=64, unique=True)
    current = models.OneToOneField(
        "ProcedureVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self):
        return self.code


class ProcedureVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=VersionStatus.choices, db_index=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("lĩnh vực"))
    at_province = models.BooleanField(_("cấp tỉnh"), default=False)
    at_district = models.BooleanField(_("cấp huyện"), default=False)
    at_commune = models.BooleanField(_("cấp xã"), default=False)
    agencies = models.ManyToManyField(
        "agencies.Agency", related_name="procedure_versions", verbose_name=_("cơ quan thực hiện"), blank=True
    )
    legal_limit = models.DecimalField(_("thời hạn giải quyết theo quy định"), max_digits=7, decimal_places=2)
    committed_limit = models.DecimalField(_("thời hạn giải quyết cam kết"), max_digits=7, decimal_places=2)
    limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=LimitUnit.choices)
    online_level = models.CharField(_("mức dịch vụ công trực tuyến"), max_length=8, choices=OnlineLevel.choices)
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=500)
    result_kind = models.CharField(_("loại kết quả"), max_length=16, choices=ResultKind.choices)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    description = models.TextField(_("trình tự thực hiện"), blank=True)
    # Folded (lower-case, no diacritics) keys written by services: name alone ranks first; the rest widens recall.
    name_key = models.CharField(max_length=600, editable=False, default="")
    search_key = models.TextField(editable=False, default="")
    valid_from = models.DateTimeField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateTimeField(_("hiệu lực đến"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        ordering = ["procedure__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="unique_procedure_version")]
        indexes = [models.Index(fields=["status", "name_key"], name="catalogue_status_name_idx")]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")

    def __str__(self):
        return f"{self.name} (v{self.number})"

    @property
    def code(self) -> str:
        return self.procedure.code

    @property
    def levels(self) -> list[str]:
        return [
            level for level, flag in (
                (Level.PROVINCE, self.at_province), (Level.DISTRICT, self.at_district), (Level.COMMUNE, self.at_commune)
            ) if flag
        ]

    def committed_hours(self) -> Decimal | None:
        """The committed limit in working hours (None for calendar days, which are not working time)."""
        if self.limit_unit == LimitUnit.WORKING_DAYS:
            return self.committed_limit * 8
        if self.limit_unit == LimitUnit.WORKING_HOURS:
            return self.committed_limit
        return None


class Component(models.Model):
    """Thành phần hồ sơ: one document the applicant submits."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    required = models.BooleanField(_("bắt buộc"), default=True)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalogue/templates/", blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name


class Fee(models.Model):
    """Phí, lệ phí: an amount in đồng paid per dossier."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    collected = models.CharField(_("thời điểm thu"), max_length=8, choices=FeeMoment.choices, default=FeeMoment.INTAKE)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self):
        return f"{self.name}: {self.amount} đ"


class Step(models.Model):
    """One step of the internal process template (quy trình nội bộ), with its allotted working hours."""

    SELF = "@self"

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên bước"), max_length=255)
    kind = models.CharField(_("loại bước"), max_length=16, choices=StepKind.choices)
    # Null owner agency = the implementing agency that handles the dossier ("@self").
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("đơn vị thực hiện"),
    )
    role = models.CharField(_("vai trò"), max_length=32)
    hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self):
        return self.name
