"""The workspace dossier page: draft result, signed result, results by post and online payment orders."""
# ruff: noqa: F811 - the dossier fixtures are imported from the dossier tests' conftest and used as arguments
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from motcua.documents.pdf import html_to_pdf
from motcua.dossiers import services as svc
from motcua.dossiers.tests.conftest import (  # noqa: F401 - fixtures shared with the dossier tests
    building,
    clock_at,
    intake_of,
    receive,
    staff,
)
from motcua.dossiers.workflow import Status
from motcua.payments.models import PaymentOrder, PaymentStatus


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"


def url(code: str, rest: str = "") -> str:
    return f"/workspace/ho-so/{code}/{rest}"


def forms_on(client, code) -> set[str]:
    html = client.get(url(code)).content.decode()
    return {a for a in ("attach_draft", "choose_post", "hand_to_post", "delivered", "return")
            if f"/thao-tac/{a}/" in html}


def test_the_specialist_attaches_a_draft_and_the_page_shows_the_signed_result(client, building, receive, staff):
    call_command("democa", stdout=io.StringIO())
    dossier = receive(building)
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    client.force_login(staff["specialist"])
    assert "attach_draft" in forms_on(client, dossier.code)
    dossier.refresh_from_db()
    pdf = html_to_pdf("<h1>Giấy phép</h1>")
    response = client.post(url(dossier.code, "thao-tac/attach_draft/"), {
        "attach_draft-expected_version": dossier.version,
        "attach_draft-draft": SimpleUploadedFile("du-thao.pdf", pdf, content_type="application/pdf")})
    assert response.status_code == 302
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    client.force_login(staff["leader"])
    html = client.get(url(dossier.code)).content.decode()
    assert "Kết quả điện tử đã ký số" in html and "Ký số bởi Sở Xây dựng (000.00.05.H47)" in html
    assert f"/xac-thuc/?code={dossier.code}" in html


def test_post_buttons_follow_the_state(client, building, receive, staff):
    dossier = receive(building)
    client.force_login(staff["desk"])
    assert "choose_post" in forms_on(client, dossier.code)
    assert not {"hand_to_post", "delivered"} & forms_on(client, dossier.code)
    response = client.post(url(dossier.code, "thao-tac/choose_post/"), {
        "choose_post-expected_version": dossier.version, "choose_post-address": "5 Hùng Vương, Tam Kỳ",
        "choose_post-postal_fee": "26000"})
    assert response.status_code == 302
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    dossier = svc.dossier_complete(dossier=dossier, actor=staff["leader"])
    assert {"hand_to_post", "return", "choose_post"} <= forms_on(client, dossier.code)
    client.post(url(dossier.code, "thao-tac/hand_to_post/"), {
        "hand_to_post-expected_version": dossier.version, "hand_to_post-postal_tracking": "EL123456789VN"})
    html = client.get(url(dossier.code)).content.decode()
    assert "EL123456789VN" in html and "26.000" in html
    assert forms_on(client, dossier.code) == {"delivered"}
    dossier.refresh_from_db()
    response = client.post(url(dossier.code, "thao-tac/delivered/"), {
        "delivered-expected_version": dossier.version, "delivered-delivered_at": ""})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and forms_on(client, dossier.code) == set()
    client.force_login(staff["specialist"])
    assert forms_on(client, dossier.code) == set()


def test_the_desk_sees_what_was_paid_online(client, building, receive, staff):
    dossier = receive(building, fees_paid=False)
    PaymentOrder.objects.create(dossier=dossier, amount=500000, gateway="vnpay", txn_ref="MC2612070001",
                                status=PaymentStatus.PAID, created_at=timezone.now(), paid_at=timezone.now())
    client.force_login(staff["desk"])
    html = client.get(url(dossier.code)).content.decode()
    assert "Thanh toán trực tuyến" in html and "MC2612070001" in html and "Đã thanh toán" in html
