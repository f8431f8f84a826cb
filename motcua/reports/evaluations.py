"""Decree 61/2018 ch. V evaluation of agencies per quarter: nine indicators scored 2/1/0, people's scores, a ranking.

Figures come from `indicators` (and, for indicator 2, the steps each agency handled); indicators 4 and 7 cannot be
read from the data and are entered by people (`evaluation_score_enter`): the agency's leader self-scores, a
supervisor appraises, and an appraisal outranks the self-score. Thresholds are versioned in `RULES`: a quarter is
scored under the rule set in force on its first day.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from motcua import clock
from motcua.accounts.roles import Perm, Role
from motcua.accounts.scoping import agency_q, grants_of, user_can
from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.errors import InvalidInput, PermissionDenied
from motcua.reports import indicators
from motcua.reports.models import DailyCount, Evaluation, EvaluationKind, EvaluationScore

PERM = Perm.REPORT_VIEW

# Thresholds of LEGAL.md "Evaluating how procedures are handled". Where the text gives none we chose, and say so:
# - (1) and (2) score shares of dossiers / steps ended on time: 100% → 2, ≥ 90% → 1 (our choice: the same steps
#   as indicator 8, since Circular 01/2018 scores each dossier 2 on time / 0 late and we score the agency's share).
# - (3) averages the per-dossier points (0 supplement → 2, 1 → 1, more → 0): mean ≥ 1.5 → 2, ≥ 0.5 → 1 (our choice).
# - (5) and (6) are shares (received through the one-stop desk; procedures with dossiers whose current version is
#   published): 100% → 2, ≥ 90% → 1 (our choice).
# - (8) as the law: 100% → 2, ≥ 90% → 1; a quarter with no feedback answered scores 2 (our choice: nothing late).
# - (9) as the law (≥ 30% → 2, ≥ 15% → 1), taken on the weaker of the two shares (procedures online and dossiers
#   filed online; our choice: the law names both).
RULES: dict[str, dict] = {
    "nd61-2018": {
        "valid_from": date(2018, 6, 21),  # Decree 61/2018/NĐ-CP in force
        "on_time": (100.0, 90.0),
        "steps_on_time": (100.0, 90.0),
        "contacts_mean": (1.5, 0.5),
        "one_stop": (100.0, 90.0),
        "published": (100.0, 90.0),
        "feedback": (100.0, 90.0),
        "online": (30.0, 15.0),
        "no_feedback_points": 2,
    },
}

NAMES = {
    1: "Tổng thời gian giải quyết so với thời gian quy định",
    2: "Thời gian thực hiện của từng cơ quan so với thời gian quy định",
    3: "Số lần liên hệ để hoàn thiện hồ sơ",
    4: "Số lượng cơ quan, đơn vị phải liên hệ",
    5: "Tiếp nhận và trả kết quả tại Bộ phận Một cửa",
    6: "Công khai thủ tục hành chính",
    7: "Thái độ của cán bộ, công chức",
    8: "Tiếp nhận, xử lý phản ánh, kiến nghị đúng hạn",
    9: "Cung cấp dịch vụ công trực tuyến",
}
MANUAL = (4, 7)  # scored by people: the data does not say how many agencies were visited, nor the attitude
MAX_POINTS = 18


def rules_for(start: date) -> tuple[str, dict]:
    """The rule set in force on `start` (the latest whose valid_from is not after it)."""
    valid = [(r["valid_from"], key) for key, r in RULES.items() if r["valid_from"] <= start]
    if not valid:
        raise InvalidInput("Chưa có bộ quy tắc đánh giá nào có hiệu lực cho kỳ này.")
    key = max(valid)[1]
    return key, RULES[key]


def parse_quarter(text: str) -> tuple[int, int]:
    """"2026-Q4" → (2026, 4)."""
    try:
        year, q = str(text).upper().split("-Q")
        year, q = int(year), int(q)
    except (ValueError, AttributeError):
        raise InvalidInput("Quý phải có dạng NNNN-QN, ví dụ 2026-Q4.") from None
    if not 1 <= q <= 4 or not 2000 <= year <= 2100:
        raise InvalidInput("Quý phải có dạng NNNN-QN, ví dụ 2026-Q4.")
    return year, q


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def _two_steps(value, thresholds) -> int | None:
    if value is None:
        return None
    full, one = thresholds
    return 2 if value >= full else 1 if value >= one else 0


@dataclass
class Item:
    number: int
    name: str
    points: int | None  # None: not scored yet (a manual indicator nobody entered)
    value: float | None = None
    how: str = "data"  # data / self / appraisal / missing (to be entered) / no_data (nothing to score in the quarter)
    note: str = ""
    entered_by: str = ""
    entered_at: object = None


@dataclass
class Result:
    agency: Agency
    year: int
    quarter: int
    rules: str
    items: list[Item]
    convenience: indicators.Figure
    satisfaction: indicators.Figure
    completed: int
    ranked: bool = False
    rank: int | None = None
    figures: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(i.points or 0 for i in self.items)

    @property
    def complete(self) -> bool:
        return all(i.points is not None for i in self.items)

    @property
    def period(self) -> str:
        return f"Quý {self.quarter}/{self.year}"


def _steps_on_time(agency_id: int, start: date, end: date) -> tuple[float | None, int]:
    """Share of the agency's steps finished in the period at or before their due time (indicator 2)."""
    from motcua.dossiers.models import DossierStep, Outcome

    lo, hi = indicators._local_bounds(start, end)
    row = (DossierStep.objects.filter(agency_id=agency_id, finished_at__gte=lo, finished_at__lt=hi)
           .exclude(outcome="").aggregate(n=Count("id"), ok=Count("id", filter=Q(
               outcome__in=[Outcome.EARLY, Outcome.ON_TIME]))))
    return (round(100 * row["ok"] / row["n"], 2) if row["n"] else None), row["n"]


