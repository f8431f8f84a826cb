"""In headless Chromium on a phone-sized screen: a citizen fills the e-form, a disguised file is refused while the
good one stays, then the dossier is submitted and shows in "Hồ sơ của tôi"."""
import pytest
from django.conf import settings as django_settings

from motcua.filings.tests.conftest import EXE, PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "1.009994.000.00.00.H47"


def test_citizen_files_online_in_the_browser(browser_page, make_procedure, procedure_data, citizen, client, tmp_path):
    version = make_procedure(procedure_data)
    first, second = version.components.all()
    client.force_login(citizen)
    page = browser_page
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                               "url": page.base_url}])
    good, bad = tmp_path / "don.pdf", tmp_path / "ban-ve.pdf"
    good.write_bytes(PDF)
    bad.write_bytes(EXE)
    page.goto(f"{page.base_url}/thu-tuc/{CODE}/")
    page.locator("#file-online").click()
    page.wait_for_url(f"**/nop-ho-so/{CODE}/")
    assert page.locator("#applicant_name").input_value() == "Nguyễn Văn An"
    page.locator("#applicant_id_number").fill("049090001234")
    page.locator(f"#component-{first.pk}").set_input_files(str(good))
    page.locator(f"#component-{second.pk}").set_input_files(str(bad))
    page.locator("#submit-filing").click()
    page.wait_for_selector(f"#component-{second.pk}-errors")
    assert "kiểm tra theo nội dung tệp" in page.locator(f"#component-{second.pk}-errors").inner_text()
    assert "don.pdf" in page.locator(f"#component-{first.pk}-files").inner_text()
    assert page.locator("#applicant_id_number").input_value() == "049090001234"
    good2 = tmp_path / "ban-ve-that.pdf"
    good2.write_bytes(PDF + b"2")
    page.locator(f"#component-{second.pk}").set_input_files(str(good2))
    page.locator("#submit-filing").click()
    page.wait_for_url("**/ho-so-cua-toi/*/")
    assert page.locator("#dossier-status").inner_text() == "Mới đăng ký"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
