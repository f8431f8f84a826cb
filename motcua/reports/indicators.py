"""Every supervision indicator, defined once (docs/indicators.md): its name, unit, legal source and formula.

Screens, exports, the API, the programme's live targets and the public page all call `compute` / `compute_many` /
`breakdown` here; none counts dossiers itself. Figures over dossiers read the rollups (`models.DailyCount`); the few
that are "now" (open overdue) or live in other domains (catalogue, ratings, surveys, feedback) read those domains'
queries. Every figure is narrowed to what the viewer may see with `reports.view` (`accounts.scoping.agency_q`);
`user=None` means the province as a whole (the public page and the programme's province targets).
"""
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q, area
from motcua.agencies.models import Agency
from motcua.catalogue.models import OnlineLevel, ProcedureVersion, VersionStatus
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.workflow import Status
from motcua.reports.facts import HOURS_PER_DAY
from motcua.reports.models import MEASURES, SUMS, DailyCount, DossierFact

PERM = Perm.REPORT_VIEW


@dataclass(frozen=True)
class Figure:
    """One indicator's value for one scope and period. `measured=False`: the system has no data for it ("chưa đo"),
    never shown as zero; `value=None` with `measured=True`: nothing to count in the period (a rate over 0)."""

    key: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    unit: str = "%"
    measured: bool = True
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str  # Vietnamese, through gettext
    unit: str  # "%", "count", "days", "procedures"
    source: str
    group: str  # intake / timeliness / time / online / satisfaction / feedback / catalogue
    formula: Callable  # (Scope, start, end, totals) -> Figure
    behind: str = ""  # the name of the dossier list behind the number (`behind()`), "" when none
    public: bool = False  # shown on the open-data page
    higher_is_better: bool = True


@dataclass(frozen=True)
class Scope:
    """Who is looking and at which part of the province."""

    user: object = None
    agency_ids: tuple[int, ...] | None = None
    procedure_codes: tuple[str, ...] | None = None
    channel: str | None = None

    def rollup_q(self, procedure: str = "procedure") -> Q:
        """This scope as a filter on rows with `agency`, `channel` and a procedure at `procedure` (a rollup row;
        `procedure_version__procedure` for a Dossier)."""
        q = agency_q(self.user, PERM, "agency") if self.user is not None else Q()
        if self.agency_ids is not None:
            q &= Q(agency_id__in=self.agency_ids)
        if self.procedure_codes is not None:
            q &= Q(**{f"{procedure}__code__in": self.procedure_codes})
        if self.channel:
            q &= Q(channel=self.channel)
        return q

    def agency_list(self) -> list[int] | None:
        """The agencies in scope as ids, None when the whole province is in scope (for the other domains' counts)."""
        if self.user is None or agency_q(self.user, PERM, "") == Q():
            return list(self.agency_ids) if self.agency_ids is not None else None
        ids = list(Agency.objects.filter(agency_q(self.user, PERM, "")).values_list("pk", flat=True))
        if self.agency_ids is not None:
            ids = [i for i in ids if i in set(self.agency_ids)]
        return ids


def make_scope(user=None, agency_ids=None, procedure_codes=None, channel=None) -> Scope:
    return Scope(user=user, agency_ids=tuple(agency_ids) if agency_ids is not None else None,
                 procedure_codes=tuple(procedure_codes) if procedure_codes is not None else None, channel=channel)


def totals(scope: Scope, start: date, end: date) -> dict[str, float]:
    """Every rollup measure summed over the scope and the local days [start, end], in one query."""
    row = (DailyCount.objects.filter(scope.rollup_q(), day__gte=start, day__lte=end)
           .aggregate(**{m: Sum(m) for m in MEASURES + SUMS}))
    return {m: (row[m] or 0) for m in MEASURES + SUMS}


# --- formulas --------------------------------------------------------------------------------------------------

def _count(measure: str, unit: str = "count"):
    def formula(key, scope, start, end, t):
        return Figure(key, t[measure], t[measure], None, unit)
    return formula


def _share(numerator: Callable[[dict], float], denominator: Callable[[dict], float]):
    def formula(key, scope, start, end, t):
        num, den = numerator(t), denominator(t)
        value = round(100 * num / den, 2) if den else None
        return Figure(key, value, num, den, "%")
    return formula


