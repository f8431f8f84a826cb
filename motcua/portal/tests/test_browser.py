"""In headless Chromium: a citizen finds a procedure without diacritics; an editor edits one and sees v2."""
import pytest

from motcua.catalogue.models import Procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from motcua.demo import load_demo

    load_demo()


def test_citizen_searches_without_diacritics_and_opens_the_procedure(browser_page, demo):
    page = browser_page
    page.goto(page.base_url + "/")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("giay phep xay dung nha o")
    page.get_by_role("button", name="Tìm kiếm").click()
    link = page.get_by_role("link", name="Cấp giấy phép xây dựng nhà ở riêng lẻ").first
    link.click()
    page.wait_for_url("**/thu-tuc/**")
    assert page.locator("h1").inner_text() == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    body = page.locator("main").inner_text()
    assert "Thành phần hồ sơ cần mang theo" in body
    assert "ngày làm việc" in body
    # Phone-sized viewport: nothing overflows sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_editor_edits_a_procedure_and_sees_the_new_version(browser_page, demo):
    page = browser_page
    code = Procedure.objects.filter(current__name="Đăng ký kết hôn").values_list("code", flat=True).first()
    assert code, "the demo catalogue has Đăng ký kết hôn"
    page.goto(page.base_url + "/workspace/")
    page.get_by_label("Tên đăng nhập").fill("bientap")
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/workspace/")
    page.goto(f"{page.base_url}/workspace/thu-tuc/{code}/")
    page.get_by_role("link", name="Sửa thủ tục").click()
    page.get_by_label("Tên thủ tục").fill("Đăng ký kết hôn (có yếu tố trong nước)")
    page.get_by_role("button", name="Lưu và công bố").click()
    page.wait_for_url(f"**/workspace/thu-tuc/{code}/")
    assert "Đăng ký kết hôn (có yếu tố trong nước)" in page.locator("h1").inner_text()
    assert "v2" in page.locator("h1").inner_text()
    assert "Đã công bố phiên bản 2." in page.locator(".messages").inner_text()
    # The public page shows the new version at once.
    page.goto(f"{page.base_url}/thu-tuc/{code}/")
    assert page.locator("h1").inner_text() == "Đăng ký kết hôn (có yếu tố trong nước)"
