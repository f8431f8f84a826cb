"""The pages: the sandbox bank end to end, the IPN endpoint, receipts, and reconciliation."""
import re
import shutil
import subprocess
from datetime import date, datetime
from io import BytesIO
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.payments.models import PaymentCallback, PaymentOrder, PaymentStatus
from motcua.payments.services import payment_ipn, reconciliation

from .conftest import ipn_params

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def start_in_browser(client, dossier, gateway="sandbox"):
    response = client.post(reverse("payments:start", args=[dossier.code]), {"gateway": gateway})
    assert response.status_code == 302
    return response["Location"]


def test_sandbox_approve_pays_through_the_ipn_and_returns_to_the_result_page(client, citizen, dossier):
    client.force_login(citizen)
    bank_url = start_in_browser(client, dossier)
    assert bank_url.startswith("/thanh-toan/sandbox/MC")
    page = client.get(bank_url)
    assert page.status_code == 200
    assert "NGÂN HÀNG THỬ NGHIỆM" in page.text and "75.000" in page.text and "Chấp nhận" in page.text

    back = client.post(bank_url, {"decision": "approve"})
    assert back.status_code == 302
    assert urlsplit(back["Location"]).path == "/thanh-toan/ket-qua/sandbox/"
    order = PaymentOrder.objects.get()
    assert order.status == PaymentStatus.PAID and order.bank_code == "NHTN"
    assert dossier.fees.get().paid_at is not None
    assert PaymentCallback.objects.get().rsp_code == "00"

    result = client.get(back["Location"])
    assert "Thanh toán thành công" in result.text
    assert reverse("payments:receipt", args=[order.txn_ref]) in result.text


def test_sandbox_decline_cancels_and_leaves_the_fee_unpaid(client, citizen, dossier):
    client.force_login(citizen)
    bank_url = start_in_browser(client, dossier)
    back = client.post(bank_url, {"decision": "decline"})
    result = client.get(back["Location"])
    assert "Thanh toán không thành công" in result.text
    assert PaymentOrder.objects.get().status == PaymentStatus.CANCELLED
    assert dossier.fees.get().paid_at is None


def test_sandbox_page_refuses_a_tampered_amount(client, citizen, dossier):
    client.force_login(citizen)
    bank_url = start_in_browser(client, dossier)
    assert client.get(bank_url.replace("vnp_Amount=7500000", "vnp_Amount=100")).status_code == 400
    assert client.post(bank_url.replace("vnp_Amount=7500000", "vnp_Amount=100"),
                       {"decision": "approve"}).status_code == 400
    assert PaymentOrder.objects.get().status == PaymentStatus.PENDING


def test_outsider_cannot_start_a_payment_for_someone_elses_dossier(client, make_user, dossier):
    client.force_login(make_user(None, None, username="stranger"))
    assert client.post(reverse("payments:start", args=[dossier.code])).status_code == 404
    assert not PaymentOrder.objects.exists()


def test_starting_with_no_gateway_enabled_or_an_unknown_one_is_refused_not_a_500(client, citizen, dossier, settings):
    # Found by the access matrix: the return address of a gateway named "" (none enabled) could not be built.
    client.force_login(citizen)
    assert client.post(reverse("payments:start", args=[dossier.code]), {"gateway": "nosuch/x"}).status_code == 400
    settings.VNPAY_HASH_SECRET = ""
    settings.PAYMENTS_SANDBOX = False
    assert client.post(reverse("payments:start", args=[dossier.code])).status_code == 400
    assert not PaymentOrder.objects.exists()


def test_ipn_endpoint_answers_json_to_get_and_post_without_csrf(start, dossier):
    from django.test import Client

    order = start()
    csrf_client = Client(enforce_csrf_checks=True)
    url = reverse("payments:ipn", args=["vnpay"])
    first = csrf_client.get(url, ipn_params(order))
    assert first.json() == {"RspCode": "00", "Message": "Confirm Success"}
    again = csrf_client.post(url, ipn_params(order))
    assert again.json()["RspCode"] == "02"
    assert dossier.fees.get().paid_at is not None


