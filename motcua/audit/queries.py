"""Reading the audit log: filters, keyset pages and exports over the entries a reader may see.

Who may see which entries is `motcua.accounts.audit_reach.audit_entries_visible_to` (accounts imports audit, so
the reach of a role cannot be computed here without an import loop); these functions narrow that queryset.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

PAGE_SIZE = 50
EXPORT_MAX = 10_000


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # username, or part of it
    code: str = ""  # a dossier code or an object id
    action: str = ""  # an action or its start ("dossier.", "dossier.view")
    since: date | None = None
    until: date | None = None  # inclusive


def parse_day(text: str) -> date | None:
    """A dd/mm/yyyy day, or None when blank; ValueError when it is not one."""
    text = (text or "").strip()
    if not text:
        return None
    return datetime.strptime(text, "%d/%m/%Y").date()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries_filtered(entries: QuerySet, flt: AuditFilter) -> QuerySet:
    """`entries` (already limited to what the reader may see) narrowed by `flt`, newest first."""
    if flt.actor:
        entries = entries.filter(actor__username__icontains=flt.actor)
    if flt.code:
        dossier_ids = []
        if apps.is_installed("motcua.dossiers"):
            dossier = apps.get_model("dossiers", "Dossier")
            dossier_ids = [str(pk) for pk in dossier._default_manager.filter(code__iexact=flt.code)
                           .values_list("pk", flat=True)]
        entries = entries.filter(Q(object_type="dossiers.dossier", object_id__in=dossier_ids)
                                 | Q(object_id=flt.code) | Q(summary__icontains=flt.code))
    if flt.action:
        entries = entries.filter(action__startswith=flt.action)
    if flt.since:
        entries = entries.filter(at__gte=_day_start(flt.since))
    if flt.until:
        entries = entries.filter(at__lt=_day_start(flt.until + timedelta(days=1)))
    return entries.order_by("-id")


def audit_page(entries: QuerySet, flt: AuditFilter, *, before: int | None = None, size: int = PAGE_SIZE):
    """One page (keyset on the id, newest first) and the id to pass as `before` for the next, or None."""
    entries = audit_entries_filtered(entries, flt)
    if before:
        entries = entries.filter(id__lt=before)
    rows = list(entries[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more else None)


def audit_export_rows(entries: QuerySet, flt: AuditFilter):
    """The entries of an export, at most EXPORT_MAX, newest first."""
    return list(audit_entries_filtered(entries, flt)[:EXPORT_MAX])
