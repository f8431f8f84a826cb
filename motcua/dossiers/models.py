"""The dossier and everything recorded about it: components received, steps, events, pauses, papers, files.

Rows are written only by `dossiers.services`; the dossier queryset refuses bulk update/delete, and events are
append-only (STYLE habits 3 and 5).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import ApplicantType
from motcua.dossiers.workflow import Action, Status
from motcua.history import AppendOnlyModel


class NoBulkQuerySet(models.QuerySet):
    """No side doors: bulk update or delete would skip the event log and the audit."""

    def update(self, **kwargs):
        raise TypeError("Dossier rows change only through motcua.dossiers.services.")

    def delete(self):
        raise TypeError("Dossier rows are never deleted.")


class Channel(models.TextChoices):
    DESK = "desk", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Qua bưu chính")


class Delivery(models.TextChoices):
    DESK = "desk", _("Nhận tại Bộ phận Một cửa")
    POST = "post", _("Qua dịch vụ bưu chính")
    ONLINE = "online", _("Nhận trực tuyến")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=48, unique=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change, for 'changed by someone'.")
    procedure_version = models.ForeignKey("catalogue.ProcedureVersion", on_delete=models.PROTECT,
                                          related_name="dossiers")
    rule_set = models.CharField(max_length=16)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, db_index=True)
    channel = models.CharField(_("hình thức nộp"), max_length=8, choices=Channel.choices)
    desk = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="received_dossiers",
                             verbose_name=_("nơi tiếp nhận"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="lead_dossiers",
                               verbose_name=_("cơ quan giải quyết"))
    current_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                                       null=True, blank=True)
    current_step = models.ForeignKey("DossierStep", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="own_dossiers")

    applicant_type = models.CharField(_("đối tượng"), max_length=16, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("tên người nộp"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh"), max_length=20, db_index=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True, db_index=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_key = models.CharField(max_length=255, db_index=True, default="", editable=False)

    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    delivery = models.CharField(_("hình thức nhận kết quả"), max_length=8, choices=Delivery.choices)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True, db_index=True)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    legal_due_at = models.DateTimeField(_("hạn theo quy định"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True, db_index=True)
    extended_due_at = models.DateTimeField(_("ngày hẹn lại"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    resume_status = models.CharField(max_length=24, blank=True)
    completed_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("kết quả đúng hạn"), max_length=8, choices=Outcome.choices, blank=True)
    closing_reason = models.TextField(blank=True)
    return_note = models.CharField(max_length=255, blank=True)
    postal_tracking = models.CharField(max_length=64, blank=True)
    # Results by post (QĐ 45/2016/QĐ-TTg): the fee the applicant pays the post, the handover and the delivery.
    postal_fee = models.PositiveBigIntegerField(_("cước bưu chính (đồng)"), default=0)
    posted_at = models.DateTimeField(_("ngày chuyển bưu chính"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("ngày bưu chính phát"), null=True, blank=True)
    logbook_number = models.PositiveIntegerField(default=0)

    objects = NoBulkQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["desk", "received_at"]),
            models.Index(fields=["current_agency", "status"]),
            models.Index(fields=["due_at"], condition=models.Q(status__in=["received", "in_progress"]),
                         name="dossier_open_due"),
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self):
        return self.code

    @property
    def national_status(self) -> int:
        from motcua.dossiers.workflow import NATIONAL_CODE

        return NATIONAL_CODE[self.status]

    @property
    def supplement_count(self) -> int:
        """1 once a supplement was requested, else 0: read from the one representation, the `SupplementRequest`."""
        from motcua.dossiers.policy import supplement_requested

        return int(supplement_requested(self))

    @property
    def apology_count(self) -> int:
        """1 once the agency apologised with a new date, else 0: read from the dossier's `Apology`."""
        from motcua.dossiers.policy import apologised

        return int(apologised(self))

    @property
    def effective_due_at(self):
        """The appointment the applicant holds now: the apology's new date if one was given."""
        return self.extended_due_at or self.due_at


