"""In headless Chromium on a phone: Sở Nội vụ's supervisor lands on the province dashboard, picks the year, drills
down to an agency and a procedure, opens the late dossiers behind the number and one of them."""
import pytest

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.workcal.services import to_local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from motcua.demo import load_demo

    load_demo(dossiers=150)


def test_the_supervisor_drills_down_to_the_late_dossiers_behind_a_number(browser_page, demo):
    from motcua.demo import DEMO_PASSWORD

    late = (Dossier.objects.filter(outcome="late").select_related("agency", "procedure_version__procedure")
            .order_by("-completed_at").first())
    assert late is not None, "the demo has late dossiers"
    year = str(to_local(late.completed_at).year)  # the demo's dossiers are of the months before today
    top = Agency.objects.get(path=late.agency.path[:14])  # the agency under the province that it belongs to
    code = late.procedure_version.procedure.code
    page = browser_page
    page.goto(page.base_url + "/workspace/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("giamsat.noivu")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/workspace/" in url and "dang-nhap" not in url)  # the role's landing
    assert "/workspace/thong-ke/" in page.url
    assert page.locator("h1").inner_text() == "Thống kê, giám sát giải quyết thủ tục hành chính"

    page.get_by_label("Kỳ", exact=True).select_option(year)
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_url(f"**/thong-ke/?period={year}")
    assert page.get_by_test_id("period-label").inner_text().startswith(f"Năm {year}")
    page.locator("table.agencies[data-chart-drawn]").wait_for(state="attached")  # Chart.js drew from the table
    assert page.locator("figure.chart canvas").count() >= 2

    page.locator(f'table.agencies tbody tr[data-agency="{top.code}"] th a').click()
    page.wait_for_url(f"**/thong-ke/co-quan/{top.pk}/**")
    assert page.locator("h1").inner_text() == top.name

    page.locator(f'tr[data-procedure="{code}"] th a').click()
    page.wait_for_url(f"**/thu-tuc/{code}/**")
    row = page.locator('tr[data-indicator="dossiers.late"]')
    shown = int(row.locator("a").inner_text())
    assert shown >= 1
    row.locator("a").click()
    page.wait_for_url("**/thong-ke/ho-so/late/**")
    assert page.get_by_test_id("dossier-count").inner_text() == f"{shown} hồ sơ"
    assert page.locator("table.dossiers tbody tr").count() == min(shown, 50)
    page.get_by_role("link", name=late.code).click()
    page.wait_for_url(f"**/workspace/ho-so/{late.code}/")
    assert late.code in page.locator("main").inner_text()


def test_the_supervisor_downloads_the_quarterly_report(browser_page, demo, tmp_path):
    import openpyxl

    from motcua.demo import DEMO_PASSWORD
    from motcua.workcal.services import to_local as local

    last = Dossier.objects.exclude(completed_at=None).order_by("-completed_at").first()
    moment = local(last.completed_at)
    year, quarter = moment.year, (moment.month - 1) // 3 + 1
    page = browser_page
    page.goto(page.base_url + "/workspace/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("giamsat.noivu")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/workspace/" in url and "dang-nhap" not in url)
    page.get_by_role("link", name="Báo cáo định kỳ (Excel, PDF)").click()
    page.wait_for_url("**/thong-ke/bao-cao/")
    page.get_by_label("Loại báo cáo").select_option("quarterly")
    page.get_by_label("Định dạng").select_option("xlsx")
    page.get_by_label("Năm").fill(str(year))
    page.get_by_label("Quý").fill(str(quarter))
    page.get_by_label("Cơ quan").select_option(index=1)
    page.locator("#id_signer_name").fill("Nguyễn Văn Giám")
    page.locator("#id_signer_title").fill("Giám đốc Sở Nội vụ")
    page.get_by_role("button", name="Lập báo cáo").click()
    link = page.get_by_role("link", name="Tải về").first
    link.wait_for(timeout=60_000)  # the job runs in the background; the page refreshes itself until it is done
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "bao-cao.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert f"QUÝ {quarter} NĂM {year}" in text and "Nguyễn Văn Giám" in text and "Kỳ báo cáo" in text
