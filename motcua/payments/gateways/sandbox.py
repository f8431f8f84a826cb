"""A gateway served by the application itself, for `make run`, demos and tests.

It speaks the VNPay protocol (same parameters, same HMAC-SHA512 signature) with a local secret derived from
SECRET_KEY, and its "bank" is the page `/thanh-toan/sandbox/<txn_ref>/`. Approving there delivers the IPN to our own
handler exactly as a gateway's server would, then sends the browser to the return URL with signed parameters.
"""
import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from motcua import clock
from motcua.payments.gateways.vnpay import VN, VnpayGateway, sign

BANK_CODE = "NHTN"
BANK_NAME = "NGÂN HÀNG THỬ NGHIỆM"
DECLINED = "24"  # VNPay: "Khách hàng hủy giao dịch"


def sandbox_secret() -> str:
    return hmac.new(settings.SECRET_KEY.encode(), b"motcua.payments.sandbox", hashlib.sha512).hexdigest()


class SandboxGateway(VnpayGateway):
    name = "sandbox"
    label = "Cổng thử nghiệm"

    def __init__(self):
        super().__init__(tmn_code="MOTCUA01", hash_secret=sandbox_secret(), payment_url="")

    @classmethod
    def from_settings(cls) -> "SandboxGateway | None":
        return cls() if getattr(settings, "PAYMENTS_SANDBOX", False) else None

    def create_payment_url(self, order, return_url: str, client_ip: str) -> str:
        page = reverse("payments:sandbox", args=[order.txn_ref])
        return f"{page}?{self.signed_query(self.request_params(order, return_url, client_ip))}"

    def outcome_params(self, request_params: dict, *, approve: bool) -> dict:
        """What the bank sends back (IPN and return alike), signed: built from the verified request."""
        code = "00" if approve else DECLINED
        params = {
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": request_params["vnp_Amount"],
            "vnp_BankCode": BANK_CODE,
            "vnp_OrderInfo": request_params.get("vnp_OrderInfo", ""),
            "vnp_PayDate": clock.now().astimezone(VN).strftime("%Y%m%d%H%M%S"),
            "vnp_ResponseCode": code,
            "vnp_TransactionNo": str(secrets.randbelow(90_000_000) + 10_000_000) if approve else "0",
            "vnp_TransactionStatus": "00" if approve else "02",
            "vnp_TxnRef": request_params["vnp_TxnRef"],
        }
        if approve:
            params["vnp_BankTranNo"] = f"NHTN{params['vnp_TransactionNo']}"
        params["vnp_SecureHash"] = self.sign_params(params)
        return params

    def sign_params(self, params: dict) -> str:
        return sign(self.hash_secret, {k: v for k, v in params.items() if k != "vnp_SecureHash"})

    @staticmethod
    def return_location(return_url: str, params: dict) -> str:
        joiner = "&" if "?" in return_url else "?"
        return f"{return_url}{joiner}{urlencode(params)}"
