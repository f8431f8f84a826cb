"""What one dossier contributes to the rollups: its fact row, and the measures it adds to which day's count.

The rules of docs/indicators.md live here once: which day a dossier is counted on for each measure, what "handled
on time" and "handling time" mean, when a dossier counts as filed online, paid online, with an electronic result,
reusing stored documents, or full-online (Decree 42/2022 art. 11).
"""
from collections import Counter
from datetime import date

from django.db.models import Prefetch

from motcua.catalogue.models import LimitUnit
from motcua.dossiers.models import (
    Attachment,
    AttachmentKind,
    Channel,
    Delivery,
    Dossier,
    DossierEvent,
    DossierFee,
    Outcome,
    Pause,
    SupplementRequest,
)
from motcua.dossiers.workflow import Action, Status
from motcua.filings.models import DocumentReuse
from motcua.workcal.services import calendar_for, to_local

HOURS_PER_DAY = 8  # a working day is 8 working hours (Decree 61/2018; LEGAL "Processing rules")
FIELDS = ("agency_id", "desk_id", "procedure_id", "channel", "received_on", "completed_on", "returned_on",
          "refused_on", "withdrawn_on", "stopped_on", "apologised_on", "outcome", "handling_hours", "legal_hours",
          "committed_hours", "supplements", "fee_bearing", "paid_online", "electronic_result", "reused",
          "full_online")


def _day(moment) -> date | None:
    return to_local(moment).date() if moment else None


def limit_hours(amount, unit: str) -> float:
    """A procedure's time limit in working hours (calendar days are counted as working days here)."""
    amount = float(amount or 0)
    return amount if unit == LimitUnit.WORKING_HOURS else amount * HOURS_PER_DAY


def annotated(queryset=None):
    """Dossiers with the columns `facts_of` reads (pauses prefetched); `with_flags` adds the rest per batch."""
    qs = Dossier.objects.all() if queryset is None else queryset
    return (qs.select_related("procedure_version", "agency", "apology")
            .only(*DOSSIER_FIELDS)
            .prefetch_related(Prefetch("pauses", queryset=Pause.objects.only("dossier_id", "started_at", "ended_at"))))


def with_flags(dossiers: list) -> list:
    """Set the flags `facts_of` reads on a batch of dossiers: five indexed lookups by id for the whole batch
    (EXISTS per row lets the planner hash the whole event table on every batch)."""
    ids = [d.pk for d in dossiers]

    def having(model, **where) -> set[int]:
        return set(model.objects.filter(dossier_id__in=ids, **where).values_list("dossier_id", flat=True))

    fee = having(DossierFee, amount__gt=0)
    # Paid through a gateway: the verified callback records the payment with no staff actor.
    paid = having(DossierEvent, action=Action.RECORD_PAYMENT, actor=None)
    signed = set(Attachment.objects.filter(dossier_id__in=ids, kind=AttachmentKind.RESULT, signed_by__isnull=False)
                 .values_list("dossier_id", flat=True))
    reused = having(DocumentReuse)
    supplement = having(SupplementRequest)
    for d in dossiers:
        d._fee, d._paid_online, d._signed = d.pk in fee, d.pk in paid, d.pk in signed
        d._reused, d._supp = d.pk in reused, d.pk in supplement
    return dossiers


DOSSIER_FIELDS = ("id", "status", "channel", "delivery", "outcome", "agency_id", "desk_id", "received_at",
                  "clock_started_at", "completed_at", "returned_at", "closed_at", "procedure_version__procedure_id",
                  "procedure_version__legal_limit", "procedure_version__committed_limit",
                  "procedure_version__limit_unit", "agency__path", "apology__at", "apology__id")


def _handling_hours(dossier, calendars: dict | None) -> float:
    """Working hours from the clock's start to completion in the lead agency's calendar, every pause taken out."""
    calendars = {} if calendars is None else calendars
    cal = calendars.get(dossier.agency_id)
    if cal is None:
        cal = calendars[dossier.agency_id] = calendar_for(dossier.agency)
    end = to_local(dossier.completed_at)
    start = min(to_local(dossier.clock_started_at), end)
    pauses = [(to_local(p.started_at), to_local(p.ended_at) if p.ended_at else None) for p in dossier.pauses.all()]
    return round(cal.working_time_between(start, end, pauses).total_seconds() / 3600, 4)


