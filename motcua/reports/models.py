"""The rollups: one fact row per dossier and daily counts per agency × desk × procedure × channel (docs/indicators.md).

`DossierFact` holds what a dossier contributes to the counts (its days, outcome and handling time); `DailyCount`
holds the sums. Both are derived data: `rollups.on_dossier_changed` keeps them in step inside each dossier change's
transaction, and `manage.py rebuild_rollups` recomputes them from the dossiers (the recount is the reference).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierFact(models.Model):
    """What one dossier contributes to the daily counts, as last applied."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, primary_key=True,
                                   related_name="report_fact")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    desk = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalogue.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8)
    received_on = models.DateField(null=True)
    completed_on = models.DateField(null=True, db_index=True)
    returned_on = models.DateField(null=True)
    refused_on = models.DateField(null=True)
    withdrawn_on = models.DateField(null=True)
    stopped_on = models.DateField(null=True)
    apologised_on = models.DateField(null=True)
    outcome = models.CharField(max_length=8, blank=True)
    handling_hours = models.FloatField(null=True)  # working hours from the clock's start to completion, pauses out
    legal_hours = models.FloatField(default=0)
    committed_hours = models.FloatField(default=0)
    supplements = models.PositiveSmallIntegerField(default=0)
    fee_bearing = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    electronic_result = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    full_online = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["agency", "completed_on"])]


# The summed measures of a DailyCount row; each is counted on the day named in docs/indicators.md.
MEASURES = (
    "received", "received_online", "reused",
    "completed", "early", "on_time", "late", "supp_0", "supp_1", "fee_bearing", "paid_online",
    "electronic_result", "full_online", "returned", "refused", "withdrawn", "stopped", "apologies",
)
SUMS = ("handling_hours", "legal_hours", "committed_hours")


class DailyCount(models.Model):
    """Sums for one local day, lead agency, receiving desk, procedure and channel."""

    day = models.DateField()
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    desk = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalogue.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8)
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    supp_0 = models.IntegerField(default=0)
    supp_1 = models.IntegerField(default=0)
    fee_bearing = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    electronic_result = models.IntegerField(default=0)
    full_online = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    handling_hours = models.FloatField(default=0)
    legal_hours = models.FloatField(default=0)
    committed_hours = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "agency", "desk", "procedure", "channel"],
                                               name="unique_daily_count")]
        indexes = [models.Index(fields=["agency", "day"]), models.Index(fields=["day"])]


class EvaluationKind(models.TextChoices):
    SELF = "self", _("Tự chấm")
    APPRAISAL = "appraisal", _("Thẩm định")


class Evaluation(models.Model):
    """One agency's Decree 61/2018 evaluation for one quarter: the rule set it is scored under."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    rules = models.CharField(max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "quarter"], name="evaluation_once")]


class EvaluationScore(models.Model):
    """Points entered by a person for an indicator the data cannot score (self-scoring or appraisal), with who."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.PositiveSmallIntegerField()  # 1–9 of Decree 61/2018 ch. V
    kind = models.CharField(max_length=10, choices=EvaluationKind.choices)
    points = models.PositiveSmallIntegerField()  # 0, 1 or 2
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator", "kind"],
                                               name="evaluation_score_once")]


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang lập")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ReportExport(models.Model):
    """A report file asked for by a user, built by a background job (progress in %), kept in the default storage."""

    kind = models.CharField(max_length=12)  # quarterly / annual
    fmt = models.CharField(max_length=4)  # xlsx / pdf
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(default=0)  # 0 for the annual report
    signer_name = models.CharField(max_length=120, blank=True)
    signer_title = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/exports/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # The run that holds the job: its number (a run writes only while it still holds it) and its last sign of life
    # (a run silent for REPORTS_EXPORT_STALE_SECONDS is taken to be dead, and the next run takes the job over).
    attempt = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
