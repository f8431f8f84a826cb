"""`/xac-thuc/`: a citizen checks an electronic result (Decree 45/2020/NĐ-CP) — by uploading the PDF or by its code.

- **Upload.** The PDF (PDF by content, at most `VERIFY_MAX_BYTES`) goes through `signing.verify_pdf`: signed or not,
  untouched or modified, by which agency, trusted (our CA) or not; then its SHA-256 is looked up among stored results
  (`Attachment(kind="result")`), and a match shows only the dossier code and the procedure name — never the applicant.
- **Code.** Says whether a signed result is stored for that dossier code; an unknown code gets the same answer as a
  code without a signed result, so the form cannot be used to find which codes exist.

Both lookups share one budget per client address (`VERIFY_ATTEMPTS` per `VERIFY_WINDOW_SECONDS`, 20 an hour by
default, counted in the Django cache); over it the page answers 429. Nothing here writes to the database.
"""
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.documents.signing import verify_pdf
from motcua.dossiers.files import read_verified
from motcua.dossiers.queries import result_matching, results_of
from motcua.errors import Conflict
from motcua.portal.ratelimit import within_budget

TEMPLATE = "portal/verify.html"


def max_bytes() -> int:
    return getattr(settings, "VERIFY_MAX_BYTES", 20 * 1024 * 1024)


def _allowed(request) -> bool:
    """At most VERIFY_ATTEMPTS lookups (uploads and codes together) per client address per VERIFY_WINDOW_SECONDS."""
    return within_budget(request, scope="verify", attempts=getattr(settings, "VERIFY_ATTEMPTS", 20),
                         window_seconds=getattr(settings, "VERIFY_WINDOW_SECONDS", 3600))


def signed_result_of(code: str):
    """The newest stored result of the dossier `code` that carries an intact, trusted signature, as a Verification."""
    for attachment in results_of(code)[:5]:
        if not attachment.original_name.lower().endswith(".pdf") and attachment.content_type != "application/pdf":
            continue
        try:
            content = read_verified(attachment)
        except (Conflict, OSError):
            continue
        verification = verify_pdf(content)
        if verification.ok:
            return verification
    return None


def _check_upload(upload) -> tuple[bytes | None, str]:
    if upload is None:
        return None, _("Hãy chọn tệp PDF kết quả cần kiểm tra.")
    limit = max_bytes()
    if upload.size > limit:
        return None, _("Tệp lớn hơn giới hạn %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
    content = upload.read()
    if not content.startswith(b"%PDF-"):
        return None, _("Tệp này không phải PDF (kiểm tra theo nội dung tệp).")
    return content, ""


@require_http_methods(["GET", "POST"])
def verify(request):
    """`/xac-thuc/`: GET shows the two forms (or answers `?code=`), POST checks an uploaded PDF."""
    code = request.GET.get("code", "").strip()[:64]
    context = {"code": code, "max_mb": max_bytes() // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        if not _allowed(request):
            context["error"] = _("Bạn đã kiểm tra quá nhiều lần. Vui lòng thử lại sau.")
            status = 429
        else:
            content, error = _check_upload(request.FILES.get("pdf"))
            if error:
                context["error"], status = error, 400
            else:
                verification = verify_pdf(content)
                context["verification"] = verification
                context["record"] = result_matching(verification.sha256)
    elif code:
        if not _allowed(request):
            context["error"] = _("Bạn đã kiểm tra quá nhiều lần. Vui lòng thử lại sau.")
            status = 429
        else:
            context["code_checked"] = True
            context["code_result"] = signed_result_of(code)
    return render(request, TEMPLATE, context, status=status)
