"""Keeping the rollups in step: the difference a dossier change makes, applied in the change's transaction; and
the rebuild from the dossiers themselves (`manage.py rebuild_rollups`), which is the reference a test compares to.
"""
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from motcua.dossiers.models import Dossier
from motcua.reports.facts import FIELDS, annotated, contributions, facts_of, with_flags
from motcua.reports.models import MEASURES, SUMS, DailyCount, DossierFact

BATCH = 2000


def _fact_dict(row: DossierFact | None) -> dict | None:
    return None if row is None else {f: getattr(row, f) for f in FIELDS}


def difference(old: dict | None, new: dict | None) -> dict[tuple, Counter]:
    """What must be added to (positive) or taken from (negative) each daily count when `old` becomes `new`."""
    delta: dict[tuple, Counter] = {}
    for key, measures in contributions(new).items():
        delta.setdefault(key, Counter()).update(measures)
    for key, measures in contributions(old).items():
        delta.setdefault(key, Counter()).subtract(measures)
    return {k: Counter({m: v for m, v in c.items() if v}) for k, c in delta.items() if any(c.values())}


def _apply(key: tuple, measures: Counter) -> None:
    day, agency_id, desk_id, procedure_id, channel = key
    where = {"day": day, "agency_id": agency_id, "desk_id": desk_id, "procedure_id": procedure_id,
             "channel": channel}
    changes = {m: F(m) + v for m, v in measures.items()}
    if DailyCount.objects.filter(**where).update(**changes):
        return
    try:
        with transaction.atomic():  # a savepoint: another change may create the same row at the same moment
            DailyCount.objects.create(**where, **dict(measures))
    except IntegrityError:
        DailyCount.objects.filter(**where).update(**changes)


def refresh(dossier_id: int) -> None:
    """Bring one dossier's fact row and its daily counts up to date (idempotent)."""
    dossier = next(iter(with_flags(list(annotated(Dossier.objects.filter(pk=dossier_id))))), None)
    row = DossierFact.objects.select_for_update().filter(dossier_id=dossier_id).first()
    old = _fact_dict(row)
    new = facts_of(dossier) if dossier is not None else None
    if old == new:
        return
    # Rows are touched in one fixed order, so two changes that share days cannot deadlock on PostgreSQL.
    for key, measures in sorted(difference(old, new).items()):
        _apply(key, measures)
    if new is None:
        DossierFact.objects.filter(dossier_id=dossier_id).delete()
    elif row is None:
        DossierFact.objects.create(dossier_id=dossier_id, **new)
    else:
        DossierFact.objects.filter(dossier_id=dossier_id).update(**new)


def on_dossier_changed(*, dossier, **_payload) -> None:
    """`hooks.DOSSIER_CHANGED` subscriber: the rollups commit or roll back with the dossier change."""
    refresh(dossier.pk)


def recount(queryset=None) -> tuple[dict[int, dict], dict[tuple, Counter]]:
    """Facts and daily sums computed from the dossiers alone (no rollup row read)."""
    facts: dict[int, dict] = {}
    sums: dict[tuple, Counter] = {}
    qs = annotated(queryset).order_by("pk")
    last = 0
    calendars: dict = {}
    while True:
        batch = with_flags(list(qs.filter(pk__gt=last)[:BATCH]))
        if not batch:
            break
        for dossier in batch:
            fact = facts_of(dossier, calendars=calendars)
            if fact is None:
                continue
            facts[dossier.pk] = fact
            for key, measures in contributions(fact).items():
                sums.setdefault(key, Counter()).update(measures)
        last = batch[-1].pk
    return facts, sums


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Replace every fact row and daily count by a recount; running it twice changes nothing."""
    facts, sums = recount()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses while deferred checks are pending
            cursor.execute(f"TRUNCATE {DailyCount._meta.db_table}, {DossierFact._meta.db_table}")
    else:
        DailyCount.objects.all().delete()
        DossierFact.objects.all().delete()
    DossierFact.objects.bulk_create((DossierFact(dossier_id=pk, **fact) for pk, fact in facts.items()),
                                    batch_size=BATCH)
    rows = []
    for (day, agency_id, desk_id, procedure_id, channel), measures in sums.items():
        values = {m: measures.get(m, 0) for m in MEASURES + SUMS}
        rows.append(DailyCount(day=day, agency_id=agency_id, desk_id=desk_id, procedure_id=procedure_id,
                               channel=channel, **values))
    DailyCount.objects.bulk_create(rows, batch_size=BATCH)
    return {"dossiers": len(facts), "daily_counts": len(rows)}