def _avg_days(key, scope, start, end, t):
    n = t["completed"]
    value = round(t["handling_hours"] / n / HOURS_PER_DAY, 2) if n else None
    return Figure(key, value, round(t["handling_hours"] / HOURS_PER_DAY, 2), n, "days")


def _limit_days(measure):
    def formula(key, scope, start, end, t):
        n = t["completed"]
        value = round(t[measure] / n / HOURS_PER_DAY, 2) if n else None
        return Figure(key, value, round(t[measure] / HOURS_PER_DAY, 2), n, "days")
    return formula


def _time_cut(key, scope, start, end, t):
    """1 − time spent / legal time, in %: the "cut handling time by 30%" target (QĐ 1908 I.2)."""
    legal = t["legal_hours"]
    value = round(100 * (1 - t["handling_hours"] / legal), 2) if legal else None
    return Figure(key, value, round(legal - t["handling_hours"], 2), round(legal, 2), "%")


def _median_days(key, scope, start, end, t):
    facts = DossierFact.objects.filter(scope.rollup_q(), completed_on__gte=start, completed_on__lte=end)
    n = t["completed"]
    if not n:
        return Figure(key, None, None, 0, "days")
    values = list(facts.exclude(handling_hours=None).order_by("handling_hours")
                  .values_list("handling_hours", flat=True)[max(0, (n - 1) // 2):(n // 2) + 1])
    if not values:
        return Figure(key, None, None, n, "days")
    median = values[0] if n % 2 or len(values) == 1 else (values[0] + values[1]) / 2
    return Figure(key, round(median / HOURS_PER_DAY, 2), None, n, "days")


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def open_overdue_q(now=None) -> Q:
    """Dossiers still being handled whose appointment has passed (the apology's new date counts when given)."""
    now = now or clock.now()
    return (Q(status__in=[Status.RECEIVED, Status.IN_PROGRESS])
            & (Q(extended_due_at__lt=now) | Q(extended_due_at=None, due_at__lt=now)))


def _dossier_scope_q(scope: Scope) -> Q:
    return scope.rollup_q(procedure="procedure_version__procedure")


def _open_overdue(key, scope, start, end, t):
    n = Dossier.objects.filter(_dossier_scope_q(scope) & open_overdue_q()).count()
    return Figure(key, n, n, None, "count", note=str(_("tại thời điểm xem")))


def _published_procedures(scope: Scope):
    qs = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    ids = scope.agency_list()
    if ids is not None:
        qs = qs.filter(agencies__in=ids)
    if scope.procedure_codes is not None:
        qs = qs.filter(procedure__code__in=scope.procedure_codes)
    return qs.distinct()


def _procedures_at(levels):
    def formula(key, scope, start, end, t):
        n = _published_procedures(scope).filter(online_level__in=levels).count()
        return Figure(key, n, n, None, "procedures")
    return formula


def _procedures_share(levels):
    def formula(key, scope, start, end, t):
        qs = _published_procedures(scope)
        den = qs.count()
        num = qs.filter(online_level__in=levels).count()
        return Figure(key, round(100 * num / den, 2) if den else None, num, den, "%")
    return formula


def _one_stop_coverage(key, scope, start, end, t):
    """Agencies in scope that received at least one dossier in the period, as desk or as lead agency."""
    agencies = Agency.objects.active()
    ids = scope.agency_list()
    if ids is not None:
        agencies = agencies.filter(pk__in=ids)
    den = agencies.count()
    counts = DailyCount.objects.filter(day__gte=start, day__lte=end, received__gt=0)
    used = set(counts.values_list("desk_id", flat=True).distinct()) | set(
        counts.values_list("agency_id", flat=True).distinct())
    num = agencies.filter(pk__in=used).count()
    return Figure(key, round(100 * num / den, 2) if den else None, num, den, "%")


def _ratings(question: str):
    def formula(key, scope, start, end, t):
        from motcua.ratings.models import SATISFIED_LEVELS, Rating

        lo, hi = _local_bounds(start, end)
        qs = Rating.objects.filter(at__gte=lo, at__lt=hi)
        if scope.user is not None:
            qs = qs.filter(agency_q(scope.user, PERM, "agency"))
        if scope.agency_ids is not None:
            qs = qs.filter(agency_id__in=scope.agency_ids)
        if scope.procedure_codes is not None:
            qs = qs.filter(dossier__procedure_version__procedure__code__in=scope.procedure_codes)
        row = qs.aggregate(n=Count("id"), ok=Count("id", filter=Q(**{f"{question}__in": SATISFIED_LEVELS})))
        if not row["n"]:
            return Figure(key, None, 0, 0, "%", measured=True)
        return Figure(key, round(100 * row["ok"] / row["n"], 2), row["ok"], row["n"], "%")
    return formula


def _survey(key, scope, start, end, t):
    from motcua.surveys.queries import min_sample, survey_satisfaction

    result = survey_satisfaction(agency_ids=scope.agency_list(), start=start, end=end)
    if result.overall is None:
        return Figure(key, None, None, result.responses, "%", measured=False,
                      note=str(_("chưa đủ %(n)s phiếu") % {"n": min_sample()}))
    return Figure(key, round(100 * result.overall, 2), None, result.responses, "%")


def _feedback(which: str):
    def formula(key, scope, start, end, t):
        from motcua.feedback.queries import feedback_timeliness

        c = feedback_timeliness(agency_ids=scope.agency_list(), start=start, end=end)
        if which == "received":
            return Figure(key, c.received, c.received, None, "count")
        if which == "open_overdue":
            return Figure(key, c.open_overdue, c.open_overdue, None, "count")
        answered = c.answered_on_time + c.answered_late
        return Figure(key, round(100 * c.answered_on_time / answered, 2) if answered else None,
                      c.answered_on_time, answered, "%")
    return formula


def _no_more_than_once(key, scope, start, end, t):
    # Decree 118/2025 art. 11: a dossier is sent back for supplement at most once; the system refuses a second
    # request, so the share with more than one is 0 by construction (the 766 index counts such dossiers late).
    return Figure(key, 0 if t["completed"] else None, 0, t["completed"], "%",
                  note=str(_("hệ thống chỉ cho phép yêu cầu bổ sung một lần")))


D61 = "Nghị định 61/2018/NĐ-CP ch. V; Thông tư 01/2018/TT-VPCP"
Q766 = "QĐ 766/QĐ-TTg (2022)"
N42 = "Nghị định 42/2022/NĐ-CP điều 11"
I1908 = "QĐ 1908/QĐ-UBND (2016) I.2"

INDICATORS: dict[str, Indicator] = {i.key: i for i in [
    Indicator("dossiers.received", _("Hồ sơ tiếp nhận"), "count", D61, "intake", _count("received"), "received",
              public=True),
    Indicator("dossiers.received_online", _("Hồ sơ nộp trực tuyến"), "count", N42, "intake",
              _count("received_online"), "received_online"),
    Indicator("dossiers.completed", _("Hồ sơ đã giải quyết"), "count", D61, "intake", _count("completed"),
              "completed", public=True),
    Indicator("dossiers.returned", _("Hồ sơ đã trả kết quả"), "count", D61, "intake", _count("returned"), "returned"),
    Indicator("dossiers.refused", _("Hồ sơ không được tiếp nhận"), "count", D61, "intake", _count("refused"),
              "refused"),
    Indicator("dossiers.withdrawn", _("Hồ sơ rút"), "count", D61, "intake", _count("withdrawn"), "withdrawn"),
    Indicator("dossiers.on_time_rate", _("Tỷ lệ giải quyết đúng và trước hạn"), "%", f"{D61}; {Q766}; {I1908}",
              "timeliness", _share(lambda t: t["early"] + t["on_time"], lambda t: t["completed"]), "on_time",
              public=True),
    Indicator("dossiers.early_rate", _("Tỷ lệ giải quyết trước hạn"), "%", D61, "timeliness",
              _share(lambda t: t["early"], lambda t: t["completed"]), "early"),
    Indicator("dossiers.late_rate", _("Tỷ lệ giải quyết quá hạn"), "%", f"{D61}; {Q766}", "timeliness",
              _share(lambda t: t["late"], lambda t: t["completed"]), "late", higher_is_better=False),
    Indicator("dossiers.late", _("Hồ sơ giải quyết quá hạn"), "count", D61, "timeliness", _count("late"), "late",
              higher_is_better=False),
    Indicator("dossiers.open_overdue", _("Hồ sơ đang quá hạn"), "count", D61, "timeliness", _open_overdue,
              "open_overdue", higher_is_better=False),
    Indicator("dossiers.apologies", _("Thư xin lỗi đã gửi"), "count", "Nghị định 61/2018/NĐ-CP điều 19 (Mẫu 04)",
              "timeliness", _count("apologies"), "apologised", higher_is_better=False),
    Indicator("dossiers.avg_handling_days", _("Thời gian giải quyết trung bình (ngày làm việc)"), "days", Q766,
              "time", _avg_days, "completed", higher_is_better=False),
    Indicator("dossiers.median_handling_days", _("Thời gian giải quyết trung vị (ngày làm việc)"), "days", Q766,
              "time", _median_days, "completed", higher_is_better=False),
    Indicator("dossiers.avg_legal_days", _("Thời hạn theo quy định trung bình (ngày làm việc)"), "days", D61,
              "time", _limit_days("legal_hours"), "completed"),
    Indicator("dossiers.avg_committed_days", _("Thời hạn cam kết trung bình (ngày làm việc)"), "days", D61,
              "time", _limit_days("committed_hours"), "completed"),
    Indicator("dossiers.time_cut", _("Mức cắt giảm thời gian giải quyết so với quy định"), "%", I1908, "time",
              _time_cut, "completed"),
    Indicator("dossiers.supplement_0_share", _("Tỷ lệ hồ sơ không phải bổ sung"), "%", f"{D61} (chỉ số 3)",
              "timeliness", _share(lambda t: t["supp_0"], lambda t: t["completed"]), "completed_no_supplement"),
    Indicator("dossiers.supplement_1_share", _("Tỷ lệ hồ sơ bổ sung một lần"), "%", f"{D61} (chỉ số 3)",
              "timeliness", _share(lambda t: t["supp_1"], lambda t: t["completed"]), "completed_supplement",
              higher_is_better=False),
    Indicator("dossiers.supplement_more_share", _("Tỷ lệ hồ sơ bổ sung nhiều lần"), "%", f"{D61}; {Q766}",
              "timeliness", _no_more_than_once, "", higher_is_better=False),
    Indicator("dossiers.online_share", _("Tỷ lệ hồ sơ nộp trực tuyến"), "%", f"{N42}; {Q766}; {D61} (chỉ số 9)",
              "online", _share(lambda t: t["received_online"], lambda t: t["received"]), "received_online",
              public=True),
    Indicator("dossiers.full_online_share", _("Tỷ lệ hồ sơ giải quyết toàn trình"), "%", N42, "online",
              _share(lambda t: t["full_online"], lambda t: t["completed"]), "full_online"),
    Indicator("dossiers.paid_online_share", _("Tỷ lệ hồ sơ có phí thanh toán trực tuyến"), "%", Q766, "online",
              _share(lambda t: t["paid_online"], lambda t: t["fee_bearing"]), "paid_online"),
    Indicator("dossiers.electronic_result_share", _("Tỷ lệ hồ sơ có kết quả điện tử"), "%", Q766, "online",
              _share(lambda t: t["electronic_result"], lambda t: t["completed"]), "electronic_result"),
    Indicator("dossiers.reuse_share", _("Tỷ lệ hồ sơ tái sử dụng giấy tờ đã số hóa"), "%",
              "Nghị định 45/2020/NĐ-CP; " + Q766, "online",
              _share(lambda t: t["reused"], lambda t: t["received"]), "reused"),
    Indicator("catalogue.online_share", _("Tỷ lệ thủ tục cung cấp trực tuyến"), "%", f"{N42}; {Q766}", "catalogue",
              _procedures_share([OnlineLevel.FULL, OnlineLevel.PARTIAL]), "", public=True),
    Indicator("catalogue.online_full_share", _("Tỷ lệ thủ tục trực tuyến toàn trình"), "%", N42, "catalogue",
              _procedures_share([OnlineLevel.FULL]), ""),
    Indicator("catalogue.online_partial_count", _("Số thủ tục trực tuyến một phần (mức độ 3)"), "procedures",
              f"{N42}; {I1908}", "catalogue", _procedures_at([OnlineLevel.PARTIAL]), ""),
    Indicator("catalogue.online_full_count", _("Số thủ tục trực tuyến toàn trình (mức độ 4)"), "procedures",
              f"{N42}; {I1908}", "catalogue", _procedures_at([OnlineLevel.FULL]), ""),
    Indicator("agencies.one_stop_coverage", _("Tỷ lệ cơ quan dùng phần mềm một cửa điện tử"), "%", I1908,
              "catalogue", _one_stop_coverage, ""),
    Indicator("ratings.satisfaction_rate", _("Tỷ lệ hài lòng chung (đánh giá)"), "%", f"{D61}; {I1908}",
              "satisfaction", _ratings("overall"), "", public=True),
    Indicator("ratings.convenience_rate", _("Tỷ lệ hài lòng về sự thuận tiện (đánh giá)"), "%", D61, "satisfaction",
              _ratings("convenience"), ""),
    Indicator("ratings.attitude_rate", _("Tỷ lệ hài lòng về thái độ cán bộ (đánh giá)"), "%", D61, "satisfaction",
              _ratings("attitude"), ""),
    Indicator("surveys.satisfaction_rate", _("Chỉ số hài lòng SIPAS (khảo sát)"), "%", "SIPAS (Bộ Nội vụ); " + I1908,
              "satisfaction", _survey, ""),
    Indicator("feedback.received", _("Phản ánh, kiến nghị tiếp nhận"), "count", "Nghị định 20/2008/NĐ-CP",
              "feedback", _feedback("received"), ""),
    Indicator("feedback.on_time_rate", _("Tỷ lệ phản ánh, kiến nghị trả lời đúng hạn"), "%",
              f"{D61} (chỉ số 8); {Q766}", "feedback", _feedback("on_time"), ""),
    Indicator("feedback.open_overdue", _("Phản ánh, kiến nghị đang quá hạn"), "count", "Nghị định 20/2008/NĐ-CP",
              "feedback", _feedback("open_overdue"), "", higher_is_better=False),
]}

GROUPS = {
    "intake": _("Tiếp nhận"), "timeliness": _("Đúng hạn"), "time": _("Thời gian giải quyết"),
    "online": _("Dịch vụ công trực tuyến"), "catalogue": _("Thủ tục và cơ quan"),
    "satisfaction": _("Mức độ hài lòng"), "feedback": _("Phản ánh, kiến nghị"),
}


def _indicator(key: str) -> Indicator:
    try:
        return INDICATORS[key]
    except KeyError:
        raise KeyError(f"unknown indicator {key!r}") from None


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise ValueError("the period starts after it ends")


def compute(key: str, *, start: date, end: date, user=None, agency_ids=None, procedure_codes=None,
            channel=None) -> Figure:
    """One indicator for the local days [start, end] in the viewer's scope (narrowed by agencies, procedures)."""
    indicator = _indicator(key)
    _check_period(start, end)
    scope = make_scope(user, agency_ids, procedure_codes, channel)
    return indicator.formula(key, scope, start, end, totals(scope, start, end))


def compute_many(keys=None, *, start: date, end: date, user=None, agency_ids=None, procedure_codes=None,
                 channel=None) -> dict[str, Figure]:
    """Several indicators at once: the rollup sums are read in one query and shared."""
    keys = list(INDICATORS) if keys is None else list(keys)
    indicators = [_indicator(k) for k in keys]
    _check_period(start, end)
    scope = make_scope(user, agency_ids, procedure_codes, channel)
    seconds = getattr(settings, "REPORTS_CACHE_SECONDS", 0)
    if seconds:
        # Figures at most REPORTS_CACHE_SECONDS old, shared by every viewer with the same reach and every app
        # server (the cache is Redis in production): a dashboard is recomputed once a minute, not on each view.
        reach = area(user, PERM) if user is not None else None
        raw = repr((keys, start, end, reach, scope.agency_ids, scope.procedure_codes, channel))
        cache_key = "reports.figures:" + hashlib.sha256(raw.encode()).hexdigest()
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
    t = totals(scope, start, end)
    figures = {i.key: i.formula(i.key, scope, start, end, t) for i in indicators}
    if seconds:
        cache.set(cache_key, figures, seconds)
    return figures


ROLLUP_KEYS = frozenset(k for k, i in INDICATORS.items() if k.startswith("dossiers.") and k != "dossiers.open_overdue")


@dataclass
class Row:
    """One line of a breakdown: what it is about, and the figures of the asked indicators."""

    id: object
    label: str
    figures: dict[str, Figure] = field(default_factory=dict)


def breakdown(keys, by: str, *, start: date, end: date, user=None, agency_ids=None, procedure_codes=None,
              channel=None) -> list[Row]:
    """Rollup indicators split by "agency", "procedure", "channel" or "month", in one grouped query."""
    keys = list(keys)
    bad = [k for k in keys if k not in ROLLUP_KEYS]
    if bad:
        raise ValueError(f"not splittable from the rollups: {bad}")
    _check_period(start, end)
    group = {"agency": "agency_id", "procedure": "procedure_id", "channel": "channel", "month": "month"}.get(by)
    if group is None:
        raise ValueError(f"unknown breakdown {by!r}")
    scope = make_scope(user, agency_ids, procedure_codes, channel)
    qs = DailyCount.objects.filter(scope.rollup_q(), day__gte=start, day__lte=end)
    if by == "month":
        qs = qs.annotate(month=TruncMonth("day"))
    rows = qs.order_by().values(group).annotate(**{m: Sum(m) for m in MEASURES + SUMS})
    labels = _labels(by, [r[group] for r in rows])
    out = []
    for r in rows:
        t = {m: (r[m] or 0) for m in MEASURES + SUMS}
        sub = make_scope(user, agency_ids, procedure_codes, channel)
        figures = {k: INDICATORS[k].formula(k, sub, start, end, t)
                   for k in keys if k != "dossiers.median_handling_days"}
        out.append(Row(id=r[group], label=labels.get(r[group], str(r[group])), figures=figures))
    return sorted(out, key=lambda row: row.label)


def _labels(by: str, ids) -> dict:
    if by == "agency":
        return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "procedure":
        from motcua.catalogue.models import Procedure

        return {p.pk: f"{p.code} {p.current.name if p.current_id else ''}".strip()
                for p in Procedure.objects.filter(pk__in=ids).select_related("current")}
    if by == "channel":
        from motcua.dossiers.models import Channel

        return {c.value: str(c.label) for c in Channel}
    return {m: m.strftime("%m/%Y") for m in ids if m}


# --- the dossiers behind a number ------------------------------------------------------------------------------

def behind(name: str, *, start: date, end: date, now=None) -> Q:
    """A filter on Dossier for the list behind a figure (apply it to `dossiers.queries.visible_to(user)`)."""
    lo, hi = _local_bounds(start, end)
    received = Q(received_at__gte=lo, received_at__lt=hi)
    completed = Q(completed_at__gte=lo, completed_at__lt=hi)
    filters = {
        "received": received,
        "received_online": received & Q(channel="online"),
        "reused": received & Q(document_reuses__isnull=False),
        "completed": completed,
        "on_time": completed & Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME]),
        "early": completed & Q(outcome=Outcome.EARLY),
        "late": completed & Q(outcome=Outcome.LATE),
        "completed_no_supplement": completed & Q(supplement_request__isnull=True),
        "completed_supplement": completed & Q(supplement_request__isnull=False),
        "full_online": completed & Q(report_fact__full_online=True),
        "paid_online": completed & Q(report_fact__paid_online=True),
        "electronic_result": completed & Q(report_fact__electronic_result=True),
        "returned": Q(status=Status.RETURNED, returned_at__gte=lo, returned_at__lt=hi),
        "refused": Q(status=Status.REFUSED, report_fact__refused_on__gte=start, report_fact__refused_on__lte=end),
        "withdrawn": Q(status=Status.WITHDRAWN, closed_at__gte=lo, closed_at__lt=hi),
        "apologised": Q(apology__at__gte=lo, apology__at__lt=hi),
        "open_overdue": open_overdue_q(now),
    }
    try:
        return filters[name]
    except KeyError:
        raise KeyError(f"unknown dossier list {name!r}") from None


BEHIND_NAMES = ("received", "received_online", "reused", "completed", "on_time", "early", "late",
                "completed_no_supplement", "completed_supplement", "full_online", "paid_online",
                "electronic_result", "returned", "refused", "withdrawn", "apologised", "open_overdue")
