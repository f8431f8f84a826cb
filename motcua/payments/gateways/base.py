"""What every payment gateway offers: a URL to send the payer to, and a verification of what comes back."""
from dataclasses import dataclass


@dataclass(frozen=True)
class VerifiedResult:
    """The outcome of checking a callback's signature. When `ok` is False no other field may be trusted."""

    ok: bool
    txn_ref: str = ""
    amount: int | None = None  # đồng; None when the gateway's figure is not a whole number of đồng
    transaction_no: str = ""
    response_code: str = ""
    bank_code: str = ""
    transaction_status: str = ""

    @property
    def succeeded(self) -> bool:
        """The gateway says the money was taken (VNPay: response code 00 and, when sent, transaction status 00)."""
        return self.ok and self.response_code == "00" and self.transaction_status in ("", "00")


class Gateway:
    name: str = ""
    label: str = ""

    def create_payment_url(self, order, return_url: str, client_ip: str) -> str:
        raise NotImplementedError

    def verify(self, params: dict) -> VerifiedResult:
        raise NotImplementedError