def _published_share(agency_id: int, start: date, end: date) -> float | None:
    from motcua.catalogue.models import Procedure, VersionStatus

    ids = set(DailyCount.objects.filter(agency_id=agency_id, day__gte=start, day__lte=end, received__gt=0)
              .values_list("procedure_id", flat=True))
    if not ids:
        return None
    published = Procedure.objects.filter(pk__in=ids, current__status=VersionStatus.PUBLISHED).count()
    return round(100 * published / len(ids), 2)


KEYS = ["dossiers.on_time_rate", "dossiers.completed", "dossiers.received", "dossiers.supplement_0_share",
        "dossiers.supplement_1_share", "feedback.on_time_rate", "catalogue.online_share", "dossiers.online_share",
        "ratings.convenience_rate", "ratings.satisfaction_rate", "dossiers.early_rate", "dossiers.late_rate"]


def _entered(agency: Agency, year: int, quarter: int) -> dict[tuple[int, str], EvaluationScore]:
    scores = EvaluationScore.objects.filter(evaluation__agency=agency, evaluation__year=year,
                                            evaluation__quarter=quarter).select_related("entered_by")
    return {(s.indicator, s.kind): s for s in scores}


def decree61(*, user, agency: Agency, year: int, quarter: int) -> Result:
    """The agency's nine indicators for the quarter, scored under the rules in force then (viewer-scoped)."""
    if user is not None and not user_can(user, PERM, agency):
        raise PermissionDenied("Bạn không có quyền xem đánh giá của cơ quan này.")
    start, end = quarter_bounds(year, quarter)
    rule_key, r = rules_for(start)
    f = indicators.compute_many(KEYS, start=start, end=end, user=user, agency_ids=[agency.pk])
    completed = int(f["dossiers.completed"].value or 0)
    items: list[Item] = []

    v1 = f["dossiers.on_time_rate"].value
    items.append(Item(1, NAMES[1], _two_steps(v1, r["on_time"]), v1))
    v2, _n = _steps_on_time(agency.pk, start, end)
    items.append(Item(2, NAMES[2], _two_steps(v2, r["steps_on_time"]), v2))
    s0, s1 = f["dossiers.supplement_0_share"].value, f["dossiers.supplement_1_share"].value
    mean = None if s0 is None else round((2 * s0 + 1 * (s1 or 0)) / 100, 2)
    items.append(Item(3, NAMES[3], _two_steps(mean, r["contacts_mean"]), mean,
                      note="điểm bình quân mỗi hồ sơ"))
    items.append(Item(4, NAMES[4], None))
    # Every dossier of the system is received at a one-stop desk or online through the portal, and returned there.
    received = f["dossiers.received"].value or 0
    v5 = 100.0 if received else None
    items.append(Item(5, NAMES[5], _two_steps(v5, r["one_stop"]), v5))
    v6 = _published_share(agency.pk, start, end)
    items.append(Item(6, NAMES[6], _two_steps(v6, r["published"]), v6))
    items.append(Item(7, NAMES[7], None))
    fb = f["feedback.on_time_rate"]
    if fb.measured and fb.value is None:
        items.append(Item(8, NAMES[8], r["no_feedback_points"], None, note="không phát sinh phản ánh"))
    else:
        items.append(Item(8, NAMES[8], _two_steps(fb.value, r["feedback"]) if fb.measured else None, fb.value))
    shares = [f["catalogue.online_share"].value, f["dossiers.online_share"].value]
    v9 = None if None in shares else min(shares)
    items.append(Item(9, NAMES[9], _two_steps(v9, r["online"]), v9))

    entered = _entered(agency, year, quarter)
    for item in items:
        for kind in (EvaluationKind.APPRAISAL, EvaluationKind.SELF):
            score = entered.get((item.number, kind))
            if score is not None:
                item.points, item.how, item.note = score.points, kind, score.note
                item.entered_by = score.entered_by.get_full_name() or score.entered_by.username
                item.entered_at = score.entered_at
                break
        else:
            if item.points is None and item.number in MANUAL:
                item.how = "missing"
            elif item.points is None:
                item.how, item.note = "no_data", item.note or "không có dữ liệu trong kỳ"
    return Result(agency, year, quarter, rule_key, items, f["ratings.convenience_rate"],
                  f["ratings.satisfaction_rate"], completed, figures=f)


