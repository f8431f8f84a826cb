"""Security headers on every answer: Content-Security-Policy without inline script, frames refused, referrer kept."""
from django.conf import settings

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) unless the view set its own.

    Django's SecurityMiddleware already writes Referrer-Policy, X-Content-Type-Options and HSTS, and
    XFrameOptionsMiddleware X-Frame-Options; this one adds what Django 5.2 lacks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        if "Cross-Origin-Opener-Policy" not in response:
            response["Cross-Origin-Opener-Policy"] = "same-origin"
        return response
