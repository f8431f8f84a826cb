"""Payment fixtures: an online dossier owned by a citizen, with the building permit's 75.000 đ fee unpaid."""
import hashlib
import hmac
from urllib.parse import quote_plus

import pytest

from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures re-used from the dossier tests)
    DESK,
    building,
    clock_at,
    intake_of,
    receive,
    staff,
)

SECRET = "TESTSECRETVNPAY0123456789ABCDEF"


def hand_signed(params: dict, secret: str = SECRET) -> dict:
    """Sign like VNPay does, written out here so that tests do not trust the code under test."""
    query = "&".join(f"{k}={quote_plus(str(v))}" for k, v in sorted(params.items()))
    digest = hmac.new(secret.encode(), query.encode(), hashlib.sha512).hexdigest()
    return {**params, "vnp_SecureHash": digest}


@pytest.fixture(autouse=True)
def _vnpay(settings):
    settings.VNPAY_TMN_CODE = "MOTCUA01"
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.PAYMENTS_SANDBOX = True


@pytest.fixture
def citizen(make_user):
    return make_user(None, None, username="citizen")


@pytest.fixture
def dossier(org, building, intake_of, citizen):  # noqa: F811
    from motcua.dossiers.services import dossier_submit

    return dossier_submit(desk=org[DESK], intake=intake_of(building), citizen=citizen)


@pytest.fixture
def start(dossier, citizen):
    """start(gateway="vnpay", actor=citizen) -> a pending order for every unpaid fee of the dossier."""
    from motcua.payments.services import payment_start

    def make(gateway="vnpay", actor=None, target=None):
        target = target or dossier
        return payment_start(
            dossier=target, fee_ids=list(target.fees.filter(paid_at__isnull=True).values_list("id", flat=True)),
            gateway=gateway, return_url="https://motcua.example/thanh-toan/ket-qua/vnpay/",
            client_ip="203.0.113.7", actor=actor or citizen,
        ).order

    return make


def ipn_params(order, *, code="00", amount=None, txn_ref=None, transaction_no="14012345") -> dict:
    """What VNPay's server sends for `order`, signed by hand."""
    return hand_signed({
        "vnp_Amount": str((order.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14012345",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi le phi ho so",
        "vnp_PayDate": "20261207091500",
        "vnp_ResponseCode": code,
        "vnp_TmnCode": "MOTCUA01",
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": txn_ref or order.txn_ref,
    })
