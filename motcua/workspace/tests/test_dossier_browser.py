"""In headless Chromium: an inter-agency land dossier from the desk through the land office, the tax office, a
supplement, the leader's approval and completion, back to the desk that returns it; Mẫu 01 and Mẫu 05 are read
back with pdftotext."""
import importlib.util
import re
import shutil
import subprocess
import warnings

import pytest

from motcua.accounts.roles import Role
from motcua.dossiers.models import Dossier
from motcua.dossiers.policy import IRREVERSIBLE
from motcua.dossiers.tests.conftest import DESK, LAND_OFFICE, TAX
from motcua.dossiers.workflow import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LAND_DEPARTMENT = "000.00.04.H47"  # Sở Tài nguyên và Môi trường, the processing agency


@pytest.fixture
def land_procedure(make_procedure, procedure_data):
    """The inter-agency land registration of the dossier tests' `land` fixture, created through the services
    (without that fixture's frozen clock: the live server and Chromium run on real time)."""
    return make_procedure({
        **procedure_data, "code": "1.003010.000.00.00.H47", "name": "Đăng ký biến động quyền sử dụng đất",
        "field": "DD", "field_name": "Đất đai", "agencies": [LAND_DEPARTMENT], "legal_limit": "10",
        "committed_limit": "10", "result_name": "Giấy chứng nhận quyền sử dụng đất",
        "steps": [
            {"name": "Tiếp nhận", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "4"},
            {"name": "Thẩm định hồ sơ", "kind": "review", "agency": LAND_OFFICE, "role": "specialist", "hours": "24"},
            {"name": "Xác định nghĩa vụ tài chính", "kind": "inter_agency", "agency": TAX, "role": "specialist",
             "hours": "24"},
            {"name": "Cập nhật, in giấy chứng nhận", "kind": "review", "agency": LAND_OFFICE, "role": "specialist",
             "hours": "16"},
            {"name": "Ký giấy chứng nhận", "kind": "approve", "agency": "@self", "role": "leader", "hours": "12"},
            {"name": "Trả kết quả", "kind": "return", "agency": "@self", "role": "desk_officer", "hours": "0"},
        ],
    })


@pytest.fixture
def people(org, make_user):
    return {
        "desk": make_user(Role.DESK_OFFICER, org[DESK], username="tiepnhan"),
        "land": make_user(Role.SPECIALIST, org[LAND_OFFICE], username="cv_vpdk"),
        "tax": make_user(Role.SPECIALIST, org[TAX], username="cv_thue"),
        "leader": make_user(Role.LEADER, org[LAND_DEPARTMENT], username="ld_tnmt"),
    }


def login(page, username):
    page.goto(page.base_url + "/workspace/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/workspace/" in url and "dang-nhap" not in url)  # the role's landing


def logout(page):
    page.get_by_role("button", name=re.compile("Đăng xuất")).click()
    page.wait_for_url("**/workspace/dang-nhap/**")


def open_dossier(page, code):
    page.goto(f"{page.base_url}/workspace/ho-so/{code}/")
    assert code in page.locator("h1").inner_text()


