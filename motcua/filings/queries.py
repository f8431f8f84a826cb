"""Reading what a citizen owns: their drafts, their dossiers, their stored documents — never anyone else's.

Every lookup filters on the owner in the query itself. Asking for someone else's row answers NotFound, exactly as
for a row that does not exist, and leaves an audit entry (`filing.denied`) so that probing shows up in the log.
Reading one's own dossier is audited too (it shows personal data, DESIGN "Who sees what").
"""
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.dossiers.models import Attachment, Dossier, DossierEvent, DossierStep
from motcua.dossiers.queries import applicant_files_q, dossier_read
from motcua.errors import NotFound
from motcua.filings.models import DocumentReuse, Draft, DraftFile, DraftStatus, StoredDocument

# Events the applicant is told about (the others are the agencies' internal handoffs).
APPLICANT_EVENTS = ("receive", "accept", "refuse", "request_supplement", "supplement_received", "request_payment",
                    "payment_received", "record_payment", "apologise", "complete", "return", "withdraw", "stop")


def _pk(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _denied(user, what: str, key, request=None) -> None:
    audit_record(actor=user, action="filing.denied", summary=f"{what} {key}"[:255],
                 detail={"what": what, "key": str(key)[:100]}, request=request)


def my_drafts(user) -> QuerySet[Draft]:
    """The citizen's open drafts, last saved first."""
    return (Draft.objects.filter(owner_id=user.pk, status=DraftStatus.OPEN)
            .select_related("procedure_version__procedure", "agency").annotate(file_count=Count("files"))
            .order_by("-updated_at", "-id"))


def draft_for(user, draft_id, *, request=None) -> Draft:
    """One of the citizen's drafts with its files; NotFound (audited) for another's or an absent one."""
    pk = _pk(draft_id)
    draft = None
    if pk is not None:
        draft = (Draft.objects.filter(pk=pk, owner_id=user.pk)
                 .select_related("procedure_version__procedure", "agency", "dossier")
                 .prefetch_related(Prefetch("files", queryset=DraftFile.objects.select_related("stored_document")),
                                   "procedure_version__components", "procedure_version__agencies")
                 .first())
    if draft is None:
        _denied(user, "draft", draft_id, request)
        raise NotFound(_("Không tìm thấy hồ sơ nháp."))
    return draft


def open_draft_for_procedure(user, version) -> Draft | None:
    return my_drafts(user).filter(procedure_version=version).first()


def my_dossiers(user) -> QuerySet[Dossier]:
    """Every dossier the citizen filed online, newest first."""
    return (Dossier.objects.filter(citizen_id=user.pk)
            .select_related("procedure_version__procedure", "desk", "current_agency")
            .order_by("-submitted_at", "-id"))


def my_dossier(user, code: str, *, request=None) -> Dossier:
    """One of the citizen's dossiers with what the applicant may see; audited; NotFound (audited) otherwise."""
    dossier = (Dossier.objects.filter(code=code, citizen_id=user.pk)
               .select_related("procedure_version__procedure", "desk", "agency", "current_agency")
               .prefetch_related(
                   "components", "fees",
                   Prefetch("attachments", queryset=Attachment.objects.filter(applicant_files_q())
                            .select_related("signed_by", "component").order_by("uploaded_at", "id")),
                   Prefetch("events", queryset=DossierEvent.objects.filter(action__in=APPLICANT_EVENTS)
                            .order_by("at", "id"), to_attr="applicant_events"),
                   Prefetch("steps", queryset=DossierStep.objects.select_related("agency")))
               .first())
    if dossier is None:
        _denied(user, "dossier", code, request)
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier_read(dossier, user=user, detail={"by": "citizen"}, request=request)


def my_attachment(user, code: str, attachment_id, *, request=None) -> Attachment:
    """A file of one of the citizen's dossiers (their scans, supplements and results)."""
    attachment = (Attachment.objects.filter(applicant_files_q(), pk=_pk(attachment_id), dossier__code=code,
                                            dossier__citizen_id=user.pk).select_related("dossier").first())
    if attachment is None:
        _denied(user, "attachment", f"{code}/{attachment_id}", request)
        raise NotFound(_("Không tìm thấy tệp."))
    return attachment


def my_documents(user) -> QuerySet[StoredDocument]:
    """The citizen's document store: uploads and electronic results, newest first."""
    return (StoredDocument.objects.filter(owner_id=user.pk).select_related("source_dossier")
            .annotate(reuse_count=Count("reuses")).order_by("-created_at", "-id"))


def my_document(user, document_id, *, request=None) -> StoredDocument:
    document = StoredDocument.objects.filter(pk=_pk(document_id), owner_id=user.pk).first()
    if document is None:
        _denied(user, "document", document_id, request)
        raise NotFound(_("Không tìm thấy giấy tờ đã lưu."))
    return document


def applicant_prefill(user) -> dict:
    """What the e-form's applicant fields start with: all the account knows, then the citizen's latest dossier.

    The citizen profile comes first (it is what the account page promises to fill in), then the user row, then
    the applicant details of the citizen's own latest dossier for anything still blank (an address or ID typed
    once is not asked for again). Keys are the draft's field names; every value stays editable on the form.
    """
    from motcua.accounts.queries import citizen_profile

    profile = citizen_profile(user)
    values = {"applicant_type": "", "applicant_name": "", "applicant_id_number": "", "applicant_phone": "",
              "applicant_email": "", "applicant_address": ""}
    if profile is not None:
        values.update(applicant_type=profile.kind, applicant_name=profile.name, applicant_id_number=profile.id_number,
                      applicant_phone=profile.phone, applicant_email=profile.email,
                      applicant_address=profile.address)
    account = {"applicant_name": getattr(user, "full_name", "") or user.get_full_name(),
               "applicant_phone": getattr(user, "phone", ""), "applicant_email": user.email}
    for name, value in account.items():
        values[name] = values[name] or value or ""
    if not all(values.values()):
        latest = my_dossiers(user).first()
        if latest is not None:
            for name in values:
                values[name] = values[name] or getattr(latest, name, "") or ""
    values["applicant_type"] = values["applicant_type"] or "citizen"
    values["delivery_address"] = values["applicant_address"]  # where a result by post goes, unless changed
    return {name: str(value).strip() for name, value in values.items()}


def stored_for_components(user, components, *, skip=()) -> dict[int, StoredDocument]:
    """For each component (but those in `skip`), the citizen's latest stored document of the same name, if any.

    Uploads are stored under their component's name and results under the procedure's result name, so a paper
    the citizen already gave (or was given) for the same component is offered first instead of asked for again.
    """
    wanted = {c.name: c.pk for c in components if c.pk not in skip}
    if not wanted:
        return {}
    found: dict[int, StoredDocument] = {}
    for document in my_documents(user).filter(name__in=list(wanted)):
        found.setdefault(wanted[document.name], document)  # newest first
    return found


def reuses_of(dossier) -> QuerySet[DocumentReuse]:
    return DocumentReuse.objects.filter(dossier=dossier).select_related("stored_document", "component")


def reuse_share(dossiers: QuerySet[Dossier]) -> tuple[int, int]:
    """(online dossiers reusing stored documents, online dossiers) among `dossiers`: QĐ 766's reuse indicator."""
    online = dossiers.filter(channel="online")
    reusing = Count("id", filter=Q(document_reuses__isnull=False), distinct=True)
    totals = online.aggregate(total=Count("id", distinct=True), reusing=reusing)
    return totals["reusing"], totals["total"]
