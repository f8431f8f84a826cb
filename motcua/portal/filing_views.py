"""Citizen pages: the e-form (`/nop-ho-so/`), "Hồ sơ của tôi" (`/ho-so-cua-toi/`) and the document store.

Thin: reads through `filings.queries` (which only ever return the signed-in citizen's rows and answer 404 for
anyone else's, auditing the attempt), writes through `filings.services`. Every upload is its own transaction, so
a refused file leaves the files already saved in the draft where they are, and what was typed is saved first.
"""
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalogue import queries as catalogue
from motcua.catalogue.models import ApplicantType
from motcua.dossiers import files
from motcua.dossiers.models import Delivery
from motcua.dossiers.services import Upload
from motcua.dossiers.workflow import Action, Status, target
from motcua.errors import Conflict, DomainError, InvalidInput, NotFound
from motcua.filings import queries, services
from motcua.portal.access import citizen_required

FORM_TEMPLATE = "portal/filing/form.html"
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


def _limits() -> dict:
    return {"max_mb": files.max_file_bytes() // (1024 * 1024), "max_files": files.max_files(), "accept": ACCEPT}


def _add(errors: dict, problems) -> None:
    """File each problem under its form field (`applicant.name` is the input `applicant_name`)."""
    for problem in problems or []:
        field = problem.get("field", "form").replace("applicant.", "applicant_")
        errors.setdefault(field, []).append(problem["message"])


def _errors_of(exc: DomainError) -> dict:
    errors: dict = {}
    if isinstance(exc.detail, list) and exc.detail and isinstance(exc.detail[0], dict):
        _add(errors, exc.detail)
    else:
        errors["form"] = [exc.message]
    return errors


def _form_context(request, draft, version, errors=None) -> dict:
    chosen = {}
    if draft is not None:
        for draft_file in draft.files.all():
            chosen.setdefault(draft_file.component_id, []).append(draft_file)
    all_components = list(version.components.all())
    suggested = queries.stored_for_components(request.user, all_components, skip=set(chosen))
    components = [{"component": c, "files": chosen.get(c.pk, []), "field": f"component-{c.pk}",
                   "suggested": suggested.get(c.pk), "errors": (errors or {}).get(f"component-{c.pk}", [])}
                  for c in all_components]
    if draft is not None:
        values = {name: getattr(draft, name) for name in services.DRAFT_FIELDS}
    else:
        values = {**dict.fromkeys(services.DRAFT_FIELDS, ""), **queries.applicant_prefill(request.user)}
    return {"version": version, "draft": draft, "values": values, "components": components, "errors": errors or {},
            "documents": list(queries.my_documents(request.user)), "agencies": list(version.agencies.all()),
            "applicant_types": ApplicantType.choices, "deliveries": Delivery.choices, **_limits()}


def _save(request, draft) -> dict:
    """Save the typed fields, then each upload and each stored document chosen; collect every refusal by field."""
    errors: dict = {}
    data = {name: request.POST.get(name) for name in services.DRAFT_FIELDS if name in request.POST}
    for name in ("delivery", "agency"):
        if name in request.POST:
            data[name] = request.POST.get(name)
    try:
        services.draft_update(draft=draft, owner=request.user, data=data, request=request)
    except InvalidInput as exc:
        _add(errors, exc.detail)
    for component in draft.procedure_version.components.all():
        field = f"component-{component.pk}"
        for upload in request.FILES.getlist(field):
            try:
                files.check_size(name=upload.name, size=upload.size)
                services.draft_upload(draft=draft, owner=request.user, component_id=component.pk, name=upload.name,
                                      content=upload.read(), request=request)
            except InvalidInput as exc:
                errors.setdefault(field, []).append(exc.message)
        document_id = request.POST.get(f"reuse-{component.pk}")
        if document_id:
            try:
                services.draft_use_stored(draft=draft, owner=request.user, component_id=component.pk,
                                          document_id=document_id, request=request)
            except (NotFound, Conflict, InvalidInput) as exc:
                errors.setdefault(field, []).append(exc.message)
    return errors


def _handle(request, draft):
    errors = _save(request, draft)
    if request.POST.get("action") == "submit":
        draft = queries.draft_for(request.user, draft.pk, request=request)
        if not errors:
            try:
                dossier = services.filing_submit(draft=draft, owner=request.user, request=request)
            except DomainError as exc:
                errors = _errors_of(exc)
            else:
                return redirect("portal:my-dossier", code=dossier.code)
    if errors:
        draft = queries.draft_for(request.user, draft.pk, request=request)
        context = _form_context(request, draft, draft.procedure_version, errors)
        return render(request, FORM_TEMPLATE, context, status=400)
    return redirect(f"{reverse('portal:filing-draft', args=[draft.pk])}?da-luu=1")


@citizen_required
@require_http_methods(["GET", "POST"])
def filing_start(request, code):
    """`/nop-ho-so/<code>/`: the e-form of a procedure offered online (the citizen's open draft if there is one)."""
    version = catalogue.procedure_detail(code)
    if version is None or not services.offered_online(version):
        raise Http404(_("Thủ tục này không được cung cấp trực tuyến."))
    existing = queries.open_draft_for_procedure(request.user, version)
    if request.method == "GET":
        if existing is not None:
            return redirect("portal:filing-draft", draft_id=existing.pk)
        return render(request, FORM_TEMPLATE, _form_context(request, None, version))
    draft = existing or services.draft_create(owner=request.user, procedure_version=version, request=request)
    return _handle(request, draft)


@citizen_required
@require_http_methods(["GET", "POST"])
def filing_draft(request, draft_id):
    """`/nop-ho-so/nhap/<id>/`: the citizen's saved draft; POST saves it (and submits it with action=submit)."""
    try:
        draft = queries.draft_for(request.user, draft_id, request=request)
    except NotFound:
        raise Http404
    if draft.dossier_id:
        return redirect("portal:my-dossier", code=draft.dossier.code)
    if request.method == "POST":
        return _handle(request, draft)
    context = _form_context(request, draft, draft.procedure_version)
    context["saved"] = request.GET.get("da-luu") == "1"
    return render(request, FORM_TEMPLATE, context)


@citizen_required
@require_POST
def filing_remove_file(request, draft_id, file_id):
    try:
        draft = queries.draft_for(request.user, draft_id, request=request)
        services.draft_remove_file(draft=draft, owner=request.user, file_id=file_id, request=request)
    except NotFound:
        raise Http404
    except Conflict:
        pass
    return redirect("portal:filing-draft", draft_id=draft_id)


# ---- Hồ sơ của tôi -------------------------------------------------------------------------------------------


@citizen_required
@require_GET
def my_dossiers(request):
    return render(request, "portal/filing/my_dossiers.html", {
        "drafts": list(queries.my_drafts(request.user)), "dossiers": list(queries.my_dossiers(request.user)[:200]),
    })


def _detail_context(request, dossier) -> dict:
    from motcua.dossiers.papers import applicable
    from motcua.payments.gateways import available
    from motcua.payments.services import CLOSED_WITHOUT_RESULT
    from motcua.ratings.models import RatingChannel

    supplement = getattr(dossier, "supplement_request", None) if dossier.supplement_count else None
    unpaid = [fee for fee in dossier.fees.all() if fee.paid_at is None]
    return {
        "dossier": dossier, "events": dossier.applicant_events, "supplement": supplement,
        "can_supplement": dossier.status == Status.AWAITING_SUPPLEMENT,
        "papers": applicable(dossier), "unpaid": unpaid, "unpaid_total": sum(f.amount for f in unpaid),
        "can_pay": bool(unpaid) and bool(available()) and dossier.status not in CLOSED_WITHOUT_RESULT,
        "results": [a for a in dossier.attachments.all() if a.kind == "result"],
        "own_files": [a for a in dossier.attachments.all() if a.kind in ("scan", "supplement")],
        "can_choose_post": dossier.posted_at is None and target(dossier.status, Action.CHOOSE_POST) is not None,
        "can_rate": dossier.status == Status.RETURNED
        and not dossier.ratings.filter(channel=RatingChannel.ACCOUNT).exists(),
        "reuses": list(queries.reuses_of(dossier)), **_limits(),
    }


def _own_dossier(request, code):
    """The signed-in citizen's dossier `code` (the read is audited); 404 for absent or someone else's (audited)."""
    try:
        return queries.my_dossier(request.user, code, request=request)
    except NotFound:
        raise Http404


@citizen_required
@require_GET
def my_dossier(request, code):
    dossier = _own_dossier(request, code)
    return render(request, "portal/filing/my_dossier.html", _detail_context(request, dossier))


@citizen_required
@require_POST
def my_supplement(request, code):
    """The online answer to a supplement request: the files and a note."""
    dossier = _own_dossier(request, code)
    note = request.POST.get("note", "")
    errors: dict = {}
    uploads = []
    for upload in request.FILES.getlist("files"):
        try:
            files.check_size(name=upload.name, size=upload.size)
        except InvalidInput as exc:
            errors.setdefault("files", []).append(exc.message)
            continue
        uploads.append(Upload(name=upload.name, content=upload.read()))
    if not errors:
        try:
            services.supplement_submit_online(dossier=dossier.code, citizen=request.user, note=note,
                                              uploads=uploads, request=request)
        except NotFound:
            raise Http404
        except DomainError as exc:
            errors = {"files": [exc.message]}
        else:
            return redirect(f"{reverse('portal:my-dossier', args=[dossier.code])}?da-bo-sung=1")
    context = _detail_context(request, dossier)  # the service worked on its own locked copy: this one is as read
    context.update({"supplement_errors": errors.get("files", []), "note": note})
    return render(request, "portal/filing/my_dossier.html", context, status=400)


@citizen_required
@require_POST
def my_post_delivery(request, code):
    """The applicant asks for the result by public post (QĐ 45/2016/QĐ-TTg), until it is handed to the post."""
    from motcua.dossiers.services import dossier_choose_post

    dossier = _own_dossier(request, code)
    address = request.POST.get("delivery_address", "")
    try:
        dossier_choose_post(dossier=dossier.code, actor=request.user, address=address, request=request)
    except DomainError as exc:
        context = _detail_context(request, dossier)
        context.update({"post_errors": [exc.message], "post_address": address})
        return render(request, "portal/filing/my_dossier.html", context, status=400)
    return redirect(f"{reverse('portal:my-dossier', args=[dossier.code])}?buu-chinh=1#post")


@citizen_required
@require_GET
def my_paper(request, code, form):
    from motcua.dossiers.papers import paper_pdf

    dossier = _own_dossier(request, code)
    try:
        content = paper_pdf(dossier, form)
    except NotFound:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return response


def _file_response(record, name: str):
    try:
        handle = files.open_verified(record)
    except (Conflict, OSError):
        raise Http404
    return FileResponse(handle, content_type=record.content_type, as_attachment=True, filename=name)


@citizen_required
@require_GET
def my_attachment(request, code, attachment_id):
    try:
        attachment = queries.my_attachment(request.user, code, attachment_id, request=request)
    except NotFound:
        raise Http404
    return _file_response(attachment, attachment.original_name)


@citizen_required
@require_GET
def my_documents(request):
    return render(request, "portal/filing/my_documents.html", {"documents": list(queries.my_documents(request.user))})


@citizen_required
@require_GET
def my_document(request, document_id):
    try:
        document = queries.my_document(request.user, document_id, request=request)
    except NotFound:
        raise Http404
    return _file_response(document, document.original_name)
