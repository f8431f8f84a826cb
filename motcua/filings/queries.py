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
                            .select_related("signed_by").order_by("uploaded_at", "id")),
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


def reuses_of(dossier) -> QuerySet[DocumentReuse]:
    return DocumentReuse.objects.filter(dossier=dossier).select_related("stored_document", "component")


def reuse_share(dossiers: QuerySet[Dossier]) -> tuple[int, int]:
    """(online dossiers reusing stored documents, online dossiers) among `dossiers`: QĐ 766's reuse indicator."""
    online = dossiers.filter(channel="online")
    reusing = Count("id", filter=Q(document_reuses__isnull=False), distinct=True)
    totals = online.aggregate(total=Count("id", distinct=True), reusing=reusing)
    return totals["reusing"], totals["total"]
