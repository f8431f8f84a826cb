"""In headless Chromium: Sở Nội vụ imports the programme, Sở TT&TT's leader submits a quarterly report with an
attachment, Sở Nội vụ accepts it and downloads the province's quarterly report."""
import io
import re
from pathlib import Path

import pytest
from docx import Document

from motcua.programme.models import Report, Task
from motcua.programme.tests.conftest import TASKS_CSV

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "s3cret-pass!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, username):
    page.goto(page.base_url + "/workspace/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/workspace/" in url and "dang-nhap" not in url)  # the role's landing


def logout(page):
    page.get_by_role("button", name=re.compile("Đăng xuất")).click()


def test_import_report_accept_and_download_the_province_report(browser_page, people):
    page = browser_page
    login(page, "noivu")
    page.goto(page.base_url + "/workspace/chuong-trinh/nhap/")
    page.get_by_label("Tệp").set_input_files([{"name": "tasks.csv", "mimeType": "text/csv",
                                               "buffer": TASKS_CSV.read_bytes()}])
    page.get_by_label(re.compile("Ghi vào hệ thống")).check()
    page.get_by_role("button", name=re.compile("Kiểm tra")).click()
    page.locator("#import-result").wait_for()
    assert Task.objects.count() == 69
    logout(page)

    task = Task.objects.get(section__year=2016, number=29)
    login(page, "lanhdao.tttt")
    page.goto(page.base_url + f"/workspace/chuong-trinh/nhiem-vu/{task.pk}/")
    form = page.locator("#report-form")
    form.get_by_label("Kỳ báo cáo").select_option("2016-3")
    form.get_by_label("Tình hình", exact=True).select_option("in_progress")
    form.get_by_label(re.compile("Tỷ lệ")).fill("70")
    form.get_by_label("Kết quả thực hiện").fill("Đã xây dựng phần mềm một cửa")
    form.get_by_label("Đề xuất, kiến nghị").fill("Đề nghị cấp kinh phí duy trì")
    form.get_by_label(re.compile("Tài liệu kiểm chứng")).set_input_files(
        [{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    form.get_by_role("button", name="Lưu và gửi Sở Nội vụ").click()
    page.get_by_text("Đã gửi báo cáo tới Sở Nội vụ").wait_for()
    report = Report.objects.get()
    assert report.state == "submitted" and report.evidence.count() == 1
    logout(page)

    login(page, "noivu")
    page.goto(page.base_url + "/workspace/chuong-trinh/can-theo-doi/")
    page.get_by_role("link", name="2016/29 — Sở Thông tin").first.click()
    page.get_by_role("button", name="Tiếp nhận báo cáo").click()
    page.get_by_text(re.compile("Đã thực hiện")).wait_for()
    report.refresh_from_db()
    assert report.state == "accepted"
    page.goto(page.base_url + "/workspace/chuong-trinh/")
    page.locator("#rep-year").select_option("2016")
    page.locator("#rep-quarter").select_option("3")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải DOCX").click()
    content = Path(info.value.path()).read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "quý 3 năm 2016" in text and "Đề nghị cấp kinh phí duy trì" in text
