"""Feedback items (phản ánh, kiến nghị), their attachments and their append-only history."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.feedback.workflow import Action, Status
from motcua.history import AppendOnlyModel


class Kind(models.TextChoices):
    """What the feedback is about (Decree 20/2008/NĐ-CP art. 3: regulations; Decision 1908 II.2.e)."""

    REGULATION = "regulation", _("Về quy định hành chính")
    HANDLING = "handling", _("Về việc giải quyết hồ sơ, thủ tục")
    OFFICIAL = "official", _("Về hành vi, thái độ của cán bộ, công chức")
    OTHER = "other", _("Khác")


class Source(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    ACCOUNT = "account", _("Tài khoản công dân")
    RATING = "rating", _("Đánh giá không hài lòng")


class FeedbackItem(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=24, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices, default=Source.PORTAL)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    version = models.PositiveIntegerField(default=1)

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="feedback_items")
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=255, blank=True)
    sender_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    hide_name = models.BooleanField(_("không công khai tên"), default=False)
    check_digits = models.CharField(max_length=4, editable=False)

    procedure = models.ForeignKey("catalogue.Procedure", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="feedback_items", verbose_name=_("thủ tục"))
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="feedback_items", verbose_name=_("hồ sơ"))
    rating = models.OneToOneField("ratings.Rating", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="feedback_item")
    suggested_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("cơ quan người gửi chọn"))
    receiver_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("cơ quan tiếp nhận"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="feedback_items", verbose_name=_("cơ quan xử lý"))
    private = models.BooleanField(_("không công khai"), default=False)
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(_("lý do"), blank=True)  # of a refusal, a request for information, a forward
    info_request = models.TextField(_("thông tin cần bổ sung"), blank=True)

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    # Deadlines, each in working time from workcal (LEGAL.md "Feedback and petitions").
    refuse_due = models.DateTimeField(_("hạn từ chối"), null=True, blank=True)
    info_due = models.DateTimeField(_("hạn đề nghị bổ sung"), null=True, blank=True)
    info_wait_until = models.DateTimeField(_("hạn người gửi bổ sung"), null=True, blank=True)
    forward_due = models.DateTimeField(_("hạn chuyển lại"), null=True, blank=True)
    handle_due = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    publish_due = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn của bước hiện tại"), null=True, blank=True, db_index=True)

    draft_text = models.TextField(_("dự thảo trả lời"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    answer_text = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_late = models.BooleanField(default=False)
    apologised_at = models.DateTimeField(null=True, blank=True)
    apology_text = models.TextField(blank=True)

    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True, db_index=True)
    published_question = models.TextField(_("câu hỏi công khai"), blank=True)
    published_answer = models.TextField(_("trả lời công khai"), blank=True)
    search_key = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["receiver_agency", "status"])]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self):
        return self.code


class FeedbackAttachment(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    def __str__(self):
        return self.original_name


class FeedbackEvent(AppendOnlyModel):
    """One change of a feedback item, never edited (motcua.history)."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    action = models.CharField(max_length=24, choices=Action.choices + [("receive", _("Tiếp nhận"))])
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("sự kiện phản ánh")
        verbose_name_plural = _("sự kiện phản ánh")

    def __str__(self):
        return f"{self.item_id}:{self.action}"
