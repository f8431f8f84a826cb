"""Writing audit entries: the only way rows enter the audit log."""
from django.db import models

from motcua.audit.models import AuditEntry
from motcua.client import client_address


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return client_address(request) or None


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    detail: dict | None = None,
    request=None,
) -> AuditEntry:
    """Append one audit entry. Call it inside the transaction of the change it records."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:255],
        detail=detail or {},
        ip_address=_client_ip(request),
    )
