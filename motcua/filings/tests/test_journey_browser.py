"""The citizen's whole online journey in headless Chromium on a phone-sized screen (issue 4 §9).

Register and verify the e-mail, find the procedure typed without diacritics, file it with uploads, the desk accepts,
pay in the sandbox bank (declined once, then paid), the agency processes it and the leader's approval signs the
result, download the signed result from "Hồ sơ của tôi", check it on /xac-thuc/, track the dossier by code, rate it.
The officials' steps go through the services (the workspace has its own browser test); every citizen step is a
click in the browser. Runs on real time: the live server and Chromium do not share a frozen clock.
"""
import io
import re

import pytest
from django.core.management import call_command

from motcua.accounts.roles import Role
from motcua.documents.pdf import html_to_pdf
from motcua.documents.signing import verify_pdf
from motcua.dossiers import services as desk
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import DESK, XAY_DUNG
from motcua.dossiers.workflow import Status
from motcua.notifications.models import OutboxMessage
from motcua.payments.models import PaymentOrder
from motcua.ratings.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PASSWORD = "Hoian2026pho"


@pytest.fixture
def officials(org, make_user):
    return {
        "desk": make_user(Role.DESK_OFFICER, org[DESK], username="tiepnhan"),
        "specialist": make_user(Role.SPECIALIST, org[XAY_DUNG], username="cv_xd"),
        "leader": make_user(Role.LEADER, org[XAY_DUNG], username="ld_xd"),
    }


@pytest.fixture
def online_services(settings, tmp_path, org):
    """The sandbox bank, and signing keys for every agency from a demo CA (as `make run` makes them)."""
    settings.PAYMENTS_SANDBOX = True
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("democa", stdout=io.StringIO())


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def pay(page, code: str, decision: str) -> str:
    page.goto(f"{page.base_url}/ho-so-cua-toi/{code}/")
    page.locator("#pay-online").click()
    page.wait_for_url("**/thanh-toan/sandbox/**")
    assert "75.000" in page.locator("main").inner_text()
    page.get_by_role("button", name=decision).click()
    page.wait_for_url("**/thanh-toan/ket-qua/**")
    return page.locator("main").inner_text()


