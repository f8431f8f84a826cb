"""The API's OpenAPI schema class: every operation lists the error answers its doors can give, in the one shape.

The views document the answers of their own rules (a 409 on a stale version, a 404 for a dossier not visible). The
layers every request passes through answer too, whatever the view: request hygiene and the parsers (400 for
control characters, malformed or oversized bodies: 413; an unsupported body type: 415), the token check (401),
the permission and CSRF checks (403), the URL and paginator look-ups (404), the Idempotency-Key header (409 while
the first request runs, 422 for a key reused with another body), throttles (429) and a lost database connection
(503). This class adds each of those the view itself did not describe, with the API's error shape
(`{"message": ..., "detail": ...}`, motcua/api/errors.py), so that the schema tells a client every answer it can
meet (schemathesis checks it: motcua/api/tests/test_schemathesis.py).
"""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication

BODY_METHODS = ("POST", "PUT", "PATCH")
SIGN_IN_ONLY = (permissions.IsAuthenticated, permissions.IsAuthenticatedOrReadOnly)  # refuse with 401 alone

DESCRIPTIONS = {
    "400": "Invalid input: the message names the field and the rule (or the character refused in the address).",
    "401": "The token (or session) sent is missing, unknown or revoked.",
    "403": "This account may not do this (or a signed-in browser sent no CSRF token).",
    "404": "No such address, object or page (or not one this account may see).",
    "409": "A request with this Idempotency-Key is still running; retry later.",
    "413": "The body is larger than the API accepts.",
    "415": "The body's Content-Type is not one this operation reads.",
    "422": "This Idempotency-Key was used for another request.",
    "429": "Too many attempts; try again later.",
    "503": "The database could not be reached; nothing was recorded. Retry (see Retry-After).",
}


def _error(code: str) -> OpenApiResponse:
    from motcua.api.dossier_serializers import ErrorSerializer

    return OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[code])


class ApiAutoSchema(AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        """A text field that refuses blank says so where a client sends it (`minLength: 1` in requests and query
        parameters); answers may hold blank text, so their components do not."""
        meta = super()._get_serializer_field_meta(field, direction)
        if (direction == "request" and isinstance(field, serializers.CharField) and not field.allow_blank
                and not field.read_only):
            meta.setdefault("minLength", 1)
        return meta

    def _error_codes(self) -> list[str]:
        view = self.view
        codes = ["400", "503"]
        authenticators = view.get_authenticators()
        perms = [p.__class__ for p in view.get_permissions()]
        if authenticators:
            codes.append("401")
        unsafe = self.method not in permissions.SAFE_METHODS
        needs_sign_in = [p for p in perms if p is not permissions.AllowAny]
        if (any(p not in SIGN_IN_ONLY for p in needs_sign_in)  # a rule about the account: 403 when it fails
                or (needs_sign_in and not authenticators)  # no token scheme to ask for: DRF answers 403, not 401
                or (unsafe and any(isinstance(a, SessionAuthentication) for a in authenticators))):  # CSRF
            codes.append("403")
        if "{" in self.path or (self.method == "GET" and self._get_paginator() is not None):
            codes.append("404")
        if self.method in BODY_METHODS:
            codes += ["413", "415"]
        if any(getattr(p, "name", None) == "Idempotency-Key" for p in self.get_override_parameters()):
            codes += ["409", "422"]
        if view.get_throttles():
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(_error(code), code, direction=direction)
        return dict(sorted(responses.items()))
