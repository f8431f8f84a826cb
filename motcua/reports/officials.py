"""Figures per official (PMS): steps finished, on time per step, working hours a step stayed with them, send-backs,
ratings. A leader sees the officials of their own agencies (the step's agency in their `reports.view` reach); anyone
else sees only their own figures."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q
from motcua.dossiers.models import DossierEvent, DossierStep, Outcome
from motcua.dossiers.workflow import Action
from motcua.reports.indicators import _local_bounds
from motcua.workcal.services import working_time_between

PERM = Perm.REPORT_VIEW


def dwell_hours(step) -> float | None:
    """Working hours from the step's start to its end, the dossier's pauses (supplement, payment) taken out."""
    if step.started_at is None or step.finished_at is None:
        return None
    start = min(step.clock_started_at or step.started_at, step.finished_at)  # the step's clock, not the handover
    pauses = [(p.started_at, p.ended_at) for p in step.dossier.pauses.all()]
    spent = working_time_between(start, step.finished_at, pauses=pauses, agency=step.agency)
    return round(spent.total_seconds() / 3600, 2)


@dataclass
class StepFigures:
    name: str
    handled: int = 0
    on_time: int = 0
    hours: list = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.handled, 2) if self.handled else None

    @property
    def avg_hours(self) -> float | None:
        return round(sum(self.hours) / len(self.hours), 2) if self.hours else None


@dataclass
class OfficialFigures:
    official: object
    steps: dict = field(default_factory=dict)  # step name → StepFigures
    send_backs: int = 0  # steps they sent back to an earlier one
    sent_back_to_them: int = 0
    ratings: int = 0
    satisfied: int = 0

    @property
    def handled(self) -> int:
        return sum(s.handled for s in self.steps.values())

    @property
    def on_time_rate(self) -> float | None:
        n = self.handled
        return round(100 * sum(s.on_time for s in self.steps.values()) / n, 2) if n else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 2) if self.ratings else None


def steps_visible_to(user):
    """Finished steps the viewer may see per official: their agencies' (with reports.view) and their own."""
    return DossierStep.objects.filter(agency_q(user, PERM, "agency") | Q(assignee=user))


def officials(*, user, start: date, end: date, agency_ids=None) -> list[OfficialFigures]:
    from motcua.ratings.models import SATISFIED_LEVELS, RatedOfficial

    lo, hi = _local_bounds(start, end)
    steps = steps_visible_to(user).filter(finished_at__gte=lo, finished_at__lt=hi, assignee__isnull=False)
    if agency_ids is not None:
        steps = steps.filter(agency_id__in=agency_ids)
    steps = steps.select_related("agency", "dossier").prefetch_related("dossier__pauses")
    out: dict[int, OfficialFigures] = {}
    users = {}
    for step in steps.order_by("assignee_id", "order"):
        fig = out.get(step.assignee_id)
        if fig is None:
            fig = out[step.assignee_id] = OfficialFigures(official=None)
        s = fig.steps.setdefault(step.name, StepFigures(step.name))
        s.handled += 1
        s.on_time += step.outcome in (Outcome.EARLY, Outcome.ON_TIME)
        hours = dwell_hours(step)
        if hours is not None:
            s.hours.append(hours)
    ids = list(out)
    users = get_user_model().objects.in_bulk(ids)
    events = DossierEvent.objects.filter(action=Action.SEND_BACK, at__gte=lo, at__lt=hi)
    for row in events.filter(actor_id__in=ids).values("actor_id").annotate(n=Count("id")):
        out[row["actor_id"]].send_backs = row["n"]
    for row in events.filter(to_user_id__in=ids).values("to_user_id").annotate(n=Count("id")):
        out[row["to_user_id"]].sent_back_to_them = row["n"]
    rated = RatedOfficial.objects.filter(official_id__in=ids, rating__at__gte=lo, rating__at__lt=hi)
    rated = rated.filter(agency_q(user, PERM, "agency") | Q(official=user))
    for row in rated.values("official_id").annotate(
            n=Count("id"), ok=Count("id", filter=Q(rating__overall__in=SATISFIED_LEVELS))):
        out[row["official_id"]].ratings, out[row["official_id"]].satisfied = row["n"], row["ok"]
    for pk, fig in out.items():
        fig.official = users[pk]
    return sorted(out.values(), key=lambda f: (f.official.get_full_name() or f.official.username))


def by_step(figures: list[OfficialFigures]) -> dict[str, list]:
    """The same figures turned around: for each step name, each official's line."""
    table = defaultdict(list)
    for f in figures:
        for name, s in f.steps.items():
            table[name].append((f.official, s))
    return dict(table)