def test_a_citizen_files_pays_receives_verifies_tracks_and_rates_from_a_phone(
    browser_page, make_procedure, procedure_data, officials, online_services, tmp_path
):
    make_procedure(procedure_data)  # Cấp giấy phép xây dựng, offered online, a 75.000 đ fee
    page = browser_page

    # 1. Register with an e-mail and open the verification link.
    page.goto(page.base_url + "/tai-khoan/dang-ky/")
    page.get_by_label("Họ và tên (hoặc tên doanh nghiệp, tổ chức)").fill("Nguyễn Văn An")
    page.get_by_label("Thư điện tử hoặc số điện thoại di động").fill("an@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    page.wait_for_url("**/tai-khoan/")
    link = re.search(r"(/tai-khoan/xac-thuc/[^/\s]+/)", OutboxMessage.objects.get(kind="citizen.verify_email").body)
    page.goto(page.base_url + link.group(1))
    assert "Đã xác thực thư điện tử" in page.locator("main").inner_text()

    # 2. Find the procedure typed without diacritics, and open its e-form.
    page.goto(page.base_url + "/thu-tuc/")
    page.locator("#q").fill("giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Cấp giấy phép xây dựng nhà ở riêng lẻ").first.click()
    page.locator("#file-online").click()
    page.wait_for_url("**/nop-ho-so/**")
    assert fits_the_screen(page)

    # 3. Fill it in, upload every component, choose the result online, submit.
    page.locator("#applicant_id_number").fill("049090001234")
    page.locator("#delivery").select_option("online")
    for n, box in enumerate(page.locator("input[type=file][id^=component-]").all()):
        upload = tmp_path / f"thanh-phan-{n}.pdf"
        upload.write_bytes(PDF + str(n).encode())
        box.set_input_files(str(upload))
    page.locator("#submit-filing").click()
    page.wait_for_url("**/ho-so-cua-toi/*/")
    assert page.locator("#dossier-status").inner_text() == "Mới đăng ký"
    dossier = Dossier.objects.get(citizen__username__isnull=False, channel="online")
    code = dossier.code
    assert dossier.status == Status.SUBMITTED and dossier.attachments.filter(kind="scan").count() >= 2

    # 4. The desk accepts the online filing: the clock starts.
    desk.dossier_accept(dossier=code, actor=officials["desk"])
    page.reload()
    assert page.locator("#dossier-status").inner_text() == "Đã tiếp nhận"

    # 5. Pay in the sandbox bank: declined once, then paid.
    assert "không thành công" in pay(page, code, "Từ chối").lower()
    assert not Dossier.objects.get(code=code).fees.filter(paid_at__isnull=False).exists()
    assert "thành công" in pay(page, code, "Chấp nhận").lower()
    assert not Dossier.objects.get(code=code).fees.filter(paid_at__isnull=True).exists()
    assert list(PaymentOrder.objects.filter(dossier__code=code).values_list("status", flat=True).order_by("id")) \
        == ["cancelled", "paid"]  # the payer refused at the bank, then paid

    # 6. The specialist drafts the result; the leader's approval signs it; the result is returned online.
    desk.dossier_claim(dossier=code, actor=officials["specialist"])
    draft = html_to_pdf("<h1>Giấy phép xây dựng</h1><p>Số 123/GPXD cấp cho ông Nguyễn Văn An</p>")
    desk.dossier_attach_draft(dossier=code, actor=officials["specialist"], draft=desk.Upload("gpxd.pdf", draft))
    desk.dossier_forward(dossier=code, actor=officials["specialist"])
    desk.dossier_approve(dossier=code, actor=officials["leader"])
    desk.dossier_complete(dossier=code, actor=officials["leader"])
    desk.dossier_return(dossier=code, actor=officials["desk"], method="online")

    # 7. Download the signed result from "Hồ sơ của tôi" and check it on /xac-thuc/.
    page.goto(f"{page.base_url}/ho-so-cua-toi/{code}/")
    assert page.locator("#dossier-status").inner_text() == "Đã trả kết quả"
    href = page.locator("#results a").first.get_attribute("href")
    signed = page.request.get(page.base_url + href).body()
    check = verify_pdf(signed)
    assert check.signed and check.intact and check.trusted
    result_file = tmp_path / "ket-qua.pdf"
    result_file.write_bytes(signed)
    page.goto(page.base_url + "/xac-thuc/")
    page.locator("#pdf").set_input_files(str(result_file))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    verdict = page.locator("#verdict").inner_text()
    assert "Kết quả hợp lệ" in verdict and f"Trùng khớp với kết quả của hồ sơ {code}" in verdict
    assert "Sở Xây dựng" in verdict

    # 8. Track it by code and the last four digits of the ID number, with no account.
    page.goto(page.base_url + "/tra-cuu/")
    page.locator("#code").fill(code)
    page.locator("#so").fill("1234")
    page.get_by_role("button", name="Tra cứu").click()
    tracked = page.locator("main").inner_text()
    assert "Đã trả kết quả" in tracked and "Nguyễn Văn An" not in tracked and "049090001234" not in tracked

    # 9. Rate it from the prompt in "Hồ sơ của tôi": every question, the five-level scale.
    page.goto(page.base_url + "/ho-so-cua-toi/")
    page.locator(f"a[href='/danh-gia/ho-so/{code}/']").first.click()
    for fieldset in page.locator("fieldset.rating-q").all():
        fieldset.locator("label").first.click()  # Rất hài lòng
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_load_state()
    rating = Rating.objects.get(dossier__code=code)
    assert rating.channel == "account"
    assert fits_the_screen(page)
