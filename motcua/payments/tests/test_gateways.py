"""The VNPay 2.1.0 signature, checked against a query string and an HMAC written out by hand."""
import hashlib
import hmac
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import time_machine

from motcua.payments.gateways.vnpay import VnpayGateway, plain_text
from motcua.payments.models import PaymentOrder

from .conftest import SECRET, hand_signed

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The example request, sorted by key and URL-encoded (quote_plus) by hand.
EXPECTED_QUERY = (
    "vnp_Amount=7500000"
    "&vnp_Command=pay"
    "&vnp_CreateDate=20261207091500"
    "&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20261207093000"
    "&vnp_IpAddr=203.0.113.7"
    "&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+phi+le+phi+ho+so+000.00.40.H47-261207-0001"
    "&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example%2Fthanh-toan%2Fket-qua%2Fvnpay%2F"
    "&vnp_TmnCode=MOTCUA01"
    "&vnp_TxnRef=MC261207091500ABCDEF"
    "&vnp_Version=2.1.0"
)


def gateway():
    return VnpayGateway(tmn_code="MOTCUA01", hash_secret=SECRET,
                        payment_url="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")


def test_payment_url_carries_the_sorted_query_signed_with_hmac_sha512():
    order = PaymentOrder(amount=75000, txn_ref="MC261207091500ABCDEF",
                         order_info="Thanh toán phí, lệ phí hồ sơ 000.00.40.H47-261207-0001")
    expected_hash = hmac.new(SECRET.encode(), EXPECTED_QUERY.encode(), hashlib.sha512).hexdigest()
    with time_machine.travel(datetime(2026, 12, 7, 9, 15, tzinfo=VN), tick=False):
        url = gateway().create_payment_url(order, "https://motcua.example/thanh-toan/ket-qua/vnpay/", "203.0.113.7")
    assert url == f"https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?{EXPECTED_QUERY}&vnp_SecureHash={expected_hash}"
    assert len(expected_hash) == 128


def test_verify_accepts_a_correctly_signed_answer_and_reads_it():
    params = hand_signed({"vnp_Amount": "7500000", "vnp_ResponseCode": "00", "vnp_TxnRef": "MC1",
                          "vnp_TransactionNo": "14012345", "vnp_BankCode": "NCB", "vnp_TransactionStatus": "00",
                          "vnp_OrderInfo": "Thanh toan phi"})
    params["vnp_SecureHashType"] = "HmacSHA512"  # not part of the signed data
    result = gateway().verify(params)
    assert result.ok and result.succeeded
    assert (result.txn_ref, result.amount, result.transaction_no, result.response_code) == (
        "MC1", 75000, "14012345", "00")


def test_verify_refuses_a_tampered_amount_a_wrong_secret_and_a_missing_hash():
    params = hand_signed({"vnp_Amount": "7500000", "vnp_ResponseCode": "00", "vnp_TxnRef": "MC1"})
    assert not gateway().verify({**params, "vnp_Amount": "100"}).ok
    assert not gateway().verify(hand_signed(dict(params), secret="other")).ok
    assert not gateway().verify({k: v for k, v in params.items() if k != "vnp_SecureHash"}).ok


def test_signature_is_checked_case_insensitively_in_hex():
    params = hand_signed({"vnp_Amount": "7500000", "vnp_TxnRef": "MC1", "vnp_ResponseCode": "00"})
    params["vnp_SecureHash"] = params["vnp_SecureHash"].upper()
    assert gateway().verify(params).ok


def test_order_info_loses_diacritics_and_special_characters():
    assert plain_text("Thanh toán phí, lệ phí hồ sơ #12 (Đà Nẵng)") == "Thanh toan phi le phi ho so 12 Da Nang"


def test_create_date_is_local_time_and_expiry_fifteen_minutes_later():
    order = PaymentOrder(amount=1000, txn_ref="X", order_info="x")
    with time_machine.travel(datetime(2026, 12, 31, 23, 50, tzinfo=VN), tick=False):
        url = gateway().create_payment_url(order, "https://x/", "1.2.3.4")
    q = dict(parse_qsl(urlsplit(url).query))
    assert (q["vnp_CreateDate"], q["vnp_ExpireDate"]) == ("20261231235000", "20270101000500")