def test_ipn_of_a_gateway_not_configured_is_not_found(client, settings):
    settings.VNPAY_HASH_SECRET = ""
    assert client.get(reverse("payments:ipn", args=["vnpay"]), {"vnp_TxnRef": "x"}).status_code == 404
    assert client.get(reverse("payments:ipn", args=["nosuch"])).status_code == 404


def test_receipt_pdf_for_owner_and_staff_but_not_outsiders(client, start, citizen, staff, make_user):
    order = start()
    url = reverse("payments:receipt", args=[order.txn_ref])
    client.force_login(citizen)
    assert client.get(url).status_code == 404  # not paid yet
    payment_ipn(gateway_name="vnpay", params=ipn_params(order))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdfinfo"):  # one A5 page, as the papers' larger type (issue 12 item 12) must not spill it
        info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout
        assert re.search(rb"^Pages:\s+1$", info, re.MULTILINE)
    client.force_login(staff["desk"])
    assert client.get(url).status_code == 200
    for outsider in (staff["outsider"], make_user(None, None, username="stranger")):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_receipt_content_shows_amount_with_thousands_dots(start, citizen):
    from motcua.documents.pdf import render_html

    order = start()
    payment_ipn(gateway_name="vnpay", params=ipn_params(order))
    order.refresh_from_db()
    html = render_html("payments/receipt.html", {
        "order": order, "dossier": order.dossier, "items": [{"name": "Lệ phí", "amount": "75.000"}],
        "amount": "75.000", "paid_at": order.paid_at, "gateway_label": "VNPAY"})
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in html and "75.000 đồng" in html and order.dossier.code in html


@pytest.fixture
def three_payments(start, clock_at, org, building, intake_of, citizen):
    """Two paid on 07/12 (vnpay, sandbox), one paid on 08/12 (vnpay), one declined on 08/12."""
    from motcua.dossiers.services import dossier_submit
    def new_dossier():
        return dossier_submit(desk=org["000.00.40.H47"], intake=intake_of(building), citizen=citizen)

    def pay(gateway, code="00"):
        d = new_dossier()
        order = start(gateway=gateway, target=d)
        if gateway == "vnpay":
            payment_ipn(gateway_name="vnpay", params=ipn_params(order, code=code))
        else:
            from motcua.payments.gateways.sandbox import SandboxGateway

            gw = SandboxGateway()
            request = {"vnp_Amount": str(order.amount * 100), "vnp_TxnRef": order.txn_ref}
            payment_ipn(gateway_name="sandbox", params=gw.outcome_params(request, approve=code == "00"))
        return order

    pay("vnpay")
    pay("sandbox")
    clock_at(datetime(2026, 12, 8, 23, 30, tzinfo=VN))  # late evening local = still 08/12
    pay("vnpay")
    pay("vnpay", code="51")


def test_reconciliation_totals_by_local_day_and_gateway(three_payments):
    rows = reconciliation(date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
    assert [(r.day, r.gateway, r.count, r.total) for r in rows] == [
        (date(2026, 12, 7), "sandbox", 1, 75000),
        (date(2026, 12, 7), "vnpay", 1, 75000),
        (date(2026, 12, 8), "vnpay", 1, 75000),
    ]
    assert reconciliation(date_from=date(2026, 12, 8), date_to=date(2026, 12, 8))[0].count == 1


def test_reconciliation_page_and_xlsx_for_report_viewers_only(client, three_payments, staff):
    from openpyxl import load_workbook

    url = reverse("payments:reconciliation")
    client.force_login(staff["desk"])  # no REPORT_VIEW
    assert client.get(url, {"from": "01/12/2026", "to": "31/12/2026"}).status_code == 403
    client.force_login(staff["supervisor"])
    page = client.get(url, {"from": "01/12/2026", "to": "31/12/2026"})
    assert page.status_code == 200 and "225.000" in page.text
    xlsx = client.get(url, {"from": "01/12/2026", "to": "31/12/2026", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[-1] == ("Tổng cộng", None, 3, 225000)
    assert client.get(url, {"from": "1-12-2026"}).status_code == 400


def test_reconciliation_is_scoped_to_the_viewers_agencies(three_payments, org, make_user):
    leader = make_user(Role.LEADER, org["000.00.05.H47"], username="ld_other")  # not over the centre's desk
    assert reconciliation(date_from=date(2026, 12, 1), date_to=date(2026, 12, 31), user=leader) == []
