"""Electronic results, signed and verifiable (Decree 45/2020/NĐ-CP): a PAdES signature per agency, with pyHanko.

- **Signing.** `sign_pdf` adds one PAdES signature (field "MotCua") as an incremental update, with the agency's key
  from `SIGNING_KEYS_DIR/<agency code>.p12` (passphrase `SIGNING_P12_PASSPHRASE`). The demo keys come from
  `manage.py democa`; production puts the agency's real certificate there (docs/adr/0006-signed-results.md).
- **Verifying.** `verify_pdf` checks the last signature: the digest matches and it covers the whole file (nothing
  appended after signing), and the signer's certificate chains to `SIGNING_KEYS_DIR/ca.pem`. Nothing is fetched
  from the network (no OCSP/CRL in the demo CA), so revocation is not checked. The answer carries a sentence a
  citizen understands.
"""
import asyncio
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.errors import Conflict, InvalidInput

FIELD_NAME = "MotCua"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


def keys_dir() -> Path:
    default = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "keys"
    return Path(getattr(settings, "SIGNING_KEYS_DIR", default))


def passphrase() -> bytes:
    return str(getattr(settings, "SIGNING_P12_PASSPHRASE", "demo") or "demo").encode()


def key_path(agency_code: str) -> Path:
    """The agency's PKCS#12 file; the code is checked so that it can never name a file outside the keys directory."""
    if not _CODE.fullmatch(agency_code or ""):
        raise InvalidInput(_("Mã cơ quan %(code)s không hợp lệ.") % {"code": (agency_code or "")[:40]})
    return keys_dir() / f"{agency_code}.p12"


def ca_path() -> Path:
    return keys_dir() / "ca.pem"


def _outside_event_loop(work):
    """Run `work()` here, or in a helper thread when this thread already runs an asyncio loop.

    pyHanko's synchronous API calls `asyncio.run`, which refuses to start inside a running loop (an ASGI worker,
    Playwright's sync API in the browser tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign_pdf(pdf: bytes, *, agency_code: str, reason: str, location: str = "Quảng Nam") -> bytes:
    """The PDF with the agency's PAdES signature appended (incremental update; the original bytes are unchanged)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields, signers

    path = key_path(agency_code)
    if not path.is_file():
        raise Conflict(
            _("Cơ quan %(code)s chưa có chứng thư số để ký kết quả; hãy cài khoá (tệp .p12) hoặc chạy "
              "manage.py democa ở môi trường thử nghiệm.") % {"code": agency_code}
        )
    if not pdf.startswith(b"%PDF-"):
        raise InvalidInput(_("Chỉ ký được tệp PDF."))
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase())
    if signer is None:
        raise Conflict(_("Không mở được khoá ký của cơ quan %(code)s (sai mật khẩu hoặc tệp hỏng).")
                       % {"code": agency_code})
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location,
        md_algorithm="sha256",
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        out = _outside_event_loop(lambda: signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=BytesIO()))
    except PdfReadError as exc:
        raise InvalidInput(_("Tệp PDF bị hỏng, không ký được: %(error)s") % {"error": exc}) from exc
    return out.getvalue()


@dataclass(frozen=True)
class Verification:
    signed: bool
    intact: bool  # the digest matches and the signature covers the whole file
    trusted: bool  # the signer's certificate chains to our CA
    signer_agency: str  # "Sở Xây dựng (000.00.05.H47)": the certificate's subject O and CN
    signed_at: datetime | None
    sha256: str
    message: str

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted


def _load_ca():
    from asn1crypto import pem, x509

    path = ca_path()
    if not path.is_file():
        return None
    data = path.read_bytes()
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def _subject(cert) -> str:
    names = cert.subject.native
    org, common = names.get("organization_name", ""), names.get("common_name", "")
    if org and common and org != common:
        return f"{org} ({common})"
    return org or common or cert.subject.human_friendly


def verify_pdf(pdf: bytes) -> Verification:
    """Check the PDF's last signature against our CA; never raises on a bad or hostile file, it says so instead."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    sha256 = hashlib.sha256(pdf).hexdigest()

    def answer(message, **values):
        base = {"signed": False, "intact": False, "trusted": False, "signer_agency": "", "signed_at": None}
        return Verification(**{**base, **values}, sha256=sha256, message=message)

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 — any parse failure of an uploaded file is "not a readable PDF"
        return answer(_("Không đọc được tệp này như một tệp PDF; có thể tệp bị hỏng."))
    if not signatures:
        return answer(_("Tệp PDF này không có chữ ký số. Đây không phải bản điện tử có giá trị pháp lý của kết quả."))
    embedded = signatures[-1]
    ca = _load_ca()
    context = ValidationContext(trust_roots=[ca] if ca is not None else [], allow_fetching=False)
    try:
        status = _outside_event_loop(lambda: validate_pdf_signature(embedded, signer_validation_context=context))
    except Exception:  # noqa: BLE001 — a malformed signature dictionary is a broken signature, not a server error
        return answer(_("Tệp có chữ ký số nhưng chữ ký bị hỏng, không kiểm tra được."), signed=True)
    intact = bool(status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    trusted = bool(status.trusted)
    signer = _subject(status.signing_cert) if status.signing_cert is not None else ""
    signed_at = status.signer_reported_dt
    if not intact:
        message = _("Văn bản đã bị thay đổi sau khi ký (hoặc chữ ký không khớp nội dung). "
                    "Không sử dụng bản này; hãy liên hệ cơ quan giải quyết để được cấp lại.")
    elif not trusted:
        message = _("Chữ ký còn nguyên vẹn nhưng chứng thư số của người ký (%(signer)s) không do hệ thống Một Cửa "
                    "công nhận, nên không xác nhận được cơ quan ký.") % {"signer": signer}
    else:
        message = _("Văn bản được %(signer)s ký số lúc %(when)s và không bị thay đổi sau khi ký.") % {
            "signer": signer,
            "when": timezone.localtime(signed_at).strftime("%H:%M, %d/%m/%Y") if signed_at else "—",
        }
    return answer(message, signed=True, intact=intact, trusted=trusted, signer_agency=signer, signed_at=signed_at)
