"""The API's JSON parser: refuses bodies over a limit before reading them, nesting deeper than API_JSON_MAX_DEPTH
and text holding NUL or other control characters (PostgreSQL refuses NUL), each as a 400/413 in the error shape."""
import json
import re

from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = "Dữ liệu gửi lên quá lớn."
    default_code = "too_large"


def _check(value, max_depth: int) -> None:
    """Walks the parsed value without recursion: depth and control characters in keys and strings."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > max_depth:
                raise ParseError(f"Dữ liệu JSON lồng quá {max_depth} cấp.")
            children = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            for key, child in children:
                if key is not None and CONTROL.search(key):
                    raise ParseError("Tên trường chứa ký tự không hợp lệ.")
                stack.append((child, depth + 1))
        elif isinstance(item, str) and CONTROL.search(item):
            raise ParseError("Dữ liệu chứa ký tự điều khiển không hợp lệ (ví dụ NUL).")


class LimitedJSONParser(JSONParser):
    """A view may lower the size limit with `max_body_bytes` (the anonymous token endpoint takes a few hundred)."""

    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        request = context.get("request")
        limit = getattr(context.get("view"), "max_body_bytes", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise BodyTooLarge()
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("Dữ liệu JSON lồng quá nhiều cấp.") from None
        except json.JSONDecodeError as exc:  # pragma: no cover - DRF already turns this into ParseError
            raise ParseError(str(exc)) from None
        _check(data, getattr(settings, "API_JSON_MAX_DEPTH", 32))
        return data