class DossierComponent(models.Model):
    """A document received with the dossier, with the counts the desk ticked."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="components")
    component = models.ForeignKey("catalogue.Component", on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=500)
    originals = models.PositiveSmallIntegerField(default=0)
    certified_copies = models.PositiveSmallIntegerField(default=0)
    photocopies = models.PositiveSmallIntegerField(default=0)

    objects = NoBulkQuerySet.as_manager()

    class Meta:
        ordering = ["id"]


class StepState(models.TextChoices):
    PENDING = "pending", _("Chưa đến")
    ACTIVE = "active", _("Đang xử lý")
    DONE = "done", _("Đã xong")
    SKIPPED = "skipped", _("Bỏ qua")


class DossierStep(models.Model):
    """One step of the dossier's own copy of the process template, with who did it and when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="dossier_steps")
    role = models.CharField(max_length=32)
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    state = models.CharField(max_length=8, choices=StepState.choices, default=StepState.PENDING)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assigned_steps")
    planned_due_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)  # when the step was handed over (a real moment)
    clock_started_at = models.DateTimeField(null=True, blank=True)  # when its working-time clock started
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    objects = NoBulkQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["agency", "state", "due_at"]),
                   models.Index(fields=["assignee", "state"]),
                   # The work queues read only active steps: a small partial index in queue order.
                   # (covering the assignee on PostgreSQL, so the queue is read from the index alone).
                   models.Index(fields=["agency", "due_at", "id"], include=["assignee"],
                                condition=models.Q(state="active"), name="dossierstep_active_queue")]


class DossierEvent(AppendOnlyModel):
    """One change of a dossier: appended in the same transaction as the change, never edited."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    action = models.CharField(max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    step = models.ForeignKey(DossierStep, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")


class Pause(models.Model):
    """A stretch during which the clock is stopped, with its lawful reason."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(max_length=12, choices=PauseKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = NoBulkQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "id"]


class SupplementRequest(models.Model):
    """Mẫu 02: what the applicant must add or fix. At most one per dossier (LEGAL "Supplement once")."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="supplement_request")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=list)
    reason = models.TextField()
    contact = models.CharField(max_length=255, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = NoBulkQuerySet.as_manager()


class Apology(models.Model):
    """Mẫu 04: the apology and the new appointment. At most one per dossier (LEGAL "Apology when late")."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="apology")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    original_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()

    objects = NoBulkQuerySet.as_manager()


class DossierFee(models.Model):
    """A fee owed on the dossier (from the procedure, or a financial obligation requested later)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="fees")
    name = models.CharField(max_length=255)
    amount = models.PositiveBigIntegerField()
    paid_at = models.DateTimeField(null=True, blank=True)
    receipt_number = models.CharField(max_length=64, blank=True)

    objects = NoBulkQuerySet.as_manager()

    class Meta:
        ordering = ["id"]


class AttachmentKind(models.TextChoices):
    SCAN = "scan", _("Bản quét thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Tài liệu bổ sung")
    RESULT = "result", _("Kết quả giải quyết")
    DRAFT = "draft", _("Dự thảo kết quả")


def _attachment_path(instance, filename):
    # By the dossier's id, not its code: an intake's files are stored before it takes its number (services).
    return f"dossiers/{instance.dossier_id}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    """A file kept with the dossier; its SHA-256 is stored at upload and checked at every download."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=12, choices=AttachmentKind.choices)
    component = models.ForeignKey(DossierComponent, on_delete=models.PROTECT, null=True, blank=True)
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    # An electronic result signed at approval: which agency's key signed it, and when (docs/results.md).
    signed_by = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    objects = NoBulkQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]


class DailyCounter(models.Model):
    """The last number given at a desk in a period (a day for codes, a year for the logbook).

    Taken under a row lock inside the intake transaction, so numbers are unique, consecutive and never reused.
    """

    DAY, YEAR = "day", "year"

    desk = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=4, default=DAY)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desk", "period", "day"], name="unique_desk_period_counter")]
