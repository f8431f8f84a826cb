"""The Idempotency-Key header on the API's writing endpoints: a retry with the same key answers the first result.

A client that lost an answer (timeout, dropped connection) sends the request again with the same key and gets the
same answer without a second dossier, action or payment order. The same key with another body is refused (422);
a retry while the first request still runs is refused (409). Keys are per user and expire after
IDEMPOTENCY_KEY_HOURS. The unique (user, key) constraint makes two concurrent first requests safe: only one
inserts the row, the other is told to retry.
"""
import functools
import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from motcua.errors import Conflict, DomainError, InvalidInput

HEADER = "Idempotency-Key"
KEY_SHAPE = re.compile(r"^[\x21-\x7e]{1,255}$")


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False, pattern=KEY_SHAPE.pattern,
    description="Any unique string (e.g. a UUID) chosen by the client: a retry with the same key answers the first "
                "result and writes nothing new; the same key with another body answers 422. Kept 24 hours.",
)


class KeyReused(DomainError):
    status = 422


def _hours() -> int:
    return getattr(settings, "IDEMPOTENCY_KEY_HOURS", 24)


def fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "dict"):
        data = data.dict()
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{text}".encode()).hexdigest()


def _claim(user, key: str, print_: str):
    """(row, None) when this request runs first; (None, row) when an earlier, unexpired request holds the key."""
    from motcua.api.models import IdempotentRequest

    cutoff = timezone.now() - timedelta(hours=_hours())
    IdempotentRequest.objects.filter(user=user, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(user=user, key=key, fingerprint=print_), None
    except IntegrityError:
        return None, IdempotentRequest.objects.filter(user=user, key=key).first()


def idempotent(method):
    """Decorates a writing view method (`post`): honours the Idempotency-Key header for signed-in users."""

    @functools.wraps(method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return method(view, request, *args, **kwargs)
        if not KEY_SHAPE.match(key):
            raise InvalidInput(f"{HEADER} phải gồm 1–255 ký tự ASCII in được.")
        print_ = fingerprint(request)
        row, earlier = _claim(request.user, key, print_)
        if row is None:
            if earlier is None:  # the holder finished with an error and let go meanwhile
                raise Conflict(f"Yêu cầu với {HEADER} này đang được xử lý; hãy thử lại.")
            if earlier.fingerprint != print_:
                raise KeyReused(f"{HEADER} này đã dùng cho một yêu cầu khác; hãy dùng khóa mới.")
            if earlier.status_code is None:
                raise Conflict(f"Yêu cầu với {HEADER} này đang được xử lý; hãy thử lại.")
            headers = {"Idempotent-Replayed": "true"}
            if earlier.location:
                headers["Location"] = earlier.location
            return Response(earlier.body, status=earlier.status_code, headers=headers)
        try:
            response = method(view, request, *args, **kwargs)
        except BaseException:
            row.delete()  # nothing was written: a retry runs again
            raise
        if response.status_code >= 400 or not isinstance(getattr(response, "data", None), (dict, list)):
            row.delete()
            return response
        row.status_code = response.status_code
        row.body = json.loads(json.dumps(response.data, default=str))
        row.location = response.get("Location", "")[:500]
        row.save(update_fields=["status_code", "body", "location"])
        return response

    return extend_schema(parameters=[IDEMPOTENCY_PARAMETER])(wrapper)
