"""One error shape for the API: {"message": ..., "detail": ...} with the status the domain error carries."""
from django.db import InterfaceError, OperationalError, connections
from django.utils.translation import gettext as _
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
# pages; under /api/ they answer in the one error shape instead (motcua/error_pages.py asks here first).
HANDLER_MESSAGES = {
    400: lambda: _("Yêu cầu không đọc được (ví dụ dữ liệu multipart hỏng)."),
    403: lambda: _("Bạn không có quyền thực hiện yêu cầu này."),
    404: lambda: _("Không có địa chỉ này trong API; xem /api/schema/."),
    500: lambda: _("Lỗi máy chủ; yêu cầu có thể chưa được ghi nhận. Vui lòng thử lại sau."),
}


def handler_answer(request, status: int):
    """The error shape for Django's own `status` answer to an API request; None for any other request."""
    from django.http import JsonResponse

    from motcua.hygiene import is_api

    if request is None or not is_api(request):
        return None
    return JsonResponse({"message": HANDLER_MESSAGES[status](), "detail": None}, status=status)
