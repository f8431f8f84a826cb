"""Every change of an online filing: drafts and their files, submission, the online supplement, the document store.

Each function checks that the citizen owns what they touch (anything else is NotFound, exactly as if absent),
writes in one transaction and records the audit entry (STYLE habits 1 and 8). Submission hands the e-form to
`dossiers.services.dossier_submit`, which numbers the dossier as `submitted` (national status 1) for the desk's
check; the clock starts only when the desk accepts it.
"""
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.queries import user_is_verified_citizen
from motcua.agencies.queries import desk_of
from motcua.audit.services import audit_record
from motcua.catalogue.models import OnlineLevel, VersionStatus
from motcua.dossiers import files
from motcua.dossiers.applicants import ApplicantData
from motcua.dossiers.models import Attachment, Delivery, Dossier
from motcua.dossiers.services import Intake, ReceivedComponent, Upload, dossier_submit, dossier_supplement_submit_online
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.filings import queries
from motcua.filings.models import DocumentKind, DocumentReuse, Draft, DraftFile, DraftStatus, StoredDocument

# Decree 42/2022/NĐ-CP art. 11: full and partial online services accept online filing; "info" only informs.
ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)

DRAFT_FIELDS = {
    "applicant_type": 16, "applicant_name": 255, "applicant_id_number": 20, "applicant_phone": 20,
    "applicant_email": 254, "applicant_address": 500, "delivery_address": 500, "note": 5000,
}


def offered_online(version) -> bool:
    return version is not None and version.status == VersionStatus.PUBLISHED and version.online_level in ONLINE_LEVELS


def _not_found_draft():
    return NotFound(_("Không tìm thấy hồ sơ nháp."))


def _locked_draft(draft, owner) -> Draft:
    """The owner's draft, locked, still open."""
    pk = draft.pk if isinstance(draft, Draft) else draft
    locked = (Draft.objects.select_for_update().select_related("procedure_version")
              .filter(pk=pk, owner_id=getattr(owner, "pk", None)).first())
    if locked is None:
        raise _not_found_draft()
    if locked.status != DraftStatus.OPEN:
        raise Conflict(_("Hồ sơ này đã được nộp; không thể sửa bản nháp."))
    return locked


# ---- Drafts --------------------------------------------------------------------------------------------------


@transaction.atomic
def draft_create(*, owner, procedure_version, request=None) -> Draft:
    """A new e-form for a procedure offered online, the applicant's details prefilled from the account."""
    if not offered_online(procedure_version):
        raise InvalidInput(_("Thủ tục này không được cung cấp trực tuyến; hãy nộp hồ sơ tại Bộ phận Một cửa."))
    now = clock.now()
    agencies = list(procedure_version.agencies.all())
    draft = Draft.objects.create(
        owner=owner, procedure_version=procedure_version, agency=agencies[0] if len(agencies) == 1 else None,
        **{name: value[:DRAFT_FIELDS[name]] for name, value in queries.applicant_prefill(owner).items()},
        delivery=Delivery.ONLINE if procedure_version.online_level == OnlineLevel.FULL else Delivery.DESK,
        created_at=now, updated_at=now,
    )
    audit_record(actor=owner, action="filing.draft_create", obj=draft, summary=procedure_version.code,
                 request=request)
    return draft


@transaction.atomic
def draft_update(*, draft, owner, data: dict, request=None) -> Draft:
    """Save what the citizen typed, as it is (a draft may be incomplete: everything is checked on submission)."""
    draft = _locked_draft(draft, owner)
    for name, limit in DRAFT_FIELDS.items():
        if name in data and data[name] is not None:
            setattr(draft, name, str(data[name]).strip()[:limit])
    if "delivery" in data and data["delivery"]:
        if data["delivery"] not in Delivery.values:
            raise InvalidInput(_("Hình thức nhận kết quả không hợp lệ."),
                               detail=[{"field": "delivery", "message": _("Hình thức nhận kết quả không hợp lệ.")}])
        draft.delivery = data["delivery"]
    if "agency" in data:
        code = data["agency"]
        agency = None
        if code:
            agency = draft.procedure_version.agencies.filter(code=getattr(code, "code", code)).first()
            if agency is None:
                message = _("Cơ quan này không giải quyết thủ tục đã chọn.")
                raise InvalidInput(message, detail=[{"field": "agency", "message": message}])
        draft.agency = agency
    draft.updated_at = clock.now()
    draft.save()
    audit_record(actor=owner, action="filing.draft_update", obj=draft, summary=draft.procedure_version.code,
                 request=request)
    return draft


def _component(draft: Draft, component_id):
    try:
        component = draft.procedure_version.components.filter(pk=int(component_id)).first()
    except (TypeError, ValueError):
        component = None
    if component is None:
        raise InvalidInput(_("Thành phần hồ sơ không thuộc thủ tục này."))
    return component


