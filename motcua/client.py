"""Who is asking: the client's address as the app servers see it behind `NUM_PROXIES` reverse proxies."""
from rest_framework.settings import api_settings


def client_address(request) -> str:
    """REMOTE_ADDR, or behind `REST_FRAMEWORK["NUM_PROXIES"]` proxies the X-Forwarded-For entry they added.

    The same rule as DRF's throttles (`BaseThrottle.get_ident`), so that the portal's budgets, the API's throttles,
    the audit log and payment orders all name the same client. Empty when unknown.
    """
    xff = request.META.get("HTTP_X_FORWARDED_FOR")
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = api_settings.NUM_PROXIES
    if proxies is not None and xff:
        if proxies == 0:
            return remote
        addresses = [a.strip() for a in xff.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return remote
