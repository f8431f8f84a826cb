"""In headless Chromium on a phone-sized screen: a citizen registers by e-mail, opens the link, signs out and in."""
import re

import pytest

from motcua.notifications.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_registers_verifies_and_signs_in_on_a_phone(browser_page):
    page = browser_page
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Đăng nhập / Đăng ký").click()
    page.get_by_role("link", name="Đăng ký").last.click()
    page.wait_for_url("**/tai-khoan/dang-ky/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_label("Họ và tên (hoặc tên doanh nghiệp, tổ chức)").fill("Nguyễn Văn An")
    page.get_by_label("Thư điện tử hoặc số điện thoại di động").fill("an@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill("Hoian2026pho")
    page.get_by_label("Nhập lại mật khẩu").fill("Hoian2026pho")
    page.get_by_role("button", name="Đăng ký").click()
    page.wait_for_url("**/tai-khoan/")
    assert "Chưa xác thực" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    body = OutboxMessage.objects.get(kind="citizen.verify_email").body
    path = re.search(r"(/tai-khoan/xac-thuc/[^/\s]+/)", body).group(1)
    page.goto(page.base_url + path)
    assert "Đã xác thực thư điện tử" in page.locator("main").inner_text()

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill("an@example.vn")
    page.get_by_label("Mật khẩu").fill("Hoian2026pho")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/")
    assert "Đã xác thực" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Hồ sơ của tôi").get_attribute("href") == "/ho-so-cua-toi/"
