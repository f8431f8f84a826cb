"""Reading ratings: satisfaction rates per agency and per official (scoped), flags to follow up, what awaits rating.

Rates follow LEGAL.md "Service index (QĐ 766)" (satisfaction group) and "Evaluating how procedures are handled"
(the two satisfaction questions and the officials' attitude): the share of satisfied answers (levels 1–2) with the
number of ratings behind it, and the average level. DESIGN "Numbers the supervisors trust": a row with fewer than
RATINGS_MIN_FOR_RANKING ratings is shown but not ranked.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.utils import timezone

from motcua import clock
from motcua.accounts.models import User
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import scope
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Action, Status
from motcua.ratings.models import (
    QUESTIONS,
    SATISFIED_LEVELS,
    Flag,
    FlagState,
    Invitation,
    RatedOfficial,
    Rating,
    RatingChannel,
)
from motcua.ratings.tokens import hash_token

QUESTION_NAMES = tuple(name for name, _q in QUESTIONS)


def min_for_ranking() -> int:
    return getattr(settings, "RATINGS_MIN_FOR_RANKING", 10)


@dataclass
class Score:
    """One question's figures: how many satisfied (levels 1–2) of how many, the share in %, the average level."""

    satisfied: int
    count: int
    average: float | None

    @property
    def share(self) -> float | None:
        return round(100 * self.satisfied / self.count, 1) if self.count else None


@dataclass
class RateRow:
    """One agency or official: the number of ratings, a Score per question and the rank (None: too few)."""

    key: str
    name: str
    agency_name: str
    count: int
    scores: dict[str, Score] = field(default_factory=dict)
    rank: int | None = None

    def score(self, question: str) -> Score:
        return self.scores[question]

    @property
    def convenience(self) -> Score:
        return self.scores["convenience"]

    @property
    def overall(self) -> Score:
        return self.scores["overall"]

    @property
    def attitude(self) -> Score:
        return self.scores["attitude"]


