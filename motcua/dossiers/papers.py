"""A dossier's papers (Mẫu 01–05) and a desk's logbook (Mẫu 06): the dossier's facts as the `documents` contexts.

Forms and their content follow Circular 01/2018/TT-VPCP (LEGAL.md "Papers"); rendering is `motcua.documents`.
"""
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.agencies.models import Agency
from motcua.catalogue.templatetags.catalogue_tags import time_limit
from motcua.documents import papers as render
from motcua.dossiers.models import Apology, Delivery, Outcome, SupplementRequest
from motcua.dossiers.workflow import Status
from motcua.errors import NotFound

PAPERS = ("mau-01", "mau-02", "mau-03", "mau-04", "mau-05")


def _t(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M, %d/%m/%Y") if moment else ""


def _d(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""


def _province(agency: Agency) -> str:
    root = agency
    while root.parent_id is not None:
        root = root.parent
    return root.name.upper()


def tracking_url(dossier) -> str:
    base = getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/tra-cuu/?code={dossier.code}"


def _result_place(dossier) -> str:
    if dossier.delivery == Delivery.POST:
        return _("Qua dịch vụ bưu chính: %(address)s") % {"address": dossier.delivery_address}
    if dossier.delivery == Delivery.ONLINE:
        return _("Nhận trực tuyến")
    return _("Tại %(desk)s") % {"desk": dossier.desk.name}


def applicable(dossier) -> list[str]:
    """The papers that exist for this dossier now."""
    forms = []
    if dossier.received_at is not None:
        forms += ["mau-01"]
    if SupplementRequest.objects.filter(dossier=dossier).exists():
        forms.append("mau-02")
    if dossier.status == Status.REFUSED:
        forms.append("mau-03")
    if Apology.objects.filter(dossier=dossier).exists():
        forms.append("mau-04")
    if dossier.received_at is not None:
        forms.append("mau-05")
    return forms


def _control_rows(dossier) -> list[dict]:
    rows = []
    previous = dossier.desk
    for step in dossier.steps.select_related("agency", "assignee").order_by("order", "id"):
        if step.started_at is None:
            continue
        holder = step.agency.name + (f" – {step.assignee.display_name}" if step.assignee else "")
        rows.append({
            "handed_by": previous.name, "handed_at": _t(step.started_at),
            "received_by": holder, "received_at": _t(step.started_at),
            "outcome": Outcome(step.outcome).label if step.outcome else "",
            "note": step.name,
        })
        previous = step.agency
    return rows


def context(dossier) -> dict:
    version = dossier.procedure_version
    ctx = {
        "province": _province(dossier.desk),
        "agency_name": dossier.desk.name.upper(),
        "desk_name": dossier.desk.name,
        "place": "Quảng Nam",
        "today": _d(clock.now()),
        "code": dossier.code,
        "tracking_url": tracking_url(dossier),
        "applicant": {
            "name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone, "email": dossier.applicant_email,
            "address": dossier.applicant_address, "type_label": dossier.get_applicant_type_display(),
        },
        "procedure": {"name": version.name, "code": version.procedure.code,
                      "legal_limit": time_limit(version.legal_limit, version.limit_unit)},
        "components": [{"name": c.name, "originals": c.originals, "certified_copies": c.certified_copies,
                        "photocopies": c.photocopies} for c in dossier.components.all()],
        "sets": dossier.sets,
        "received_at": _t(dossier.received_at),
        "due_at": _t(dossier.due_at),
        "result_place": _result_place(dossier),
        "logbook": {"volume": str(timezone.localtime(dossier.received_at).year) if dossier.received_at else "",
                    "number": f"{dossier.logbook_number:04d}" if dossier.logbook_number else ""},
        "officer": dossier.received_by.display_name if dossier.received_by else "",
        "control": {"lead_agency": dossier.agency.name,
                    "coordinating": sorted({s.agency.name for s in dossier.steps.select_related("agency")
                                            if s.agency_id not in (dossier.agency_id, dossier.desk_id)}),
                    "rows": _control_rows(dossier)},
    }
    supplement = SupplementRequest.objects.filter(dossier=dossier).select_related("requested_by").first()
    if supplement is not None:
        ctx["supplement"] = {"items": supplement.items, "reason": supplement.reason,
                             "contact": supplement.contact or supplement.requested_by.display_name,
                             "requested_at": _t(supplement.requested_at)}
    if dossier.status == Status.REFUSED:
        ctx["refusal"] = {"reason": dossier.closing_reason, "at": _t(dossier.closed_at)}
    apology = Apology.objects.filter(dossier=dossier).select_related("by", "agency").first()
    if apology is not None:
        ctx["apology"] = {"reason": apology.reason, "original_due_at": _t(apology.original_due_at),
                          "new_due_at": _t(apology.new_due_at), "signer": apology.by.display_name,
                          "agency": apology.agency.name}
    return ctx


def paper_pdf(dossier, form: str) -> bytes:
    """One of Mẫu 01–05 for the dossier; NotFound for a paper that does not apply to it."""
    if form not in PAPERS or form not in applicable(dossier):
        raise NotFound(_("Hồ sơ %(code)s không có giấy tờ %(form)s.") % {"code": dossier.code, "form": form})
    ctx = context(dossier)
    if form == "mau-04":
        ctx["agency_name"] = ctx["apology"]["agency"].upper()
    return render.paper_pdf(form, ctx)


def _logbook_context(*, desk: Agency, dossiers, date_from, date_to) -> dict:
    rows = []
    for n, dossier in enumerate(dossiers, start=1):
        steps = list(dossier.steps.all())
        processing = [s for s in steps if s.kind not in ("receive", "return") and s.started_at]
        rows.append({
            "no": n, "code": dossier.code, "procedure": dossier.procedure_version.name, "sets": dossier.sets,
            "applicant": dossier.applicant_name,
            "address_phone": " – ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p),
            "lead_agency": dossier.agency.name, "received_at": _t(dossier.received_at), "due_at": _t(dossier.due_at),
            "sent_at": _t(processing[0].started_at) if processing else "",
            "result_back_at": _t(dossier.completed_at), "returned_at": _t(dossier.returned_at),
            "note": dossier.get_status_display() if dossier.status != Status.RETURNED else "",
        })
    return {"province": _province(desk), "agency_name": desk.name.upper(), "date_from": date_from.strftime("%d/%m/%Y"),
            "date_to": date_to.strftime("%d/%m/%Y"), "rows": rows}


def logbook_pdf(*, desk: Agency, dossiers, date_from, date_to) -> bytes:
    return render.logbook_pdf(_logbook_context(desk=desk, dossiers=dossiers, date_from=date_from, date_to=date_to))


def logbook_xlsx(*, desk: Agency, dossiers, date_from, date_to) -> bytes:
    return render.logbook_xlsx(_logbook_context(desk=desk, dossiers=dossiers, date_from=date_from, date_to=date_to))
