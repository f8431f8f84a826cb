"""In headless Chromium on a phone: an anonymous complaint about a dossier, routed by the receiver, drafted and
approved at the agency, published; the sender's tracking page shows the answer and /hoi-dap/ masks the phone."""
import pytest

from motcua.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass!"
XAY_DUNG = "000.00.05.H47"
DESK = "000.00.40.H47"


@pytest.fixture
def dossier(org, make_user, make_procedure, procedure_data):
    from motcua.dossiers.services import Intake, dossier_receive
    from motcua.dossiers.tests.conftest import applicant, full_components

    desk = make_user(Role.DESK_OFFICER, org[DESK], username="tiepnhan")
    version = make_procedure(procedure_data)
    return dossier_receive(actor=desk, desk=org[DESK], intake=Intake(
        procedure=version, applicant=applicant(), components=full_components(version)))


@pytest.fixture
def staff(org, make_user):
    return {
        "receiver": make_user(Role.SUPERVISOR, org["000.00.00.H47"], username="pakn"),
        "specialist": make_user(Role.SPECIALIST, org[XAY_DUNG], username="cv_xd"),
        "leader": make_user(Role.LEADER, org[XAY_DUNG], username="ld_xd"),
    }


def login(page, username):
    page.goto(page.base_url + "/workspace/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/workspace/" in url and "dang-nhap" not in url)  # the role's landing


def logout(page):
    page.context.clear_cookies()


def test_a_complaint_goes_from_the_phone_to_the_public_answers(browser_page, dossier, staff):
    page = browser_page
    page.goto(page.base_url + "/phan-anh/")
    page.get_by_label("Về việc giải quyết hồ sơ, thủ tục").check()
    page.get_by_label("Tiêu đề").fill("Hồ sơ xây dựng chưa được xử lý")
    page.get_by_label("Nội dung", exact=True).fill("Tôi gọi 0905 111 222 nhiều lần nhưng không ai nghe.")
    page.locator("summary").click()
    page.get_by_label("Mã hồ sơ liên quan (không bắt buộc)").fill(dossier.code)
    page.get_by_label("4 số cuối điện thoại hoặc số định danh của người nộp hồ sơ").fill("3456")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Số điện thoại").fill("0905 123 456")
    page.get_by_label("Không công khai tên của tôi").check()
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.get_by_test_id("feedback-code").inner_text()
    digits = page.get_by_test_id("feedback-digits").inner_text()
    assert digits == "3456"

    login(page, "pakn")
    page.goto(page.base_url + f"/workspace/phan-anh/{code}/")
    page.get_by_label("Cơ quan có thẩm quyền").select_option(label="Sở Xây dựng")
    page.get_by_role("button", name="Chuyển cơ quan có thẩm quyền").click()
    logout(page)

    login(page, "cv_xd")
    page.goto(page.base_url + f"/workspace/phan-anh/{code}/")
    page.get_by_label("Nội dung trả lời").fill("Sở đã liên hệ, hồ sơ được trả ngày 10/12. Đường dây 0235 3812 345.")
    page.get_by_role("button", name="Dự thảo trả lời").click()
    logout(page)

    login(page, "ld_xd")
    page.goto(page.base_url + f"/workspace/phan-anh/{code}/")
    page.get_by_role("button", name="Duyệt và gửi trả lời").click()
    assert page.get_by_test_id("ws-status").inner_text() == "Đã trả lời"
    logout(page)

    login(page, "pakn")
    page.goto(page.base_url + f"/workspace/phan-anh/{code}/")
    page.get_by_role("button", name="Công khai trả lời").click()
    logout(page)

    page.goto(page.base_url + f"/phan-anh/tra-cuu/?ma={code}&so={digits}")
    assert "hồ sơ được trả ngày 10/12" in page.get_by_test_id("feedback-answer").inner_text()
    assert "Nguyễn Văn An" not in page.content()

    page.goto(page.base_url + "/hoi-dap/?q=ho+so+xay+dung")
    qa = page.get_by_test_id("qa-item").first.inner_text()
    assert "hồ sơ được trả ngày 10/12" in qa
    assert "0905 111 222" not in qa and "[số điện thoại đã ẩn]" in qa
