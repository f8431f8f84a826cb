"""Starting payments and the IPN: verified, idempotent, and the only path that marks fees paid."""
import pytest

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.workflow import Action
from motcua.errors import InvalidInput, PermissionDenied
from motcua.payments.models import PaymentCallback, PaymentOrder, PaymentStatus
from motcua.payments.services import payment_ipn, payment_return, payment_start

from .conftest import hand_signed, ipn_params

pytestmark = pytest.mark.django_db


def payments_recorded(dossier) -> int:
    return DossierEvent.objects.filter(dossier=dossier, action=Action.RECORD_PAYMENT).count()


def unpaid(dossier) -> int:
    return dossier.fees.filter(paid_at__isnull=True).count()


def test_citizen_starts_a_pending_order_for_the_unpaid_fee(start, dossier):
    order = start()
    assert (order.status, order.amount, order.gateway) == (PaymentStatus.PENDING, 75000, "vnpay")
    assert list(order.fees.all()) == list(dossier.fees.all())


def test_desk_officer_of_the_desk_may_start_but_others_may_not(start, staff, make_user):
    assert start(actor=staff["desk"]).status == PaymentStatus.PENDING
    with pytest.raises(PermissionDenied):
        start(actor=staff["other_desk"])
    with pytest.raises(PermissionDenied):
        start(actor=make_user(None, None, username="stranger"))


def test_a_paid_fee_or_another_dossiers_fee_cannot_be_put_in_an_order(start, dossier, citizen, receive, building):
    other = receive(building)
    with pytest.raises(InvalidInput):
        payment_start(dossier=dossier, fee_ids=[other.fees.get().id], gateway="vnpay", return_url="https://x/",
                      client_ip="1.2.3.4", actor=citizen)
    payment_ipn(gateway_name="vnpay", params=ipn_params(start()))
    with pytest.raises(InvalidInput):
        start()


def test_confirmed_ipn_pays_the_fees_and_records_one_event(start, dossier):
    order = start()
    answer = payment_ipn(gateway_name="vnpay", params=ipn_params(order))
    assert answer.as_json() == {"RspCode": "00", "Message": "Confirm Success"}
    order.refresh_from_db()
    assert (order.status, order.transaction_no, order.bank_code) == (PaymentStatus.PAID, "14012345", "NCB")
    assert order.paid_at is not None
    fee = dossier.fees.get()
    assert fee.paid_at == order.paid_at and fee.receipt_number == order.txn_ref
    event = DossierEvent.objects.get(dossier=dossier, action=Action.RECORD_PAYMENT)
    assert event.actor is None and event.data["reference"] == order.txn_ref


def test_forged_signature_is_refused_and_recorded(start, dossier):
    order = start()
    params = ipn_params(order)
    params["vnp_SecureHash"] = "0" * 128
    assert payment_ipn(gateway_name="vnpay", params=params).rsp_code == "97"
    order.refresh_from_db()
    assert order.status == PaymentStatus.PENDING and unpaid(dossier) == 1
    callback = PaymentCallback.objects.get()
    assert (callback.verified, callback.rsp_code, callback.txn_ref, callback.order) == (
        False, "97", order.txn_ref, None)


def test_replayed_ipn_is_acknowledged_but_pays_only_once(start, dossier):
    order = start()
    params = ipn_params(order)
    first = payment_ipn(gateway_name="vnpay", params=params)
    second = payment_ipn(gateway_name="vnpay", params=params)
    assert (first.rsp_code, second.rsp_code) == ("00", "02")
    assert first.acknowledged and second.acknowledged
    assert payments_recorded(dossier) == 1
    assert PaymentCallback.objects.filter(order=order).count() == 2


def test_unknown_txn_ref_is_refused(start):
    order = start()
    answer = payment_ipn(gateway_name="vnpay", params=ipn_params(order, txn_ref="MCNOSUCHORDER"))
    assert answer.rsp_code == "01"
    assert PaymentCallback.objects.get().outcome == "không có giao dịch này"


def test_amount_mismatch_is_refused_and_the_order_stays_pending(start, dossier):
    order = start()
    assert payment_ipn(gateway_name="vnpay", params=ipn_params(order, amount=7500)).rsp_code == "04"
    order.refresh_from_db()
    assert order.status == PaymentStatus.PENDING and unpaid(dossier) == 1


def test_declined_payment_marks_the_order_failed_and_leaves_fees_unpaid(start, dossier):
    order = start()
    answer = payment_ipn(gateway_name="vnpay", params=ipn_params(order, code="51"))
    assert answer.rsp_code == "00"  # outcome taken
    order.refresh_from_db()
    assert (order.status, order.response_code, order.paid_at) == (PaymentStatus.FAILED, "51", None)
    assert unpaid(dossier) == 1 and payments_recorded(dossier) == 0
    # a late "success" for the same reference changes nothing
    assert payment_ipn(gateway_name="vnpay", params=ipn_params(order)).rsp_code == "02"
    assert unpaid(dossier) == 1


def test_ipn_without_the_browser_ever_returning_still_pays_the_dossier(start, dossier):
    order = start()
    # the browser's return (if it ever came first) shows "confirming" and changes nothing
    early = payment_return(gateway_name="vnpay", params=ipn_params(order))
    assert early.state == "confirming" and unpaid(dossier) == 1
    payment_ipn(gateway_name="vnpay", params=ipn_params(order))
    assert unpaid(dossier) == 0
    assert payment_return(gateway_name="vnpay", params=ipn_params(order)).state == "paid"


def test_return_with_a_forged_signature_reads_as_invalid(start):
    params = ipn_params(start())
    params["vnp_ResponseCode"] = "00"
    params["vnp_Amount"] = "100"
    assert payment_return(gateway_name="vnpay", params=params).state == "invalid"


def test_money_for_fees_already_paid_at_the_desk_is_kept_visible(start, dossier, staff):
    from motcua.dossiers.services import dossier_fees_paid

    order = start()
    dossier_fees_paid(dossier=dossier, fee_ids=[dossier.fees.get().id], reference="BL-0001", actor=staff["desk"])
    assert payment_ipn(gateway_name="vnpay", params=ipn_params(order)).rsp_code == "00"
    order.refresh_from_db()
    assert order.status == PaymentStatus.PAID and "không ghi nhận được phí" in order.note
    assert payments_recorded(dossier) == 1  # only the desk's


def test_callbacks_are_append_only(start):
    payment_ipn(gateway_name="vnpay", params=hand_signed({"vnp_TxnRef": "x", "vnp_Amount": "100"}))
    callback = PaymentCallback.objects.get()
    with pytest.raises(TypeError):
        PaymentCallback.objects.update(outcome="x")
    with pytest.raises(TypeError):
        callback.save()
    with pytest.raises(TypeError):
        callback.delete()


def test_an_unexpected_error_answers_99_and_is_recorded(start, monkeypatch):
    order = start()

    def boom(*a, **k):
        raise RuntimeError("database away")

    monkeypatch.setattr("motcua.payments.services.dossier_fees_paid", boom)
    assert payment_ipn(gateway_name="vnpay", params=ipn_params(order)).rsp_code == "99"
    order.refresh_from_db()
    assert order.status == PaymentStatus.PENDING
    assert PaymentCallback.objects.get().rsp_code == "99"
    assert PaymentOrder.objects.filter(status=PaymentStatus.PAID).count() == 0
