"""SIPAS questionnaires (versioned), the one-time invitations that sample returned dossiers, and anonymous answers.

A response keeps the agency, the survey and the day only: no link back to the invitation or the dossier, so staff
cannot tell who answered (LEGAL.md "Satisfaction index"; Ministry of Home Affairs SIPAS methodology).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Element(models.TextChoices):
    """The five SIPAS elements."""

    ACCESS = "access", _("Tiếp cận dịch vụ")
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    OFFICIALS = "officials", _("Công chức giải quyết công việc")
    RESULT = "result", _("Kết quả giải quyết")
    FEEDBACK = "feedback", _("Tiếp nhận, xử lý phản ánh, kiến nghị")


class Survey(models.Model):
    code = models.CharField(_("mã bộ câu hỏi"), max_length=32)
    version = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tên"), max_length=255)
    scale = models.JSONField(_("thang đo"), default=list)  # labels, from the best (1) to the worst
    satisfied_levels = models.JSONField(default=list)  # the levels that count as satisfied
    active = models.BooleanField(_("đang dùng"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="survey_code_version")]
        ordering = ["code", "-version"]
        verbose_name = _("bộ câu hỏi khảo sát")
        verbose_name_plural = _("bộ câu hỏi khảo sát")

    def __str__(self):
        return f"{self.code} v{self.version}"


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    element = models.CharField(_("yếu tố"), max_length=16, choices=Element.choices)
    text = models.CharField(_("câu hỏi"), max_length=500)

    class Meta:
        ordering = ["survey", "order"]
        constraints = [models.UniqueConstraint(fields=["survey", "order"], name="survey_question_order")]

    def __str__(self):
        return self.text


class SurveyInvitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "dossier"], name="survey_invite_once")]


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("ngày trả lời"), db_index=True)
    expectation = models.TextField(_("mong muốn, kiến nghị"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "on"])]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    element = models.CharField(max_length=16, choices=Element.choices)
    value = models.PositiveSmallIntegerField()
    satisfied = models.BooleanField()