def min_dossiers() -> int:
    return int(getattr(settings, "EVALUATION_MIN_DOSSIERS", 10))


def ranking(*, user, year: int, quarter: int) -> list[Result]:
    """Every agency in the viewer's scope that led dossiers in the quarter, best first; those with fewer completed
    dossiers than EVALUATION_MIN_DOSSIERS are listed after, unranked."""
    start, end = quarter_bounds(year, quarter)
    q = agency_q(user, PERM, "agency") if user is not None else Q()
    ids = set(DailyCount.objects.filter(q, day__gte=start, day__lte=end).values_list("agency_id", flat=True))
    results = [decree61(user=user, agency=a, year=year, quarter=quarter) for a in Agency.objects.filter(pk__in=ids)]
    floor = min_dossiers()
    ranked = sorted((r for r in results if r.completed >= floor), key=lambda r: (-r.total, r.agency.name))
    for i, r in enumerate(ranked, 1):
        r.ranked, r.rank = True, i
    return ranked + sorted((r for r in results if r.completed < floor), key=lambda r: r.agency.name)


def _leads(user, agency: Agency) -> bool:
    return any(role == Role.LEADER and agency_id == agency.pk for role, agency_id, _p in grants_of(user))


def _supervises(user, agency: Agency) -> bool:
    return user.is_superuser or any(role == Role.SUPERVISOR and agency.path.startswith(path) and agency_id != agency.pk
                                    for role, agency_id, path in grants_of(user))


def evaluation_score_enter(*, actor, agency: Agency, year: int, quarter: int, indicator: int, kind: str,
                           points: int, note: str = "", request=None) -> EvaluationScore:
    """Enter a self-score (the agency's leader) or an appraisal (a supervisor above it) for indicator 4 or 7."""
    if not user_can(actor, PERM, agency):
        raise PermissionDenied("Bạn không có quyền chấm điểm cơ quan này.")
    if kind == EvaluationKind.SELF and not _leads(actor, agency):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan được tự chấm điểm.")
    if kind == EvaluationKind.APPRAISAL and not _supervises(actor, agency):
        raise PermissionDenied("Chỉ cơ quan giám sát cấp trên được thẩm định điểm.")
    if kind not in EvaluationKind.values:
        raise InvalidInput("Loại điểm phải là tự chấm hoặc thẩm định.")
    if indicator not in MANUAL:
        raise InvalidInput("Chỉ số này được tính từ dữ liệu; chỉ chấm tay chỉ số 4 và 7.")
    if points not in (0, 1, 2):
        raise InvalidInput("Điểm phải là 0, 1 hoặc 2.")
    start, _end = quarter_bounds(year, quarter)
    rule_key, _r = rules_for(start)
    now = clock.now()
    with transaction.atomic():
        evaluation, _c = Evaluation.objects.get_or_create(
            agency=agency, year=year, quarter=quarter, defaults={"rules": rule_key, "created_at": now})
        score, _c = EvaluationScore.objects.update_or_create(
            evaluation=evaluation, indicator=indicator, kind=kind,
            defaults={"points": points, "note": note, "entered_by": actor, "entered_at": now})
        audit_record(actor=actor, action="reports.evaluation_score", obj=score,
                     summary=f"{agency.code} Q{quarter}/{year} chỉ số {indicator}: {points} điểm ({kind})",
                     detail={"agency": agency.code, "year": year, "quarter": quarter, "indicator": indicator,
                             "kind": kind, "points": points}, request=request)
    return score
