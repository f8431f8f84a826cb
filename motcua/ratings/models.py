"""Ratings of a dossier's handling, the one-time links that invite them and the follow-up of unhappy ones.

The three questions are those of LEGAL.md "Evaluating how procedures are handled" (Decree 61/2018 ch. V, Circular
01/2018): the two satisfaction questions (convenience; overall) and the officials' attitude (indicator 7), on the
five-level scale some provinces use. Their share of satisfied answers feeds the satisfaction group of the service
index (LEGAL.md "Service index (QĐ 766)"). Rows are written only by `ratings.services`.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The five-level scale; 1–2 count as satisfied, 4–5 as unhappy (flagged to the agency's leader)."""

    VERY_SATISFIED = 1, _("Rất hài lòng")
    SATISFIED = 2, _("Hài lòng")
    NEUTRAL = 3, _("Bình thường")
    DISSATISFIED = 4, _("Không hài lòng")
    VERY_DISSATISFIED = 5, _("Rất không hài lòng")


SATISFIED_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED)
UNHAPPY_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class RatingChannel(models.TextChoices):
    LINK = "link", _("Đường dẫn gửi qua thư điện tử/tin nhắn")
    ACCOUNT = "account", _("Tài khoản dịch vụ công")
    KIOSK = "kiosk", _("Thiết bị tại Bộ phận Một cửa")


# The three questions, in the order the forms ask them: (field name, question).
QUESTIONS = (
    ("convenience", _("Ông/bà có hài lòng về sự thuận tiện khi thực hiện thủ tục này không?")),
    ("overall", _("Ông/bà hài lòng như thế nào về kết quả và toàn bộ quá trình giải quyết hồ sơ?")),
    ("attitude", _("Thái độ phục vụ của cán bộ, công chức đối với ông/bà như thế nào?")),
)


class Rating(models.Model):
    """One applicant's rating of one dossier on one channel (a database constraint keeps it to one)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="ratings")
    channel = models.CharField(_("kênh đánh giá"), max_length=8, choices=RatingChannel.choices)
    convenience = models.PositiveSmallIntegerField(_("sự thuận tiện"), choices=Level.choices)
    overall = models.PositiveSmallIntegerField(_("hài lòng chung"), choices=Level.choices)
    attitude = models.PositiveSmallIntegerField(_("thái độ cán bộ"), choices=Level.choices)
    comment = models.TextField(_("ý kiến khác"), blank=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="ratings",
                               verbose_name=_("cơ quan được đánh giá"))
    officials = models.ManyToManyField(settings.AUTH_USER_MODEL, through="RatedOfficial", related_name="+")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    at = models.DateTimeField(_("thời điểm đánh giá"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "channel"], name="rating_one_per_dossier_channel")]
        indexes = [models.Index(fields=["agency", "at"])]
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self):
        return f"{self.dossier_id}:{self.channel}"

    @property
    def unhappy(self) -> bool:
        return any(getattr(self, name) in UNHAPPY_LEVELS for name, _q in QUESTIONS)


class RatedOfficial(models.Model):
    """An official a rating concerns, with the agency they served the dossier for (per-official rates)."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="rated_officials")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "official"], name="rated_official_once")]
        indexes = [models.Index(fields=["official", "agency"])]


class Invitation(models.Model):
    """A one-time rating link: only the SHA-256 of its random token is kept; it expires and is used once."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="rating_invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class FlagState(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    DONE = "done", _("Đã xử lý")


class Flag(models.Model):
    """An unhappy rating ("không hài lòng"), flagged to the agency's leader for follow-up."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="flag")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("lãnh đạo được giao"))
    state = models.CharField(_("trạng thái"), max_length=8, choices=FlagState.choices, default=FlagState.OPEN)
    created_at = models.DateTimeField()
    note = models.TextField(_("kết quả xử lý"), blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["state", "-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "state"])]
