"""VNPay's redirect protocol, version 2.1.0: a signed query string out, a signed query string back.

Signing: the `vnp_` parameters sorted by key, each `key=quote_plus(value)`, joined by `&`, HMAC-SHA512 with the
merchant's hash secret, hex → `vnp_SecureHash`. Verification recomputes it over every `vnp_` parameter received
except `vnp_SecureHash` and `vnp_SecureHashType`, and compares in constant time.
"""
import hashlib
import hmac
import re
import unicodedata
from datetime import timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua import clock
from motcua.payments.gateways.base import Gateway, VerifiedResult

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "2.1.0"
_UNSIGNED = {"vnp_SecureHash", "vnp_SecureHashType"}
_NOT_PLAIN = re.compile(r"[^0-9A-Za-z .:_\-]+")


def query_string(params: dict) -> str:
    """The canonical (signed) form: sorted by key, values URL-encoded with quote_plus."""
    return "&".join(f"{key}={quote_plus(str(value))}" for key, value in sorted(params.items()))


def sign(secret: str, params: dict) -> str:
    return hmac.new(secret.encode(), query_string(params).encode(), hashlib.sha512).hexdigest()


def plain_text(text: str, limit: int = 255) -> str:
    """VNPay wants order info in Vietnamese without diacritics and without special characters."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(_NOT_PLAIN.sub(" ", stripped).split())[:limit]


class VnpayGateway(Gateway):
    name = "vnpay"
    label = "VNPAY"

    def __init__(self, *, tmn_code: str, hash_secret: str, payment_url: str):
        self.tmn_code, self.hash_secret, self.payment_url = tmn_code, hash_secret, payment_url

    @classmethod
    def from_settings(cls) -> "VnpayGateway | None":
        tmn = getattr(settings, "VNPAY_TMN_CODE", "")
        secret = getattr(settings, "VNPAY_HASH_SECRET", "")
        url = getattr(settings, "VNPAY_PAYMENT_URL", "")
        if not (tmn and secret and url):
            return None  # off unless configured
        return cls(tmn_code=tmn, hash_secret=secret, payment_url=url)

    def request_params(self, order, return_url: str, client_ip: str) -> dict:
        created = clock.now().astimezone(VN)
        minutes = getattr(settings, "PAYMENTS_EXPIRE_MINUTES", 15)
        return {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(order.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": order.txn_ref,
            "vnp_OrderInfo": plain_text(order.order_info) or order.txn_ref,
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": created.strftime("%Y%m%d%H%M%S"),
            "vnp_ExpireDate": (created + timedelta(minutes=minutes)).strftime("%Y%m%d%H%M%S"),
        }

    def signed_query(self, params: dict) -> str:
        return f"{query_string(params)}&vnp_SecureHash={sign(self.hash_secret, params)}"

    def create_payment_url(self, order, return_url: str, client_ip: str) -> str:
        return f"{self.payment_url}?{self.signed_query(self.request_params(order, return_url, client_ip))}"

    def signature_ok(self, params: dict) -> bool:
        received = str(params.get("vnp_SecureHash", "")).strip().lower()
        signed = {k: v for k, v in params.items() if k.startswith("vnp_") and k not in _UNSIGNED}
        if not received or not signed:
            return False
        return hmac.compare_digest(received.encode(), sign(self.hash_secret, signed).encode())

    def verify(self, params: dict) -> VerifiedResult:
        if not self.signature_ok(params):
            return VerifiedResult(ok=False)
        raw = str(params.get("vnp_Amount", ""))
        amount = int(raw) // 100 if raw.isdigit() and int(raw) % 100 == 0 else None
        return VerifiedResult(
            ok=True,
            txn_ref=str(params.get("vnp_TxnRef", "")),
            amount=amount,
            transaction_no=str(params.get("vnp_TransactionNo", "")),
            response_code=str(params.get("vnp_ResponseCode", "")),
            bank_code=str(params.get("vnp_BankCode", "")),
            transaction_status=str(params.get("vnp_TransactionStatus", "")),
        )
