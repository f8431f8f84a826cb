"""One error shape for the API: {"message": ..., "detail": ...} with the status the domain error carries."""
from django.db import InterfaceError, OperationalError, connections
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database went away mid-request: the transaction rolled back, so nothing was written (no dossier, no
        # number taken). Say so, drop the broken connection so the next request opens a new one, and ask for a retry.
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        return Response({"message": _("Mất kết nối tới cơ sở dữ liệu; yêu cầu chưa được ghi nhận. Vui lòng gửi lại."),
                         "detail": None}, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "5"})
    if isinstance(exc, DomainError):
        return Response({"message": exc.message, "detail": exc.detail}, status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        response.data = {"message": str(data["detail"]), "detail": None}
    else:
        response.data = {"message": "Dữ liệu gửi lên chưa hợp lệ.", "detail": data}
        if response.status_code == status.HTTP_200_OK:
            response.status_code = status.HTTP_400_BAD_REQUEST
    return response


# Django's own error answers (the URL resolver's 404, a malformed multipart body's 400, an uncaught error's 500) are
# HTML pages; under /api/ they answer in the one error shape too (motcua/urls.py names these as the handlers).


def _api_error(request, status: int, message: str):
    from django.http import JsonResponse

    from motcua.hygiene import is_api

    if not is_api(request):
        return None
    return JsonResponse({"message": message, "detail": None}, status=status)


def bad_request(request, exception):
    return (_api_error(request, 400, _("Yêu cầu không đọc được (ví dụ dữ liệu multipart hỏng)."))
            or defaults.bad_request(request, exception))


def permission_denied(request, exception):
    return (_api_error(request, 403, _("Bạn không có quyền thực hiện yêu cầu này."))
            or defaults.permission_denied(request, exception))


def page_not_found(request, exception):
    return (_api_error(request, 404, _("Không có địa chỉ này trong API; xem /api/schema/."))
            or defaults.page_not_found(request, exception))


def server_error(request):
    return (_api_error(request, 500, _("Lỗi máy chủ; yêu cầu có thể chưa được ghi nhận. Vui lòng thử lại sau."))
            or defaults.server_error(request))