def facts_of(dossier, *, calendars: dict | None = None) -> dict | None:
    """The fact row of a dossier read through `annotated`, or None while it is not received (nothing to count).
    `calendars` (agency id -> working calendar) lets a recount reuse calendars instead of asking for each one."""
    if dossier.received_at is None:
        return None
    pv = dossier.procedure_version
    status = dossier.status
    handling = None
    if dossier.completed_at and dossier.clock_started_at:
        handling = _handling_hours(dossier, calendars)
    apology = getattr(dossier, "apology", None) if _has_apology(dossier) else None
    fee = bool(dossier._fee)
    paid = fee and bool(dossier._paid_online)
    signed = bool(dossier._signed)
    online = dossier.channel == Channel.ONLINE
    closed_day = _day(dossier.closed_at)
    return {
        "agency_id": dossier.agency_id,
        "desk_id": dossier.desk_id,
        "procedure_id": pv.procedure_id,
        "channel": dossier.channel,
        "received_on": _day(dossier.received_at),
        "completed_on": _day(dossier.completed_at),
        "returned_on": _day(dossier.returned_at) if status == Status.RETURNED else None,
        "refused_on": (closed_day or _day(dossier.received_at)) if status == Status.REFUSED else None,
        "withdrawn_on": closed_day if status == Status.WITHDRAWN else None,
        "stopped_on": closed_day if status == Status.STOPPED else None,
        "apologised_on": _day(apology.at) if apology else None,
        "outcome": dossier.outcome if dossier.completed_at else "",
        "handling_hours": handling,
        "legal_hours": limit_hours(pv.legal_limit, pv.limit_unit),
        "committed_hours": limit_hours(pv.committed_limit, pv.limit_unit),
        "supplements": int(bool(dossier._supp)),
        "fee_bearing": fee,
        "paid_online": paid,
        "electronic_result": signed,
        "reused": bool(dossier._reused),
        "full_online": online and signed and (paid or not fee) and dossier.delivery in (Delivery.ONLINE,
                                                                                         Delivery.POST),
    }


def _has_apology(dossier) -> bool:
    try:
        return dossier.apology is not None
    except Dossier.apology.RelatedObjectDoesNotExist:
        return False


def contributions(fact: dict | None) -> dict[tuple, Counter]:
    """{(day, agency_id, desk_id, procedure_id, channel): Counter of measures} that a fact row adds."""
    out: dict[tuple, Counter] = {}
    if not fact:
        return out

    def add(day, **measures):
        if day is None:
            return
        key = (day, fact["agency_id"], fact["desk_id"], fact["procedure_id"], fact["channel"])
        out.setdefault(key, Counter()).update(measures)

    add(fact["received_on"], received=1, received_online=int(fact["channel"] == Channel.ONLINE),
        reused=int(fact["reused"]))
    if fact["completed_on"] is not None:
        outcome = fact["outcome"]
        add(fact["completed_on"], completed=1, early=int(outcome == Outcome.EARLY),
            on_time=int(outcome == Outcome.ON_TIME), late=int(outcome == Outcome.LATE),
            supp_0=int(fact["supplements"] == 0), supp_1=int(fact["supplements"] >= 1),
            fee_bearing=int(fact["fee_bearing"]), paid_online=int(fact["paid_online"]),
            electronic_result=int(fact["electronic_result"]), full_online=int(fact["full_online"]),
            handling_hours=fact["handling_hours"] or 0.0, legal_hours=fact["legal_hours"],
            committed_hours=fact["committed_hours"])
    add(fact["returned_on"], returned=1)
    add(fact["refused_on"], refused=1)
    add(fact["withdrawn_on"], withdrawn=1)
    add(fact["stopped_on"], stopped=1)
    add(fact["apologised_on"], apologies=1)
    # Zero measures are dropped so that an unchanged fact gives an empty difference.
    return {k: Counter({m: v for m, v in c.items() if v}) for k, c in out.items()}