def _check_room(draft: Draft, adding: int = 1) -> None:
    try:
        files.check_count(draft.files.count(), adding)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, detail=[{"field": "files", "message": exc.message}])


@transaction.atomic
def draft_upload(*, draft, owner, component_id, name: str, content: bytes, request=None) -> DraftFile:
    """Keep one uploaded file for a component, checked by content type, size and the number of files.

    A refused file leaves the draft and its other files as they were.
    """
    draft = _locked_draft(draft, owner)
    component = _component(draft, component_id)
    field = f"component-{component.pk}"
    try:
        checked = files.check_upload(name=name, content=content)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, detail=[{"field": field, "message": exc.message}])
    _check_room(draft)
    draft_file = DraftFile(draft=draft, component=component, original_name=checked.name,
                           content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                           added_at=clock.now())
    draft_file.file.save(checked.name, files.as_content_file(checked), save=False)
    draft_file.save()
    draft.updated_at = clock.now()
    draft.save(update_fields=["updated_at"])
    audit_record(actor=owner, action="filing.draft_upload", obj=draft, summary=checked.name,
                 detail={"component": component.pk, "sha256": checked.sha256, "size": checked.size},
                 request=request)
    return draft_file


@transaction.atomic
def draft_use_stored(*, draft, owner, component_id, document_id, request=None) -> DraftFile:
    """Use a document from the citizen's store for a component instead of uploading it again."""
    draft = _locked_draft(draft, owner)
    component = _component(draft, component_id)
    document = queries.my_document(owner, document_id, request=request)  # owner's only; a bad id is NotFound
    if draft.files.filter(component=component, stored_document=document).exists():
        raise Conflict(_("Giấy tờ này đã được chọn cho thành phần hồ sơ."))
    _check_room(draft)
    draft_file = DraftFile.objects.create(
        draft=draft, component=component, stored_document=document, original_name=document.original_name,
        content_type=document.content_type, size=document.size, sha256=document.sha256, added_at=clock.now(),
    )
    draft.updated_at = clock.now()
    draft.save(update_fields=["updated_at"])
    audit_record(actor=owner, action="filing.draft_reuse", obj=draft, summary=document.name,
                 detail={"component": component.pk, "document": document.pk}, request=request)
    return draft_file


@transaction.atomic
def draft_remove_file(*, draft, owner, file_id, request=None) -> None:
    """Take a file (or a chosen stored document) off the draft."""
    draft = _locked_draft(draft, owner)
    draft_file = draft.files.filter(pk=file_id).first()
    if draft_file is None:
        raise NotFound(_("Không tìm thấy tệp trong hồ sơ nháp."))
    stored_name = draft_file.file.name if draft_file.file else ""
    draft_file.delete()
    if stored_name:
        transaction.on_commit(lambda: draft_file.file.storage.delete(stored_name))
    draft.updated_at = clock.now()
    draft.save(update_fields=["updated_at"])
    audit_record(actor=owner, action="filing.draft_remove_file", obj=draft, summary=draft_file.original_name,
                 request=request)


# ---- Submission ----------------------------------------------------------------------------------------------


def _applicant(draft: Draft) -> ApplicantData:
    return ApplicantData(type=draft.applicant_type, name=draft.applicant_name, id_number=draft.applicant_id_number,
                         phone=draft.applicant_phone, email=draft.applicant_email, address=draft.applicant_address)


def _problems(draft: Draft, by_component: dict) -> list[dict]:
    """Every reason the e-form cannot be submitted yet, each with the form field it belongs to."""
    problems = []
    try:
        _applicant(draft).cleaned()
    except InvalidInput as exc:
        problems += exc.detail or [{"field": "applicant", "message": exc.message}]
    for component in draft.procedure_version.components.all():
        if component.required and not by_component.get(component.pk):
            problems.append({"field": f"component-{component.pk}",
                             "message": _("Hãy tải lên hoặc chọn giấy tờ đã lưu cho: %(name)s.")
                             % {"name": component.name}})
    if draft.delivery == Delivery.POST and not draft.delivery_address.strip():
        problems.append({"field": "delivery_address", "message": _("Hãy ghi địa chỉ nhận kết quả qua bưu chính.")})
    if draft.agency_id is None and draft.procedure_version.agencies.count() != 1:
        problems.append({"field": "agency", "message": _("Hãy chọn cơ quan giải quyết hồ sơ.")})
    return problems


def _file_into_store(*, owner, name: str, attachment: Attachment, dossier: Dossier, kind: str) -> StoredDocument:
    """The attachment as a document of the owner's store (the same stored file; one row per distinct content)."""
    existing = StoredDocument.objects.filter(owner=owner, kind=kind, sha256=attachment.sha256).first()
    if existing is not None:
        return existing
    return StoredDocument.objects.create(
        owner=owner, name=name[:500], kind=kind, file=attachment.file.name, original_name=attachment.original_name,
        sha256=attachment.sha256, size=attachment.size, content_type=attachment.content_type,
        source_dossier=dossier, created_at=clock.now(),
    )


