"""Signing citizens in through an external OpenID Connect provider (the national identity service, VNeID).

Pluggable by settings: it is on only when the client id, the secret and the provider's endpoints are set
(`oidc_enabled`); mozilla-django-oidc runs the code flow (state, nonce, PKCE) and this backend turns the provider's
claims into a citizen account through `services.citizen_oidc_login`, which never yields a staff account.
"""
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.errors import DomainError

REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
)
BACKEND = "motcua.accounts.oidc.CitizenOIDCBackend"


def oidc_enabled() -> bool:
    """True when every setting the code flow needs is set (and the backend is installed)."""
    configured = all(getattr(settings, name, "") for name in REQUIRED_SETTINGS)
    return configured and BACKEND in settings.AUTHENTICATION_BACKENDS


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching or creating the citizen by the rules of `citizen_oidc_login`."""

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        from motcua.accounts.services import citizen_oidc_login

        claims = self.get_userinfo(access_token, id_token, payload)
        # The userinfo must describe the person the ID token was issued to (OIDC Core 5.3.2).
        if not self.verify_claims(claims) or str(claims.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("OIDC userinfo subject does not match the ID token")
        try:
            return citizen_oidc_login(claims=claims, request=self.request)
        except DomainError as exc:
            raise SuspiciousOperation(exc.message)
