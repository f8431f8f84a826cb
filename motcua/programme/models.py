"""The programme's rows: programme, sections, tasks and their agencies, targets, reports and their histories."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.history import AppendOnlyModel
from motcua.programme.workflow import ReportState, TaskStatus


class Programme(models.Model):
    """One action programme (e.g. QĐ 1908/QĐ-UBND of 02/6/2016), owned by the province's Sở Nội vụ."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên"), max_length=500)
    decision = models.CharField(_("quyết định"), max_length=120, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")

    def __str__(self):
        return self.title


class Section(models.Model):
    """A section of the appendix ("I | NĂM 2016"): the year that undated quarters belong to."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sections")
    year = models.PositiveSmallIntegerField(_("năm"))
    label = models.CharField(_("tiêu đề"), max_length=120, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="programme_section_year")]

    def __str__(self):
        return self.label or str(self.year)


class Task(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("TT"))
    content = models.TextField(_("nội dung và kết quả đầu ra"))
    timeline = models.CharField(_("lộ trình triển khai (như văn bản)"), max_length=300, blank=True)
    lead_text = models.CharField(_("cơ quan chủ trì (như văn bản)"), max_length=500, blank=True)
    coordinating_text = models.TextField(_("cơ quan phối hợp (như văn bản)"), blank=True)
    # What the timeline parser understood (timeline.py); `due` is None when it was flagged for a person to date.
    due = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    span_start = models.PositiveSmallIntegerField(null=True, blank=True)
    span_end = models.PositiveSmallIntegerField(null=True, blank=True)
    recurring = models.BooleanField(_("thực hiện hằng năm"), default=False)
    yearly = models.BooleanField(_("báo cáo theo năm"), default=False)
    unparsed = models.BooleanField(_("chưa đọc được lộ trình"), default=False)
    timeline_note = models.CharField(max_length=300, blank=True)
    unmatched_names = models.JSONField(default=list, blank=True)
    status = models.CharField(_("tình hình"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_REPORTED)
    percent = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section__year", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="programme_task_number")]

    def __str__(self):
        return f"{self.section.year}/{self.number}"

    @property
    def ref(self) -> str:
        return f"{self.section.year}/{self.number}"


class TaskRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATOR = "coordinator", _("Phối hợp")


class TaskAgency(models.Model):
    """An agency the task names, as lead or coordinator; `via` keeps the phrase it came from (a group or a name)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="programme_tasks")
    role = models.CharField(max_length=16, choices=TaskRole.choices)
    via = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "agency", "role"], name="programme_task_agency")]


class AliasGroup(models.TextChoices):
    DEPARTMENTS = "departments", _("Mọi Sở, Ban, ngành")
    DISTRICTS = "districts", _("Mọi UBND cấp huyện")
    NONE = "none", _("Không chỉ cơ quan cụ thể (bỏ qua)")


class AgencyAlias(models.Model):
    """A name as programmes write it, mapped once by an administrator to an agency or a group; kept for next time."""

    folded = models.CharField(max_length=300, unique=True)
    name = models.CharField(_("tên như văn bản"), max_length=300)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT)
    group = models.CharField(max_length=16, choices=AliasGroup.choices, blank=True)
    mapped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    mapped_at = models.DateTimeField(null=True, blank=True)


class TaskChange(AppendOnlyModel):
    """What an import created or changed in a task: field → [before, after]."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=255, blank=True)
    created = models.BooleanField(default=False)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]


class Target(models.Model):
    """A numeric target of section I.2; `key` names a live indicator of `motcua.reports`, blank when reported."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    number = models.PositiveSmallIntegerField()
    period = models.CharField(_("giai đoạn"), max_length=20)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    indicator = models.CharField(_("chỉ tiêu"), max_length=300)
    target_value = models.DecimalField(_("mục tiêu"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("đơn vị"), max_length=20)
    text = models.TextField(_("nguyên văn"))
    key = models.CharField(_("chỉ số đo tự động"), max_length=80, blank=True)
    params = models.JSONField(default=dict, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               verbose_name=_("cơ quan báo cáo"))

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="programme_target_number")]

    def __str__(self):
        return self.text[:80]

    @property
    def live(self) -> bool:
        return bool(self.key)


class TargetValue(AppendOnlyModel):
    """A value reported by the responsible agency for a quarter (quarter 0 = the year), with its evidence."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.TextField(blank=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    evidence = models.FileField(upload_to="programme/targets/%Y/", blank=True)
    evidence_name = models.CharField(max_length=160, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["year", "quarter", "at"]


class Report(models.Model):
    """An agency's report on one task for one period (quarter 1–4, or 0 for the yearly report)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="programme_reports")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=16, choices=ReportState.choices, default=ReportState.DRAFT)
    status = models.CharField(_("tình hình"), max_length=16, choices=TaskStatus.choices[1:],
                              default=TaskStatus.IN_PROGRESS)
    percent = models.PositiveSmallIntegerField(default=0)
    done = models.TextField(_("kết quả thực hiện"), blank=True)
    problems = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    due = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["task__section__year", "task__number", "year", "quarter"]
        constraints = [models.UniqueConstraint(fields=["task", "agency", "year", "quarter"],
                                               name="programme_report_period")]

    @property
    def period_label(self) -> str:
        return f"Quý {self.quarter}/{self.year}" if self.quarter else f"Năm {self.year}"


class ReportEvent(AppendOnlyModel):
    """Every change to a report, with a snapshot of its content at that moment (every version kept)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    version = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]


class Contribution(AppendOnlyModel):
    """A coordinating agency's contribution to a lead agency's report; never a submission."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="contributions")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT)
    text = models.TextField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["at", "id"]


class Evidence(models.Model):
    """An attachment to a report, checked like dossier uploads (type by content, size, SHA-256)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="programme/reports/%Y/")
    original_name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["uploaded_at", "id"]
