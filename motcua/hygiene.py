"""Request hygiene, one layer for every door: control characters and oversized bodies are refused before any view.

PostgreSQL refuses a NUL character in text (``invalid byte sequence``), so a ``%00`` in a path segment, a query
parameter or a form field used to reach the database and end in a 500. Other C0 control characters have no place in
a path, a query or a form field either (tab, CR and LF are kept in form fields: text areas send them). A body larger
than the configured limit is refused from its Content-Length, before anything reads it. The API answers in its one
error shape (motcua/api/errors.py), pages with a short Vietnamese page.
"""
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

PATH_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
FIELD_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def body_limit(request) -> int | None:
    """The largest body accepted: DATA_UPLOAD_MAX_MEMORY_SIZE, or REQUEST_MAX_UPLOAD_BYTES for multipart uploads."""
    if request.content_type == "multipart/form-data":
        return getattr(settings, "REQUEST_MAX_UPLOAD_BYTES", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return -1


def _fields_clean(querydict) -> bool:
    for key, values in querydict.lists():
        if FIELD_FORBIDDEN.search(key):
            return False
        for value in values:
            if isinstance(value, str) and FIELD_FORBIDDEN.search(value):
                return False
    return True


def problem(request) -> tuple[int, str] | None:
    """(status, message) of what is wrong with the request's envelope, or None."""
    if PATH_FORBIDDEN.search(request.path_info) or PATH_FORBIDDEN.search(request.path):
        return 400, _("Địa chỉ chứa ký tự không hợp lệ.")
    length = _content_length(request)
    if length < 0:
        return 400, _("Độ dài dữ liệu gửi lên (Content-Length) không hợp lệ.")
    limit = body_limit(request)
    if limit is not None and length > limit:
        return 413, _("Dữ liệu gửi lên quá lớn.")
    if not _fields_clean(request.GET):
        return 400, _("Tham số trên địa chỉ chứa ký tự không hợp lệ.")
    if request.method == "POST" and request.content_type in FORM_TYPES:
        if not _fields_clean(request.POST):
            return 400, _("Dữ liệu biểu mẫu chứa ký tự không hợp lệ.")
        for upload in request.FILES.values():
            if PATH_FORBIDDEN.search(upload.name or ""):
                return 400, _("Tên tệp chứa ký tự không hợp lệ.")
    return None


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request, status: int, message: str) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"message": message, "detail": None}, status=status)
    html = render_to_string("hygiene/refused.html", {"message": message, "status": status})
    return HttpResponse(html, status=status)


class RequestHygieneMiddleware:
    """Refuses control characters in the path, query and form fields, and bodies over the limit (400/413)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = problem(request)
        if found is not None:
            return refusal(request, *found)
        return self.get_response(request)
