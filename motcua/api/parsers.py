"""A JSON parser that refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE before reading them (DRF reads the stream)."""
from django.conf import settings
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = "Dữ liệu gửi lên quá lớn."
    default_code = "too_large"


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise BodyTooLarge()
        return super().parse(stream, media_type, parser_context)
