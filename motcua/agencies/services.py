"""Changing the organisation tree: creating, moving and dissolving agencies (the only writers of Agency rows)."""
from datetime import date

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from motcua.agencies.models import PATH_STEP, Agency
from motcua.audit.services import audit_record
from motcua.errors import InvalidInput


class AgencyError(InvalidInput):
    """A change to the organisation tree that cannot be made."""


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP}d}."


@transaction.atomic
def agency_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Agency | None = None,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    valid_from: date | None = None,
    actor=None,
) -> Agency:
    code = code.strip()
    if not code:
        raise AgencyError(_("Mã định danh điện tử là bắt buộc."))
    if Agency.objects.filter(code=code).exists():
        raise AgencyError(_("Mã định danh %(code)s đã được dùng cho đơn vị khác.") % {"code": code})
    agency = Agency.objects.create(
        code=code, name=name, kind=kind, parent=parent, short_name=short_name, address=address,
        phone=phone, email=email, valid_from=valid_from,
    )
    agency.path = (parent.path if parent else "") + _segment(agency.pk)
    agency.depth = (parent.depth + 1) if parent else 0
    agency.save(update_fields=["path", "depth"])
    audit_record(actor=actor, action="agency.create", obj=agency, summary=f"{code} {name}")
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, actor=None, **changes) -> Agency:
    allowed = {"name", "short_name", "address", "phone", "email", "kind", "valid_from", "valid_to"}
    unknown = set(changes) - allowed
    if unknown:
        raise AgencyError(_("Không thể sửa các trường: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for key, value in changes.items():
        setattr(agency, key, value)
    agency.save(update_fields=list(changes))
    audit_record(actor=actor, action="agency.update", obj=agency, detail={k: str(v) for k, v in changes.items()})
    return agency


@transaction.atomic
def agency_move(*, agency: Agency, new_parent: Agency | None, actor=None) -> Agency:
    """Re-hang an agency and its whole subtree under another parent (one UPDATE for the subtree)."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if new_parent is not None and new_parent.path.startswith(agency.path):
        raise AgencyError(_("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."))
    old_path, old_depth = agency.path, agency.depth
    new_path = (new_parent.path if new_parent else "") + _segment(agency.pk)
    depth_shift = ((new_parent.depth + 1) if new_parent else 0) - old_depth
    Agency.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    Agency.objects.filter(pk=agency.pk).update(parent=new_parent)
    agency.refresh_from_db()
    audit_record(actor=actor, action="agency.move", obj=agency, detail={"from": old_path, "to": new_path})
    return agency


@transaction.atomic
def agency_dissolve(*, agency: Agency, on: date, successor: Agency | None = None, actor=None) -> Agency:
    """End an agency's validity (merger or dissolution); its open work later moves to the successor."""
    if successor is not None and successor.pk == agency.pk:
        raise AgencyError(_("Đơn vị kế thừa phải khác đơn vị bị giải thể."))
    if agency.valid_from and on < agency.valid_from:
        raise AgencyError(_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."))
    agency.valid_to = on
    agency.successor = successor
    agency.save(update_fields=["valid_to", "successor"])
    audit_record(
        actor=actor, action="agency.dissolve", obj=agency,
        detail={"on": on.isoformat(), "successor": successor.code if successor else None},
    )
    return agency


def agency_current(agency: Agency) -> Agency:
    """Follow the successor chain to the agency that carries this one's work today."""
    seen = {agency.pk}
    while agency.successor_id is not None:
        agency = agency.successor
        if agency.pk in seen:
            raise AgencyError(_("Chuỗi đơn vị kế thừa bị lặp."))
        seen.add(agency.pk)
    return agency
