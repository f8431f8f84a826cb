"""Survey results per agency and period: responses and the share satisfied per SIPAS element (minimum sample)."""
import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from motcua.surveys.models import Answer, Element, Response, Survey, SurveyInvitation


def min_sample() -> int:
    """Below this many responses no share is shown (SURVEYS_MIN_SAMPLE, default 30)."""
    return getattr(settings, "SURVEYS_MIN_SAMPLE", 30)


@dataclass(frozen=True)
class SurveyResult:
    responses: int
    satisfied_share: dict[str, float | None]
    overall: float | None


def survey_satisfaction(*, agency_ids: list[int] | None, start: datetime.date, end: datetime.date) -> SurveyResult:
    """Responses answered on local dates [start, end] for the agencies (None: the whole province)."""
    responses = Response.objects.filter(on__gte=start, on__lte=end)
    if agency_ids is not None:
        responses = responses.filter(agency_id__in=list(agency_ids))
    count = responses.count()
    enough = count >= min_sample() and count > 0
    answers = Answer.objects.filter(response__in=responses)
    rows = {r["element"]: r for r in answers.values("element").annotate(n=Count("id"),
                                                                          ok=Count("id", filter=Q(satisfied=True)))}
    shares: dict[str, float | None] = {}
    for key in Element.values:
        row = rows.get(key)
        shares[key] = round(row["ok"] / row["n"], 4) if enough and row and row["n"] else None
    total = sum(r["n"] for r in rows.values())
    ok = sum(r["ok"] for r in rows.values())
    overall = round(ok / total, 4) if enough and total else None
    return SurveyResult(responses=count, satisfied_share=shares, overall=overall)


def active_survey() -> Survey | None:
    return Survey.objects.filter(active=True).order_by("-version").first()


def invitation_for(token: str) -> SurveyInvitation | None:
    """The invitation behind a one-time link (None for an unknown token); its survey's questions come along."""
    token_hash = hashlib.sha256((token or "").encode()).hexdigest()  # as surveys.services stores it
    return (SurveyInvitation.objects.select_related("survey").prefetch_related("survey__questions")
            .filter(token_hash=token_hash).first())
