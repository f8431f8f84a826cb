"""`/ho-so-cua-toi/<code>/ket-qua.pdf`: the signed-in citizen downloads the electronic result of their own dossier.

Only the dossier's owner (`dossier.citizen_id == request.user.id`) gets it; anyone else gets the same 404 as for an
absent dossier, and the refused attempt is written to the audit log. The bytes are checked against the SHA-256
stored when the result was signed (`files.open_verified`) before they leave, streamed from storage.
"""
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.audit.services import audit_record
from motcua.dossiers import files, queries
from motcua.errors import Conflict, NotFound
from motcua.portal.access import citizen_required


@citizen_required
@require_GET
def result_download(request, code):
    try:
        dossier, result = queries.citizen_result(user=request.user, code=code)
    except NotFound as exc:
        audit_record(actor=request.user, action="dossier.result_refused", summary=code[:64],
                     detail={"code": code[:64]}, request=request)
        raise Http404(exc.message) from exc
    try:
        handle = files.open_verified(result)
    except (Conflict, OSError) as exc:
        audit_record(actor=request.user, action="dossier.result_refused", obj=dossier, summary=dossier.code,
                     detail={"attachment": result.pk, "sha256": result.sha256}, request=request)
        raise Http404(_("Tệp kết quả không còn nguyên vẹn; vui lòng liên hệ bộ phận tiếp nhận.")) from exc
    audit_record(actor=request.user, action="dossier.result_read", obj=dossier, summary=dossier.code,
                 detail={"attachment": result.pk}, request=request)
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True,
                            filename=f"{dossier.code}-ket-qua.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
