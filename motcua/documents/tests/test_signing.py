"""Signed results: the demo CA, a PAdES signature per agency, and verification that catches every change."""
import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from motcua.documents.management.commands.democa import make_ca, make_leaf, p12_bytes
from motcua.documents.pdf import html_to_pdf
from motcua.documents.signing import passphrase, sign_pdf, verify_pdf
from motcua.errors import Conflict, InvalidInput

XAY_DUNG = "000.00.05.H47"


@pytest.fixture(autouse=True)
def _vietnamese():
    """The messages are asserted in Vietnamese, whatever language an earlier test left active in this thread."""
    with translation.override("vi"):
        yield


@pytest.fixture
def keys(org, settings, tmp_path):
    """The demo CA and agency keys in a temporary SIGNING_KEYS_DIR."""
    settings.SIGNING_KEYS_DIR = tmp_path
    settings.SIGNING_P12_PASSPHRASE = "test-pass"
    call_command("democa", stdout=io.StringIO())
    return tmp_path


@pytest.fixture(scope="module")
def unsigned_pdf():
    return html_to_pdf("<h1>Giấy phép xây dựng</h1><p>Số 123/GPXD</p>")


def signed_range(pdf: bytes) -> tuple[int, int, int, int]:
    start, length, start2, length2 = map(int, re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", pdf)[-1])
    return start, length, start2, length2


def test_democa_makes_a_key_for_every_result_issuing_agency_and_is_idempotent(keys, org):
    issuing = {code for code, a in org.items() if a.kind not in ("desk", "division")}
    made = {p.name.removesuffix(".p12") for p in keys.glob("*.p12")}
    assert made == issuing and XAY_DUNG in made and "000.00.40.H47" not in made  # the provincial desk signs nothing
    assert (keys / "ca.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    before = {p.name: p.read_bytes() for p in keys.iterdir()}
    out = io.StringIO()
    call_command("democa", stdout=out)
    assert "Đã tạo 0 chứng thư" in out.getvalue()
    assert {p.name: p.read_bytes() for p in keys.iterdir()} == before


def test_a_signed_result_is_intact_trusted_and_names_the_agency(keys, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf, agency_code=XAY_DUNG, reason="Kết quả giải quyết TTHC")
    assert signed.startswith(unsigned_pdf)  # an incremental update: the original bytes are kept
    result = verify_pdf(signed)
    assert (result.signed, result.intact, result.trusted, result.ok) == (True, True, True, True)
    assert result.signer_agency == f"Sở Xây dựng ({XAY_DUNG})"
    assert result.signed_at is not None
    assert "Sở Xây dựng" in result.message and "không bị thay đổi" in result.message
    assert len(result.sha256) == 64


def test_changing_one_byte_inside_the_signed_range_is_detected(keys, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf, agency_code=XAY_DUNG, reason="Kết quả")
    start, length, _s2, _l2 = signed_range(signed)
    offset = signed.index(b"stream", 0, length) + 40  # a byte of the first page content, well inside the range
    assert start <= offset < start + length
    tampered = signed[:offset] + bytes([signed[offset] ^ 0x01]) + signed[offset + 1:]
    result = verify_pdf(tampered)
    assert result.signed and not result.intact and not result.ok
    assert "bị thay đổi sau khi ký" in result.message


def test_bytes_appended_after_signing_are_detected(keys, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf, agency_code=XAY_DUNG, reason="Kết quả")
    result = verify_pdf(signed + b"\n% sua sau khi ky\n")
    assert result.signed and not result.intact


def test_a_certificate_from_another_ca_is_intact_but_not_trusted(keys, unsigned_pdf):
    rogue_ca_key, rogue_ca = make_ca(name="CA tự lập")
    key, cert = make_leaf(ca_key=rogue_ca_key, ca_cert=rogue_ca, code="ROGUE", name="Sở Xây dựng")
    (keys / "ROGUE.p12").write_bytes(
        p12_bytes(key=key, cert=cert, ca_cert=rogue_ca, friendly_name="ROGUE", secret=passphrase())
    )
    result = verify_pdf(sign_pdf(unsigned_pdf, agency_code="ROGUE", reason="Giả mạo"))
    assert result.signed and result.intact and not result.trusted and not result.ok
    assert "không do hệ thống Một Cửa công nhận" in result.message


def test_an_unsigned_pdf_says_it_is_not_signed(keys, unsigned_pdf):
    result = verify_pdf(unsigned_pdf)
    assert not result.signed and not result.intact and not result.trusted
    assert "không có chữ ký số" in result.message


def test_garbage_is_answered_not_raised(keys):
    result = verify_pdf(b"%PDF-1.7\nkhong phai pdf")
    assert not result.signed
    assert "Không đọc được" in result.message or "không có chữ ký số" in result.message


def test_an_agency_without_a_key_cannot_sign(keys, unsigned_pdf):
    with pytest.raises(Conflict, match="chưa có chứng thư số"):
        sign_pdf(unsigned_pdf, agency_code="000.00.40.H47", reason="Kết quả")  # a desk: no key made


def test_an_agency_code_cannot_name_a_file_outside_the_keys_directory(keys, unsigned_pdf):
    with pytest.raises(InvalidInput):
        sign_pdf(unsigned_pdf, agency_code="../ca", reason="Kết quả")
