"""Where dossiers wait: working hours per step × agency × procedure, the slowest procedures against their legal
time, and the step at which each late dossier became late. Scoped to the viewer's `reports.view` reach."""
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q
from motcua.dossiers.models import Dossier, DossierStep, Outcome
from motcua.reports import indicators
from motcua.reports.indicators import _local_bounds
from motcua.reports.officials import dwell_hours

PERM = Perm.REPORT_VIEW


@dataclass
class Wait:
    step: str
    agency: str
    procedure: str
    steps: int
    avg_hours: float
    allotted_hours: float  # the step's own allotment in the process (average)
    late: int


def waits(*, user, start: date, end: date, agency_ids=None, limit: int = 50) -> list[Wait]:
    """Average working hours a step stayed open, per step name × agency × procedure, longest first."""
    lo, hi = _local_bounds(start, end)
    steps = DossierStep.objects.filter(agency_q(user, PERM, "agency"), finished_at__gte=lo, finished_at__lt=hi)
    if agency_ids is not None:
        steps = steps.filter(agency_id__in=agency_ids)
    steps = steps.select_related("agency", "dossier__procedure_version__procedure").prefetch_related(
        "dossier__pauses")
    groups: dict[tuple, list] = defaultdict(list)
    for step in steps:
        hours = dwell_hours(step)
        if hours is None:
            continue
        key = (step.name, step.agency.name, step.dossier.procedure_version.procedure.code)
        groups[key].append((hours, float(step.hours), step.outcome == Outcome.LATE))
    rows = [Wait(k[0], k[1], k[2], len(v), round(sum(h for h, _a, _l in v) / len(v), 2),
                 round(sum(a for _h, a, _l in v) / len(v), 2), sum(1 for *_x, late in v if late))
            for k, v in groups.items()]
    return sorted(rows, key=lambda w: -w.avg_hours)[:limit]


@dataclass
class Slow:
    procedure: str
    completed: int
    avg_days: float | None
    legal_days: float | None

    @property
    def ratio(self) -> float | None:
        return round(self.avg_days / self.legal_days, 2) if self.avg_days is not None and self.legal_days else None


def slowest_procedures(*, user, start: date, end: date, agency_ids=None, limit: int = 20) -> list[Slow]:
    """Procedures by average handling time over their legal time (from the rollups), slowest first."""
    rows = indicators.breakdown(["dossiers.completed", "dossiers.avg_handling_days", "dossiers.avg_legal_days"],
                                by="procedure", start=start, end=end, user=user, agency_ids=agency_ids)
    out = [Slow(r.label, int(r.figures["dossiers.completed"].value or 0), r.figures["dossiers.avg_handling_days"].value,
                r.figures["dossiers.avg_legal_days"].value) for r in rows]
    out = [s for s in out if s.completed]
    return sorted(out, key=lambda s: -(s.ratio or 0))[:limit]


def became_late(*, user, start: date, end: date, agency_ids=None) -> list[tuple[str, str, int]]:
    """For each dossier completed late in the period, the first of its steps finished late: (step, agency, count)."""
    lo, hi = _local_bounds(start, end)
    late = Dossier.objects.filter(agency_q(user, PERM, "agency"), outcome=Outcome.LATE,
                                  completed_at__gte=lo, completed_at__lt=hi)
    if agency_ids is not None:
        late = late.filter(agency_id__in=agency_ids)
    first = {}
    for step in (DossierStep.objects.filter(dossier__in=late, outcome=Outcome.LATE)
                 .select_related("agency").order_by("dossier_id", "finished_at", "order")):
        first.setdefault(step.dossier_id, (step.name, step.agency.name))
    counts = Counter(first.values())
    return [(name, agency, n) for (name, agency), n in counts.most_common()]
