"""The project's own error pages (400, 403, 404, 500 and the CSRF refusal): Vietnamese first, in the site's layout.

Django's defaults are English and bare, and `make run` used to show the debug page listing every URL pattern (issue
12 item 11). The 403 and 404 pages render with the request (the header, the language form); the 400 and 500 pages
without it, so that nothing a broken request or a failing database touches is asked for again, with a plain
fallback if even that fails. Under /api/ the answer is the API's one error shape, {"message": ..., "detail": ...}.
"""
import logging
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

from motcua.api.errors import handler_answer

logger = logging.getLogger(__name__)


def _page(request, template: str, status: int, *, with_request: bool, **context) -> HttpResponse:
    try:
        html = render_to_string(template, {"status": status, **context}, request=request if with_request else None)
    except Exception:  # the error page must answer whatever broke; say it plainly
        logger.exception("error page %s failed to render", template)
        html = (f"<!doctype html><meta charset=utf-8><title>{status}</title>"
                f"<h1>{escape(_('Hệ thống đang gặp lỗi'))}</h1><p><a href='/'>{escape(_('Về trang chủ'))}</a></p>")
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return handler_answer(request, 400) or _page(request, "400.html", 400, with_request=False)


def permission_denied(request, exception=None):
    return handler_answer(request, 403) or _page(request, "403.html", 403, with_request=True)


def page_not_found(request, exception=None):
    return handler_answer(request, 404) or _page(request, "404.html", 404, with_request=True,
                                                 request_path=quote(request.path))


def server_error(request=None):
    return handler_answer(request, 500) or _page(request, "500.html", 500, with_request=False)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (an old page, cookies blocked)."""
    return _page(request, "403_csrf.html", 403, with_request=True)
