"""The electronic result: the approved draft with a verification page (QR code, code, link) appended, then signed.

`issue_result` takes the draft PDF the specialist attached, appends one page rendered from
`documents/result_verification.html` (the dossier code as verification code, a QR code of `/xac-thuc/?code=…`, the
signing agency) as an incremental update — the draft's own bytes are kept — and signs the whole with the agency's
PAdES key (`signing.sign_pdf`). Works on plain values, so this module does not depend on the dossier models.
"""
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.documents.codes import qr_svg_data_uri
from motcua.documents.pdf import render_pdf
from motcua.documents.signing import key_path, sign_pdf
from motcua.errors import Conflict, InvalidInput

TEMPLATE = "documents/result_verification.html"


def verification_url(code: str) -> str:
    """The public page that checks the result of dossier `code` (what the QR code on the result opens)."""
    base = getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/xac-thuc/?code={code}"


def _append_page(pdf: bytes, page_pdf: bytes) -> bytes:
    """`pdf` with the first page of `page_pdf` added at the end, as an incremental update (a form XObject)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InvalidInput(_("Tệp dự thảo kết quả không phải PDF hợp lệ: %(error)s") % {"error": exc}) from exc
    reader = PdfFileReader(BytesIO(page_pdf), strict=False)
    stamp = writer.import_page_as_xobject(reader, page_ix=0)
    box = reader.root["/Pages"]["/Kids"][0]["/MediaBox"]
    name = generic.NameObject
    content = writer.add_object(generic.StreamObject(stream_data=b"q /MotCuaXacThuc Do Q"))
    page = generic.DictionaryObject({
        name("/Type"): name("/Page"),
        name("/MediaBox"): generic.ArrayObject([generic.FloatObject(float(v)) for v in box]),
        name("/Contents"): content,
        name("/Resources"): generic.DictionaryObject({
            name("/XObject"): generic.DictionaryObject({name("/MotCuaXacThuc"): stamp}),
        }),
    })
    writer.insert_page(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def require_key(*, agency_name: str, agency_code: str) -> None:
    """Refuse, with what the administrator must do, when the agency has no signing key installed."""
    if not key_path(agency_code).is_file():
        raise Conflict(
            _("%(agency)s chưa có khoá ký số nên không thể ký kết quả điện tử: thiếu tệp %(file)s trong thư mục "
              "khoá (SIGNING_KEYS_DIR). Quản trị viên cần cài chứng thư số của cơ quan (tệp PKCS#12, mật khẩu "
              "SIGNING_P12_PASSPHRASE) vào tệp đó; ở môi trường thử nghiệm chạy \"manage.py democa\".")
            % {"agency": agency_name, "file": f"{agency_code}.p12"},
            detail={"missing_key": f"{agency_code}.p12"},
        )


def issue_result(draft: bytes, *, code: str, procedure: str, agency_name: str, agency_code: str,
                 approved_at: str) -> bytes:
    """The signed electronic result: the draft, its verification page, and the agency's PAdES signature.

    Raises `Conflict` when the agency has no key (from `sign_pdf`) and `InvalidInput` when the draft is no PDF.
    """
    require_key(agency_name=agency_name, agency_code=agency_code)
    if not draft.startswith(b"%PDF-"):
        raise InvalidInput(_("Dự thảo kết quả phải là tệp PDF để ký số."))
    url = verification_url(code)
    page = render_pdf(TEMPLATE, {"code": code, "procedure": procedure, "agency": agency_name,
                                 "approved_at": approved_at, "url": url, "qr": qr_svg_data_uri(url)})
    stamped = _append_page(draft, page)
    return sign_pdf(stamped, agency_code=agency_code, reason=_("Kết quả giải quyết hồ sơ %(code)s") % {"code": code})
