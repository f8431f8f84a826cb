"""Changing the catalogue: creating, revising, publishing and retiring procedures (the only writers)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.catalogue.models import (
    Component,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    Step,
    VersionStatus,
)
from motcua.catalogue.spec import KIND_TOKENS, ProcedureSpec
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.text import fold


def _resolve_agencies(spec: ProcedureSpec) -> list[Agency]:
    codes = [t for t in spec.agency_tokens if t not in KIND_TOKENS]
    kinds = [KIND_TOKENS[t] for t in spec.agency_tokens if t in KIND_TOKENS]
    agencies = {a.pk: a for a in Agency.objects.filter(code__in=codes)}
    if kinds:
        agencies.update({a.pk: a for a in Agency.objects.active().filter(kind__in=kinds)})
    return sorted(agencies.values(), key=lambda a: a.path)


def _check_editor(actor, agencies: list[Agency]) -> None:
    """A catalogue editor may edit a procedure only if every implementing agency lies in their reach."""
    if actor is None:
        return  # set-up commands (loaddemo, import from the shell)
    if not user_can(actor, Perm.CATALOGUE_EDIT):
        raise PermissionDenied(_("Bạn không có quyền biên tập thủ tục hành chính."))
    outside = [a.code for a in agencies if not user_can(actor, Perm.CATALOGUE_EDIT, a)]
    if outside:
        raise PermissionDenied(
            _("Bạn không có quyền biên tập thủ tục của các cơ quan: %(agencies)s.")
            % {"agencies": ", ".join(outside[:5]) + ("…" if len(outside) > 5 else "")}
        )


def _field_for(spec: ProcedureSpec) -> Field:
    field = Field.objects.filter(code=spec.field_code).first()
    if field is not None:
        return field
    if not spec.field_name:
        raise InvalidInput(
            _("Không có lĩnh vực mã %(code)s; hãy ghi tên lĩnh vực để tạo mới.") % {"code": spec.field_code}
        )
    return Field.objects.create(code=spec.field_code, name=spec.field_name)


def field_ensure(*, code: str, name: str, actor=None) -> Field:
    """The field with `code`, created with `name` if it does not exist yet."""
    field = Field.objects.filter(code=code).first()
    if field is None:
        field = Field.objects.create(code=code, name=name)
        audit_record(actor=actor, action="field.create", obj=field, summary=f"{code} {name}")
    return field


def _search_key(spec: ProcedureSpec, field: Field) -> str:
    # Kept short on purpose: every search scans it (bench/catalogue_search.py); components are not searched.
    parts = [spec.code, spec.name, field.name, spec.result_name]
    return fold(" ".join(parts))


def _write_version(*, procedure: Procedure, number: int, status: str, spec: ProcedureSpec,
                   agencies: list[Agency], actor) -> ProcedureVersion:
    field = _field_for(spec)
    levels = set(spec.levels)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=number, status=status, name=spec.name, field=field,
        at_province="province" in levels, at_district="district" in levels, at_commune="commune" in levels,
        legal_limit=spec.legal_limit, committed_limit=spec.committed_limit, limit_unit=spec.limit_unit,
        online_level=spec.online_level, applicant_types=list(spec.applicant_types),
        result_name=spec.result_name, result_kind=spec.result_kind, legal_basis=spec.legal_basis,
        conditions=spec.conditions, description=spec.description,
        name_key=fold(spec.name), search_key=_search_key(spec, field),
        valid_from=timezone.now() if status == VersionStatus.PUBLISHED else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.agencies.set(agencies)
    Component.objects.bulk_create(
        Component(version=version, order=i, name=c.name, required=c.required, originals=c.originals,
                  certified_copies=c.certified_copies, photocopies=c.photocopies, note=c.note)
        for i, c in enumerate(spec.components)
    )
    Fee.objects.bulk_create(
        Fee(version=version, order=i, name=f.name, amount=f.amount, collected=f.collected)
        for i, f in enumerate(spec.fees)
    )
    step_agencies = {a.code: a for a in Agency.objects.filter(code__in={s.agency_code for s in spec.steps})}
    Step.objects.bulk_create(
        Step(version=version, order=i, name=s.name, kind=s.kind, agency=step_agencies.get(s.agency_code),
             role=s.role, hours=s.hours)
        for i, s in enumerate(spec.steps)
    )
    return version


def _retire_published(procedure: Procedure, *, keep: ProcedureVersion) -> None:
    for old in procedure.versions.filter(status=VersionStatus.PUBLISHED).exclude(pk=keep.pk):
        old.status = VersionStatus.RETIRED
        old.valid_to = timezone.now()
        old.save(update_fields=["status", "valid_to"])


@transaction.atomic
def procedure_create(*, spec: ProcedureSpec, actor, publish: bool = True) -> ProcedureVersion:
    """Add a new procedure to the catalogue as version 1 (published, or a draft)."""
    agencies = _resolve_agencies(spec)
    _check_editor(actor, agencies)
    if Procedure.objects.filter(code=spec.code).exists():
        raise Conflict(_("Đã có thủ tục mã %(code)s.") % {"code": spec.code})
    procedure = Procedure.objects.create(code=spec.code)
    status = VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT
    version = _write_version(procedure=procedure, number=1, status=status, spec=spec, agencies=agencies, actor=actor)
    procedure.current = version
    procedure.save(update_fields=["current"])
    audit_record(actor=actor, action="procedure.create", obj=procedure, summary=spec.name,
                 detail={"version": 1, "status": status})
    return version


@transaction.atomic
def procedure_revise(*, procedure: Procedure, spec: ProcedureSpec, actor, publish: bool) -> ProcedureVersion:
    """Record an edit as a new version. Published versions are never changed in place.

    With `publish`, the new version is in force at once and the previous one is retired; otherwise it is a
    draft (replacing any earlier unpublished draft) and the published version stays in force.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if spec.code != procedure.code:
        raise InvalidInput(_("Không thể đổi mã thủ tục khi sửa; hãy tạo thủ tục mới."))
    agencies = _resolve_agencies(spec)
    current = procedure.current
    _check_editor(actor, agencies + (list(current.agencies.all()) if current else []))
    procedure.versions.filter(status=VersionStatus.DRAFT).delete()
    number = (procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    status = VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT
    version = _write_version(procedure=procedure, number=number, status=status, spec=spec, agencies=agencies,
                             actor=actor)
    if publish:
        _retire_published(procedure, keep=version)
        procedure.current = version
    elif current is None or current.status != VersionStatus.PUBLISHED:
        procedure.current = version
    procedure.save(update_fields=["current"])
    audit_record(actor=actor, action="procedure.revise", obj=procedure, summary=spec.name,
                 detail={"version": number, "status": status})
    return version


@transaction.atomic
def procedure_publish(*, version: ProcedureVersion, actor) -> ProcedureVersion:
    """Put a draft version in force; the version it replaces is retired."""
    version = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    _check_editor(actor, list(version.agencies.all()))
    if version.status != VersionStatus.DRAFT:
        raise Conflict(
            _("Phiên bản %(number)s không phải bản nháp nên không thể công bố.") % {"number": version.number}
        )
    version.status = VersionStatus.PUBLISHED
    version.valid_from = timezone.now()
    version.save(update_fields=["status", "valid_from"])
    procedure = version.procedure
    _retire_published(procedure, keep=version)
    procedure.current = version
    procedure.save(update_fields=["current"])
    audit_record(actor=actor, action="procedure.publish", obj=procedure, detail={"version": version.number})
    return version


@transaction.atomic
def procedure_retire(*, procedure: Procedure, actor) -> None:
    """Take a procedure out of the published catalogue (its versions stay for the dossiers that used them)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = procedure.current
    if current is None or current.status != VersionStatus.PUBLISHED:
        raise Conflict(_("Thủ tục này không có phiên bản đang công bố."))
    _check_editor(actor, list(current.agencies.all()))
    current.status = VersionStatus.RETIRED
    current.valid_to = timezone.now()
    current.save(update_fields=["status", "valid_to"])
    audit_record(actor=actor, action="procedure.retire", obj=procedure, detail={"version": current.number})


def procedure_get(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code).select_related("current").first()
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục mã %(code)s.") % {"code": code})
    return procedure


@transaction.atomic
def procedure_upsert(*, spec: ProcedureSpec, actor, publish: bool = True) -> tuple[ProcedureVersion, bool]:
    """Create the procedure, or revise it if its code exists; returns (version, created)."""
    existing = Procedure.objects.filter(code=spec.code).first()
    if existing is None:
        return procedure_create(spec=spec, actor=actor, publish=publish), True
    return procedure_revise(procedure=existing, spec=spec, actor=actor, publish=publish), False