@transaction.atomic
def filing_submit(*, draft, owner, request=None) -> Dossier:
    """Submit the e-form: the dossier is filed online as `submitted` and waits for the desk's check.

    In one transaction: the dossier with every file as its scans, a reuse record for every stored document used,
    every new upload filed into the citizen's store, and the draft marked submitted.
    """
    draft = _locked_draft(draft, owner)
    if not user_is_verified_citizen(owner):
        raise PermissionDenied(
            _("Tài khoản chưa được xác thực: hãy xác thực thư điện tử hoặc số điện thoại trước khi nộp hồ sơ. "
              "Bản nháp của bạn vẫn được lưu.")
        )
    version = draft.procedure_version
    if not offered_online(version):
        raise InvalidInput(_("Thủ tục này không còn được cung cấp trực tuyến; hãy nộp hồ sơ tại Bộ phận Một cửa."))
    draft_files = list(draft.files.select_related("component", "stored_document").order_by("added_at", "id"))
    by_component = defaultdict(list)
    for draft_file in draft_files:
        by_component[draft_file.component_id].append(draft_file)
    problems = _problems(draft, by_component)
    if problems:
        raise InvalidInput("; ".join(p["message"] for p in problems), detail=problems)
    agency = draft.agency or version.agencies.first()
    desk = desk_of(agency)
    if desk is None:
        raise InvalidInput(_("%(agency)s chưa có bộ phận tiếp nhận hồ sơ trực tuyến.") % {"agency": agency.name})
    uploads = []
    for draft_file in draft_files:
        source = draft_file.stored_document or draft_file
        uploads.append(Upload(name=draft_file.original_name, content=files.read_verified(source),
                              component_id=draft_file.component_id))
    components = [
        ReceivedComponent(component_id=c.pk, originals=c.originals, certified_copies=c.certified_copies,
                          photocopies=c.photocopies or (0 if c.originals or c.certified_copies else 1))
        for c in version.components.all() if by_component.get(c.pk)
    ]
    reused = [{"component_id": f.component_id, "document": f.stored_document_id, "sha256": f.sha256}
              for f in draft_files if f.reused]
    intake = Intake(procedure=version, applicant=_applicant(draft), components=components, delivery=draft.delivery,
                    delivery_address=draft.delivery_address, note=draft.note, agency=agency, uploads=uploads,
                    fees_paid=False)
    dossier = dossier_submit(desk=desk, intake=intake, citizen=owner, reused=reused, request=request)
    now = clock.now()
    attachments = list(dossier.attachments.order_by("id"))  # created in the order of `uploads`
    rows = {row.component_id: row for row in dossier.components.all()}
    for draft_file, attachment in zip(draft_files, attachments, strict=True):
        if draft_file.reused:
            DocumentReuse.objects.create(dossier=dossier, component=rows.get(draft_file.component_id),
                                         stored_document=draft_file.stored_document, attachment=attachment, at=now)
        else:
            _file_into_store(owner=owner, name=draft_file.component.name, attachment=attachment, dossier=dossier,
                             kind=DocumentKind.UPLOADED)
    draft.status, draft.dossier, draft.submitted_at, draft.updated_at = DraftStatus.SUBMITTED, dossier, now, now
    draft.save()
    audit_record(actor=owner, action="filing.submit", obj=draft, summary=dossier.code,
                 detail={"files": len(draft_files), "reused": len(reused)}, request=request)
    return dossier


# ---- After submission ----------------------------------------------------------------------------------------


@transaction.atomic
def supplement_submit_online(*, dossier, citizen, note: str = "", uploads: list[Upload], request=None) -> Dossier:
    """The citizen answers the supplement request online; the files also go into their document store."""
    dossier = dossier_supplement_submit_online(dossier=dossier, citizen=citizen, note=note.strip()[:2000],
                                               uploads=list(uploads), request=request)
    latest = dossier.attachments.filter(kind="supplement").order_by("-id")[:len(uploads)]
    for attachment in latest:
        _file_into_store(owner=citizen, name=attachment.original_name, attachment=attachment, dossier=dossier,
                         kind=DocumentKind.UPLOADED)
    return dossier


def store_result(*, dossier: Dossier, attachment: Attachment) -> StoredDocument | None:
    """An electronic result of the citizen's dossier goes into their store (called on completion, in a savepoint)."""
    if not dossier.citizen_id:
        return None
    document = _file_into_store(owner=dossier.citizen, name=dossier.procedure_version.result_name or
                                attachment.original_name, attachment=attachment, dossier=dossier,
                                kind=DocumentKind.RESULT)
    audit_record(actor=None, action="filing.store_result", obj=document, summary=dossier.code)
    return document
