"""The gateways this installation offers, by name; a gateway not configured does not exist."""
from motcua.errors import NotFound
from motcua.payments.gateways.base import Gateway, VerifiedResult  # noqa: F401


def _factories():
    from motcua.payments.gateways.sandbox import SandboxGateway
    from motcua.payments.gateways.vnpay import VnpayGateway

    return {"vnpay": VnpayGateway.from_settings, "sandbox": SandboxGateway.from_settings}


def available() -> list[Gateway]:
    return [g for g in (make() for make in _factories().values()) if g is not None]


def get_gateway(name: str) -> Gateway:
    make = _factories().get(name)
    gateway = make() if make else None
    if gateway is None:
        raise NotFound(f"Cổng thanh toán “{name}” không được bật.")
    return gateway
