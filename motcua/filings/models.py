"""Drafts of online filings, the files held in them, the citizen's document store, and reuse records.

Rows are written only by `filings.services` (STYLE habit 1). Every file's SHA-256 is stored at upload and checked
when it is read back (DESIGN "Failure and scale").
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import ApplicantType
from motcua.dossiers.models import Delivery


class DraftStatus(models.TextChoices):
    OPEN = "open", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")


class Draft(models.Model):
    """A citizen's e-form for one procedure version, saved as often as they like until they submit it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filing_drafts")
    procedure_version = models.ForeignKey("catalogue.ProcedureVersion", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("cơ quan giải quyết"))
    status = models.CharField(max_length=12, choices=DraftStatus.choices, default=DraftStatus.OPEN)
    applicant_type = models.CharField(_("đối tượng"), max_length=16, choices=ApplicantType.choices,
                                      default=ApplicantType.CITIZEN)
    applicant_name = models.CharField(_("tên người nộp"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("số định danh"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    delivery = models.CharField(_("hình thức nhận kết quả"), max_length=8, choices=Delivery.choices,
                                default=Delivery.ONLINE)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="filing_draft")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "status", "updated_at"])]
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")

    def __str__(self):
        return f"{self.procedure_version.name} ({self.owner})"


def _draft_path(instance, filename):
    return f"filings/drafts/{instance.draft_id}/{instance.sha256[:16]}-{filename}"


class DraftFile(models.Model):
    """One document for one component of a draft: a new upload, or a stored document chosen for reuse."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("catalogue.Component", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_draft_path, max_length=300, blank=True)
    stored_document = models.ForeignKey("StoredDocument", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]

    @property
    def reused(self) -> bool:
        return self.stored_document_id is not None


class DocumentKind(models.TextChoices):
    UPLOADED = "uploaded", _("Giấy tờ đã nộp")
    RESULT = "result", _("Kết quả điện tử")


class StoredDocument(models.Model):
    """A document in the citizen's store (Decree 45/2020/NĐ-CP "kho dữ liệu"): what they uploaded or received.

    The file is the dossier attachment's own stored file (no second copy); its SHA-256 is checked on every read.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stored_documents")
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(_("loại"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    source_dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "kind", "sha256"], name="unique_stored_document")]
        verbose_name = _("giấy tờ đã lưu")
        verbose_name_plural = _("giấy tờ đã lưu")

    def __str__(self):
        return self.name


class DocumentReuse(models.Model):
    """A stored document that served a component of a dossier instead of a new upload (the 766 index counts it)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="document_reuses")
    component = models.ForeignKey("dossiers.DossierComponent", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    stored_document = models.ForeignKey(StoredDocument, on_delete=models.PROTECT, related_name="reuses")
    attachment = models.ForeignKey("dossiers.Attachment", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