@dataclass
class RateSummary:
    date_from: date
    date_to: date
    minimum: int
    agencies: list[RateRow]
    officials: list[RateRow]
    total: int


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Local calendar days [date_from, date_to] as aware moments (the end is exclusive)."""
    tz = timezone.get_default_timezone()
    return (timezone.make_aware(datetime.combine(date_from, time.min), tz),
            timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), tz))


def _aggregates(prefix: str) -> dict:
    values = {"n": Count("id")}
    for name in QUESTION_NAMES:
        values[f"{name}_ok"] = Count("id", filter=Q(**{f"{prefix}{name}__in": SATISFIED_LEVELS}))
        values[f"{name}_avg"] = Avg(f"{prefix}{name}")
    return values


def _row(values: dict, *, key: str, name: str, agency_name: str) -> RateRow:
    scores = {q: Score(values[f"{q}_ok"], values["n"],
                       round(values[f"{q}_avg"], 2) if values[f"{q}_avg"] is not None else None)
              for q in QUESTION_NAMES}
    return RateRow(key=key, name=name, agency_name=agency_name, count=values["n"], scores=scores)


def rank(rows: list[RateRow], *, by: str, minimum: int) -> list[RateRow]:
    """Rank rows with at least `minimum` ratings by the share satisfied on `by` (ties share a rank); the others
    follow, unranked, by count."""
    ranked = sorted((r for r in rows if r.count >= minimum),
                    key=lambda r: (-(r.scores[by].share or 0), -r.count, r.name))
    previous, position = None, 0
    for index, row in enumerate(ranked, start=1):
        share = row.scores[by].share
        if share != previous:
            position, previous = index, share
        row.rank = position
    rest = sorted((r for r in rows if r.count < minimum), key=lambda r: (-r.count, r.name))
    for row in rest:
        row.rank = None
    return ranked + rest


def rates(*, user, date_from: date, date_to: date) -> RateSummary:
    """Satisfaction per agency (ranked by the overall question) and per official (ranked by attitude) among the
    ratings given in [date_from, date_to] about agencies the user may see with `reports.view`."""
    start, end = _bounds(date_from, date_to)
    minimum = min_for_ranking()
    ratings = scope(Rating.objects.filter(at__gte=start, at__lt=end), user, Perm.REPORT_VIEW)
    by_agency = list(ratings.order_by().values("agency").annotate(**_aggregates("")))
    names = dict(Agency.objects.filter(pk__in=[r["agency"] for r in by_agency]).values_list("pk", "name"))
    agencies = [_row(r, key=str(r["agency"]), name=names.get(r["agency"], ""), agency_name="") for r in by_agency]

    rated = scope(RatedOfficial.objects.filter(rating__at__gte=start, rating__at__lt=end), user, Perm.REPORT_VIEW)
    by_official = list(rated.order_by().values("official", "agency").annotate(**_aggregates("rating__")))
    people = {u.pk: u.display_name for u in User.objects.filter(pk__in=[r["official"] for r in by_official])}
    names.update(Agency.objects.filter(pk__in=[r["agency"] for r in by_official if r["agency"] not in names])
                 .values_list("pk", "name"))
    officials = [_row(r, key=f'{r["official"]}:{r["agency"]}', name=people.get(r["official"], ""),
                      agency_name=names.get(r["agency"], "")) for r in by_official]
    return RateSummary(
        date_from=date_from, date_to=date_to, minimum=minimum,
        agencies=rank(agencies, by="overall", minimum=minimum),
        officials=rank(officials, by="attitude", minimum=minimum),
        total=sum(r.count for r in agencies),
    )


def flags(*, user, state: str = "") -> list[Flag]:
    """Flags about agencies the user may see with `reports.view`, open ones first."""
    rows = scope(Flag.objects.all(), user, Perm.REPORT_VIEW)
    if state in FlagState.values:
        rows = rows.filter(state=state)
    return list(rows.select_related("agency", "leader", "handled_by", "rating__dossier__procedure_version")
                .order_by("state", "-created_at", "-id")[:200])


def open_flag_count(*, user) -> int:
    return scope(Flag.objects.filter(state=FlagState.OPEN), user, Perm.REPORT_VIEW).count()


def awaiting_rating(user, *, limit: int = 10) -> list[Dossier]:
    """The citizen's returned dossiers (within the link's validity) not yet rated from the account."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    since = clock.now() - timedelta(days=getattr(settings, "RATINGS_LINK_DAYS", 30))
    return list(Dossier.objects.filter(citizen_id=user.id, status=Status.RETURNED, returned_at__gte=since)
                .exclude(ratings__channel=RatingChannel.ACCOUNT)
                .select_related("procedure_version").order_by("-returned_at", "-id")[:limit])


def own_returned_dossier(user, code: str) -> Dossier | None:
    """The citizen's own dossier with this code (None when absent or someone else's: the same answer)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (Dossier.objects.filter(code=(code or "").strip(), citizen_id=user.id)
            .select_related("procedure_version", "agency").first())


def invitation_for(token: str) -> Invitation | None:
    return (Invitation.objects.filter(token_hash=hash_token(token))
            .select_related("dossier__procedure_version", "dossier__agency").first())


def already_rated(dossier: Dossier, channel: str) -> bool:
    return Rating.objects.filter(dossier=dossier, channel=channel).exists()


def kiosk_dossier(officer) -> Dossier | None:
    """The dossier `officer` most recently received or returned, within RATINGS_KIOSK_MINUTES, if not yet rated at
    the kiosk (an older one is not offered: the person at the desk is the latest one served)."""
    if officer is None or not getattr(officer, "is_authenticated", False):
        return None
    since = clock.now() - timedelta(minutes=getattr(settings, "RATINGS_KIOSK_MINUTES", 30))
    event = (DossierEvent.objects.filter(actor=officer, at__gte=since,
                                         action__in=[Action.RECEIVE, Action.ACCEPT, Action.RETURN])
             .order_by("-at", "-id").select_related("dossier__procedure_version", "dossier__desk").first())
    if event is None or already_rated(event.dossier, RatingChannel.KIOSK):
        return None
    return event.dossier
