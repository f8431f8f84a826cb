"""`/xac-thuc/`: a citizen checks a result PDF or a dossier code; the answer never shows personal data."""
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import path

from motcua.documents.pdf import html_to_pdf
from motcua.documents.signing import sign_pdf
from motcua.dossiers import services as svc
from motcua.dossiers.services import Upload
from motcua.dossiers.tests.conftest import *  # noqa: F401,F403 — the dossier fixtures (clock, staff, procedures)
from motcua.portal import verify_views
from motcua.urls import urlpatterns as site_urlpatterns

XAY_DUNG = "000.00.05.H47"
URL = "/xac-thuc/"

# The site's routes plus this page, so that the test does not depend on where motcua/portal/urls.py mounts it.
urlpatterns = [path("xac-thuc/", verify_views.verify), *site_urlpatterns]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed(org):
    call_command("democa", stdout=io.StringIO())
    return sign_pdf(html_to_pdf("<h1>Giấy phép xây dựng</h1>"), agency_code=XAY_DUNG, reason="Kết quả giải quyết")


@pytest.fixture
def completed(building, receive, staff, signed):
    """A dossier completed at Sở Xây dựng with the signed PDF stored as its result."""
    dossier = receive(building)
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    return svc.dossier_complete(dossier=dossier, actor=staff["leader"], result=Upload("giay-phep.pdf", signed))


def upload(client, content: bytes, name: str = "ket-qua.pdf"):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(URL, {"pdf": handle})


def without_tokens(html: str, code: str) -> str:
    """The page with the dossier code and the (per-response masked) CSRF tokens blanked out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html).replace(code, "CODE")


def test_the_page_offers_both_checks(client, db):
    html = client.get(URL).content.decode()
    assert 'name="pdf"' in html and 'name="code"' in html
    assert "Xác thực kết quả" in html


def test_a_signed_result_matching_our_record_is_confirmed_without_personal_data(client, completed, signed):
    response = upload(client, signed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kết quả hợp lệ" in html
    assert "Sở Xây dựng (000.00.05.H47)" in html
    assert "Nguyên vẹn, không bị sửa đổi sau khi ký" in html
    assert "Do hệ thống Một Cửa công nhận" in html
    assert f"Trùng khớp với kết quả của hồ sơ {completed.code}" in html
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in html
    for personal in ("Nguyễn Văn An", "049090001234", "0905123456", "an@example.vn", "Phan Bội Châu"):
        assert personal not in html


def test_a_signed_pdf_we_never_issued_is_valid_but_matches_no_record(client, signed):
    html = upload(client, signed).content.decode()
    assert "Kết quả hợp lệ" in html
    assert "Không trùng với kết quả nào được lưu trên hệ thống." in html


def test_a_modified_result_is_reported_as_modified(client, completed, signed):
    offset = signed.index(b"stream") + 40
    tampered = signed[:offset] + bytes([signed[offset] ^ 0x01]) + signed[offset + 1:]
    html = upload(client, tampered).content.decode()
    assert "Không xác nhận được kết quả" in html
    assert "Đã bị sửa đổi sau khi ký" in html
    assert "Không trùng với kết quả nào" in html


def test_an_unsigned_pdf_is_reported_as_unsigned(client, db):
    html = upload(client, html_to_pdf("<p>Bản scan</p>")).content.decode()
    assert "không có chữ ký số" in html


def test_a_file_that_is_not_a_pdf_by_content_is_refused(client, db):
    response = upload(client, b"\x89PNG\r\n\x1a\nnot a pdf", name="ket-qua.pdf")
    assert response.status_code == 400
    assert "không phải PDF" in response.content.decode()


def test_an_oversized_file_is_refused(client, db, settings):
    settings.VERIFY_MAX_BYTES = 1024 * 1024
    response = upload(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "lớn hơn giới hạn 1 MB" in response.content.decode()


def test_a_code_with_a_signed_result_says_so_and_an_unknown_code_gets_the_no_answer(client, completed):
    html = client.get(URL, {"code": completed.code}).content.decode()
    assert "Có kết quả điện tử đã được ký số." in html and "Sở Xây dựng" in html
    assert "Nguyễn Văn An" not in html
    unknown = client.get(URL, {"code": "000.00.40.H47-261207-9999"}).content.decode()
    assert "Không có kết quả điện tử được ký số cho mã hồ sơ này." in unknown


def test_a_dossier_without_a_result_answers_exactly_like_an_unknown_code(client, building, receive):
    dossier = receive(building)
    known = without_tokens(client.get(URL, {"code": dossier.code}).content.decode(), dossier.code)
    unknown_code = dossier.code[:-4] + "9999"
    unknown = without_tokens(client.get(URL, {"code": unknown_code}).content.decode(), unknown_code)
    assert known == unknown


def test_lookups_are_rate_limited_per_client_address(client, db, settings):
    settings.VERIFY_ATTEMPTS = 3
    pdf = html_to_pdf("<p>x</p>")
    assert upload(client, pdf).status_code == 200
    assert client.get(URL, {"code": "X-1"}).status_code == 200
    assert client.get(URL, {"code": "X-2"}).status_code == 200
    response = client.get(URL, {"code": "X-3"})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    assert upload(client, pdf).status_code == 429
    assert client.get(URL, {"code": "X-4"}, REMOTE_ADDR="10.0.0.9").status_code == 200  # another client
    assert client.get(URL).status_code == 200  # the empty form is never limited