def do(page, action, label, fill=None):
    """Open the action's panel, let `fill` complete it, submit, and wait for the confirmation."""
    panel = page.locator(f"#action-{action}")
    panel.locator("summary").click()
    if fill is not None:
        fill(panel)
    asked = []

    def answer(dialog):  # irreversible actions ask first (static/motcua/confirm.js); the officer says yes
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if action in IRREVERSIBLE:
        assert asked and "không thể hoàn tác" in asked[0]
    else:
        page.remove_listener("dialog", answer)
        assert not asked
    messages = page.locator(".messages")
    assert f"Đã thực hiện: {label}." in messages.inner_text(), page.locator("main").inner_text()[:2000]


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def pdf_text(page, code, form, tmp_path) -> str | None:
    """The paper's text through pdftotext, or None (with a warning) when the papers or poppler are missing."""
    if importlib.util.find_spec("motcua.dossiers.papers") is None:
        warnings.warn("paper check skipped: motcua.dossiers.papers is not there yet", stacklevel=2)
        return None
    if shutil.which("pdftotext") is None:
        warnings.warn("paper check skipped: pdftotext is not installed (apt-get install poppler-utils)",
                      stacklevel=2)
        return None
    link = page.locator(f"a[href$='/giay-to/{form}.pdf']").first
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    path = tmp_path / f"{code}-{form}.pdf"
    path.write_bytes(response.body())
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def test_an_inter_agency_land_dossier_from_intake_to_return(browser_page, land_procedure, people, tmp_path,
                                                            settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page

    # 1. The desk officer finds the procedure without diacritics and receives the dossier with a scan.
    login(page, "tiepnhan")
    page.get_by_role("link", name="Hồ sơ", exact=True).first.click()
    page.get_by_role("link", name="Tiếp nhận hồ sơ").first.click()
    page.get_by_label("Tên hoặc mã thủ tục").fill("dang ky bien dong dat")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_role("link", name="Đăng ký biến động quyền sử dụng đất").click()
    page.wait_for_url("**/tiep-nhan/?procedure=*")
    page.get_by_label("Họ và tên người nộp / tên tổ chức").fill("Phạm Thị Hồng")
    page.get_by_label("Số căn cước công dân / mã số doanh nghiệp").fill("049185004321")
    page.get_by_label("Điện thoại").fill("0935111222")
    page.get_by_label("Địa chỉ", exact=True).fill("8 Trần Cao Vân, Tam Kỳ")
    page.locator("fieldset.component", has_text="Đơn đề nghị").get_by_label("Tệp quét (có thể chọn nhiều tệp)") \
        .set_input_files([{"name": "don-de-nghi.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    components = page.locator("fieldset.component")
    assert components.first.get_by_label("Bản chính").input_value() == ""  # nothing is counted for the officer
    for index in range(components.count()):  # the officer records what was handed over
        components.nth(index).get_by_label("Bản chính").fill("1")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url("**/ho-so/*/?moi=1")
    code = page.locator("h1 .code").inner_text().strip()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RECEIVED and dossier.attachments.get().original_name == "don-de-nghi.pdf"
    assert "Đã tiếp nhận hồ sơ" in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="In Giấy tiếp nhận (Mẫu 01)").is_visible()
    assert no_sideways_scroll(page)
    receipt = pdf_text(page, code, "mau-01", tmp_path)
    if receipt is not None:
        assert "giấy tiếp nhận hồ sơ và hẹn trả kết quả" in receipt.lower()
        assert code in receipt and "Phạm Thị Hồng" in receipt
    logout(page)

    # 2. The land-office specialist finds it in "my work", claims it and forwards it to the tax office.
    login(page, "cv_vpdk")
    page.goto(page.base_url + "/workspace/ho-so/?tab=mine")
    page.get_by_role("link", name=code).click()
    do(page, "claim", "Nhận xử lý")
    do(page, "forward", "Chuyển bước tiếp theo",
       lambda p: p.get_by_label("Chuyển cho cán bộ").select_option(str(people["tax"].pk)))
    assert "Cục Thuế" in page.locator("main").inner_text()
    logout(page)

    # 3. The tax specialist forwards it back to the land office.
    login(page, "cv_thue")
    open_dossier(page, code)
    do(page, "forward", "Chuyển bước tiếp theo")
    logout(page)

    # 4. The land office asks for a supplement; the desk records it received with the new paper.
    login(page, "cv_vpdk")
    open_dossier(page, code)

    def supplement(panel):
        panel.locator("[name='request_supplement-row_0_name']").fill("Trích lục bản đồ địa chính")
        panel.locator("[name='request_supplement-row_0_reason']").fill("Bản cũ đã hết hạn")
        panel.get_by_label("Lý do yêu cầu bổ sung").fill("Thiếu trích lục bản đồ mới")

    do(page, "request_supplement", "Yêu cầu bổ sung", supplement)
    assert "Yêu cầu bổ sung" in page.locator("h1").inner_text()
    logout(page)
    login(page, "tiepnhan")
    page.goto(page.base_url + "/workspace/ho-so/?tab=supplement")
    page.get_by_role("link", name=code).click()
    do(page, "supplement_received", "Đã nhận bổ sung", lambda p: p.get_by_label(
        "Tài liệu bổ sung (có thể chọn nhiều tệp)").set_input_files(
        [{"name": "trich-luc.pdf", "mimeType": "application/pdf", "buffer": PDF}]))
    logout(page)

    # 5. The land office forwards to the leader, who approves and completes with the signed result.
    login(page, "cv_vpdk")
    open_dossier(page, code)
    do(page, "forward", "Chuyển bước tiếp theo",
       lambda p: p.get_by_label("Chuyển cho cán bộ").select_option(str(people["leader"].pk)))
    logout(page)
    login(page, "ld_tnmt")
    page.goto(page.base_url + "/workspace/ho-so/?tab=mine")
    page.get_by_role("link", name=code).click()
    do(page, "approve", "Phê duyệt", lambda p: p.get_by_label("Ý kiến phê duyệt").fill("Đồng ý"))
    do(page, "complete", "Hoàn thành xử lý", lambda p: p.get_by_label("Tệp kết quả (PDF)").set_input_files(
        [{"name": "giay-chung-nhan.pdf", "mimeType": "application/pdf", "buffer": PDF}]))
    logout(page)

    # 6. The desk returns the result to the applicant; the control sheet shows every handoff.
    login(page, "tiepnhan")
    page.goto(page.base_url + "/workspace/ho-so/?tab=ready")
    page.get_by_role("link", name=code).click()
    do(page, "return", "Trả kết quả")
    assert "Đã trả kết quả" in page.locator("h1").inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RETURNED and dossier.return_note == "Phạm Thị Hồng"
    assert list(dossier.events.values_list("action", flat=True)) == [
        "receive", "claim", "forward", "forward", "request_supplement", "supplement_received", "forward",
        "approve", "complete", "return"]
    assert sorted(dossier.attachments.values_list("kind", flat=True)) == ["result", "scan", "supplement"]
    timeline = page.locator("ol.timeline").inner_text()
    assert "Cục Thuế tỉnh Quảng Nam" in page.locator("table.steps").inner_text() and "Trả kết quả" in timeline
    assert no_sideways_scroll(page)
    control = pdf_text(page, code, "mau-05", tmp_path)
    if control is not None:
        assert "phiếu kiểm soát quá trình giải quyết hồ sơ" in control.lower()
        assert code in control and "Cục Thuế" in control
