"""Targets against their values: live from `motcua.reports.indicators` where the system measures them, else reported.

The indicator module belongs to the supervision issue and may not be installed; then, or when its Figure says
`measured=False`, a live target shows "chưa đo" (not measured yet). Contract used:
`compute(key, *, start, end, user=None, agency_ids=None, procedure_codes=None) -> Figure(value, numerator,
denominator, unit, measured)`. For `agencies.one_stop_coverage` the agency kinds of the target (departments and
districts, or communes) are passed as `agency_ids` of the active agencies of those kinds — an assumption about
the indicator documented in docs/programme.md.
"""
import logging
from dataclasses import dataclass
from datetime import date

from motcua.agencies.models import Agency

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    value: float | None
    measured: bool
    how: str  # live / reported
    numerator: float | None = None
    denominator: float | None = None


NOT_MEASURED = Reading(value=None, measured=False, how="live")


def _compute():
    try:
        from motcua.reports.indicators import compute
    except ImportError:
        return None
    return compute


def live_reading(target, *, start: date, end: date, user=None) -> Reading:
    compute = _compute()
    if compute is None or not target.key:
        return NOT_MEASURED
    kwargs = {"start": start, "end": end, "user": user}
    kinds = target.params.get("agency_kinds")
    if kinds:
        kwargs["agency_ids"] = list(Agency.objects.active().filter(kind__in=kinds).values_list("pk", flat=True))
    if target.params.get("procedure_codes"):
        kwargs["procedure_codes"] = list(target.params["procedure_codes"])
    try:
        figure = compute(target.key, **kwargs)
    except (KeyError, LookupError, ValueError, TypeError):
        logger.warning("Indicator %s could not be computed for target %s.", target.key, target.number)
        return NOT_MEASURED
    if figure is None or not getattr(figure, "measured", False) or figure.value is None:
        return NOT_MEASURED
    return Reading(value=float(figure.value), measured=True, how="live", numerator=figure.numerator,
                   denominator=figure.denominator)


def period_bounds(target, today: date) -> tuple[date, date]:
    start = date(target.start_year, 1, 1)
    end = min(date(target.end_year, 12, 31), today)
    return start, max(start, end)


def current(target, *, today: date, user=None) -> Reading:
    if target.live:
        start, end = period_bounds(target, today)
        return live_reading(target, start=start, end=end, user=user)
    latest = target.values.order_by("-year", "-quarter", "-at").first()
    if latest is None:
        return Reading(value=None, measured=False, how="reported")
    return Reading(value=float(latest.value), measured=True, how="reported")


def history(target, *, today: date, user=None) -> list[tuple[str, Reading]]:
    """Year by year over the target's period (live), or every reported value."""
    if target.live:
        out = []
        for year in range(target.start_year, min(target.end_year, today.year) + 1):
            out.append((str(year), live_reading(target, start=date(year, 1, 1), end=min(date(year, 12, 31), today),
                                                user=user)))
        return out
    return [(f"Q{v.quarter}/{v.year}" if v.quarter else str(v.year),
             Reading(value=float(v.value), measured=True, how="reported")) for v in target.values.all()]


def met(target, reading: Reading) -> bool | None:
    """Whether the reading reaches the target (higher is better for every target of QĐ 1908)."""
    if not reading.measured or reading.value is None:
        return None
    return reading.value >= float(target.target_value)
