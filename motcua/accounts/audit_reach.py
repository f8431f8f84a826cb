"""Which audit entries a reader may see: the reach of the audit permission applied to the audit log."""
from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q, area
from motcua.audit.models import AuditEntry

# Fields through which an audited object belongs to an agency (a dossier also to the agency holding it now).
AGENCY_FIELDS = ("agency", "current_agency")


def _agency_models():
    """(model, agency field names) for every installed model tied to an agency, and Agency itself (field "")."""
    found = []
    for model in apps.get_models():
        if model._meta.label_lower == "agencies.agency":
            found.append((model, ("",)))
            continue
        names = tuple(f.name for f in model._meta.get_fields()
                      if f.name in AGENCY_FIELDS and getattr(f, "related_model", None) is not None
                      and f.related_model._meta.label_lower == "agencies.agency" and f.many_to_one)
        if names:
            found.append((model, names))
    return found


def _scope_q(user) -> Q:
    """Entries about objects of the user's agencies, or made by staff of those agencies."""
    q = agency_q(user, Perm.AUDIT_VIEW, field="actor__agency")
    for model, fields in _agency_models():
        reach = Q(pk__in=[])
        for field in fields:
            reach |= agency_q(user, Perm.AUDIT_VIEW, field=field)
        ids = model._default_manager.filter(reach).annotate(_key=Cast("pk", CharField())).values("_key")
        q |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    return q


def audit_entries_visible_to(user) -> QuerySet:
    """Every audit entry `user` may read: all for an administrator, their agencies' for a supervisor, else none.

    A supervisor's agencies' entries are those about an object tied to one of them (a dossier, a staff member, the
    agency itself: any model with an `agency` or `current_agency` key) and those made by their staff.
    """
    where = area(user, Perm.AUDIT_VIEW)
    entries = AuditEntry.objects.select_related("actor")
    if where.everywhere:
        return entries
    if where.empty:
        return entries.none()
    return entries.filter(_scope_q(user))
