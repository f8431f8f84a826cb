"""The papers of Circular 01/2018 render to PDF with their titles and values, escape what they print, and fetch
nothing from the network; the logbook also exports to XLSX with the same columns."""
import io
import re
import shutil
import socket
import subprocess
import unicodedata
import zlib

import pytest
from openpyxl import load_workbook

from motcua.documents import papers
from motcua.documents.codes import barcode_svg_data_uri, qr_svg_data_uri
from motcua.documents.pdf import FONTS_DIR, FetchRefused, LocalFetcher, html_to_pdf
from motcua.documents.tests.samples import dossier_context, logbook_context

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: cannot read the text of the PDFs"
)

A4_PORTRAIT = (595.28, 841.89)  # points
A4_LANDSCAPE = (841.89, 595.28)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as pdftotext reads it, NFC-normalised, with all whitespace runs as one space."""
    out = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode("utf-8")).split())


def pdf_streams(pdf: bytes) -> bytes:
    """All the PDF's Flate streams, inflated (WeasyPrint compresses pages and objects alike)."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end():]))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf_streams(pdf) + pdf)
    return [(round(float(w), 2), round(float(h), 2)) for w, h in boxes]


def drawing_ops(pdf: bytes) -> tuple[int, int]:
    """How many rectangles (`re`) and line segments (`l`) the pages draw: the barcode's bars and the QR's modules."""
    streams = pdf_streams(pdf)
    return len(re.findall(rb" re\b", streams)), len(re.findall(rb" l\b", streams))


@pytest.fixture(scope="module")
def ctx():
    return dossier_context()


@pytest.fixture(scope="module")
def rendered(ctx):
    """Each paper rendered once for the whole module (rendering is the slow part)."""
    pdfs = {form: render(ctx) for form, render in papers.FORMS.items()}
    pdfs["mau-06"] = papers.logbook_pdf(logbook_context())
    return pdfs


def test_forms_maps_mau_01_to_05_to_their_functions():
    expected = {
        "mau-01": papers.receipt_pdf,
        "mau-02": papers.supplement_pdf,
        "mau-03": papers.refusal_pdf,
        "mau-04": papers.apology_pdf,
        "mau-05": papers.control_sheet_pdf,
    }
    forms = papers.FORMS
    assert forms == expected


@pytest.mark.parametrize("form", ["mau-01", "mau-02", "mau-03", "mau-04", "mau-05", "mau-06"])
def test_every_paper_is_a_pdf_of_the_right_page_size(rendered, form):
    pdf = rendered[form]
    assert pdf.startswith(b"%PDF-")
    expected = A4_LANDSCAPE if form == "mau-06" else A4_PORTRAIT
    assert page_sizes(pdf) and all(size == expected for size in page_sizes(pdf))


@needs_pdftotext
@pytest.mark.parametrize("form", ["mau-01", "mau-02", "mau-03", "mau-04", "mau-05", "mau-06"])
def test_every_paper_shows_its_heading_title_form_number_and_page_footer(rendered, form):
    text = pdf_text(rendered[form])
    assert papers.TITLES[form].upper() in text
    assert f"Mẫu số {form[-2:]}" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH QUẢNG NAM" in text
    assert re.search(r"Trang 1/\d+", text)


@needs_pdftotext
def test_receipt_shows_code_applicant_components_times_and_logbook_entry(rendered):
    text = pdf_text(rendered["mau-01"])
    for expected in (
        "000.00.40.H47-261127-0001",
        "Trần Thị Bích Ngọc",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Giấy chứng nhận quyền sử dụng đất",
        "15 ngày làm việc",
        "08:15, 27/11/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 16:30, 17/12/2026",
        "Tại Bộ phận Một cửa",
        "Quyển số: 2026, Số thứ tự: 0001",
        "Quảng Nam, ngày 27 tháng 11 năm 2026",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Lan",
    ):
        assert expected in text


def test_receipt_html_carries_the_barcode_and_qr_as_data_uris(ctx):
    html = papers.paper_html("mau-01", ctx)
    assert f'<img class="barcode" src="{barcode_svg_data_uri(ctx["code"])}"' in html
    qr = qr_svg_data_uri(ctx["tracking_url"])
    assert qr.startswith("data:image/svg+xml")
    assert 'class="qr" src="data:image/svg+xml' in html


def test_receipt_pdf_draws_the_barcode_and_the_qr_code(rendered):
    receipt_rects, receipt_lines = drawing_ops(rendered["mau-01"])
    plain_rects, plain_lines = drawing_ops(rendered["mau-02"])  # same kind of page, no codes
    # The QR code's modules, and the bars of Code128 drawn as one path (three segments a bar).
    assert receipt_lines - plain_lines > 150 + 3 * 50


def test_the_barcode_draws_every_bar_of_the_code():
    from barcode import Code128

    code = "000.00.40.H47-261127-0001"
    bars = len(re.findall("1+", Code128(code).build()[0]))
    rects, lines = drawing_ops(html_to_pdf(f'<img src="{barcode_svg_data_uri(code)}">'))
    assert bars > 50 and lines == 3 * bars, (bars, rects, lines)


@needs_pdftotext
def test_supplement_lists_each_item_with_its_reason_and_the_contact(rendered):
    text = pdf_text(rendered["mau-02"])
    assert "Bản vẽ mặt bằng móng công trình" in text
    assert "Thiếu chữ ký của đơn vị thiết kế" in text
    assert "Nguyễn Văn An – 0235 3810 123" in text
    assert "NGƯỜI HƯỚNG DẪN" in text


@needs_pdftotext
def test_refusal_states_the_reason(rendered):
    text = pdf_text(rendered["mau-03"])
    assert "Thửa đất nằm trong quy hoạch hành lang an toàn giao thông" in text
    assert "Trần Thị Bích Ngọc" in text


@needs_pdftotext
def test_apology_gives_the_old_and_new_due_dates_and_is_signed_by_the_head(rendered):
    text = pdf_text(rendered["mau-04"])
    assert "Kính gửi: Trần Thị Bích Ngọc" in text
    assert "16:30, 17/12/2026" in text
    assert "16:30, 24/12/2026" in text
    assert "Phải lấy thêm ý kiến của Sở Giao thông vận tải" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Lê Văn Hùng" in text


@needs_pdftotext
def test_control_sheet_shows_agencies_and_a_late_handoff(rendered):
    text = pdf_text(rendered["mau-05"])
    assert "Sở Xây dựng tỉnh Quảng Nam" in text
    assert "Sở Tài nguyên và Môi trường; UBND thành phố Tam Kỳ" in text
    assert "Quá hạn" in text and "Đúng hạn" in text
    assert "15:10, 20/12/2026" in text


@needs_pdftotext
def test_logbook_pdf_lists_its_rows(rendered):
    text = pdf_text(rendered["mau-06"])
    assert "Từ ngày 01/11/2026 đến ngày 27/11/2026" in text
    assert "Phạm Minh Đức" in text
    assert "000.00.40.H47-261103-0002" in text
    assert "Trả qua bưu chính" in text


@needs_pdftotext
def test_html_in_an_applicant_name_is_printed_as_text_not_markup():
    name = '<img src="http://127.0.0.1:9/x.png"><b>Lê</b> & "Văn"'
    ctx = dossier_context(applicant={**dossier_context()["applicant"], "name": name})
    html = papers.paper_html("mau-03", ctx)
    assert "<b>Lê</b>" not in html and '<img src="http://' not in html
    assert "&lt;b&gt;Lê&lt;/b&gt; &amp; &quot;Văn&quot;" in html
    assert name in pdf_text(papers.refusal_pdf(ctx))


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/logo.png",
    "https://example.com/style.css",
    "ftp://example.com/font.ttf",
    "file:///etc/passwd",
    FONTS_DIR.as_uri() + "/../pdf.py",
    FONTS_DIR.as_uri() + "/missing.ttf",
    "file://example.com" + FONTS_DIR.as_posix() + "/DejaVuSerif.ttf",
])
def test_the_url_fetcher_refuses_the_network_and_files_outside_the_fonts(url):
    with pytest.raises(FetchRefused):
        LocalFetcher()(url)


def test_the_url_fetcher_serves_data_uris_and_the_committed_fonts():
    font = LocalFetcher()((FONTS_DIR / "DejaVuSerif.ttf").as_uri())
    try:
        assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    finally:
        font.close()
    assert LocalFetcher()("data:text/plain;base64,aGk=").read() == b"hi"


def test_rendering_opens_no_connection_even_when_the_html_asks_for_remote_resources(monkeypatch):
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    html = (
        '<link rel="stylesheet" href="http://127.0.0.1:9/a.css">'
        '<style>@import url("https://example.com/b.css");'
        '@font-face { font-family: Remote; src: url("http://127.0.0.1:9/f.ttf"); }'
        'p { font-family: Remote; background: url("http://127.0.0.1:9/bg.png"); }</style>'
        '<p>Xin chào<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname"></p>'
    )
    assert html_to_pdf(html).startswith(b"%PDF-")
    assert attempts == []


def test_logbook_xlsx_has_the_title_the_header_and_one_row_per_dossier():
    ctx = logbook_context(rows=3)
    ctx["rows"][1]["applicant"] = "=HYPERLINK(\"http://evil.example\",\"x\")"
    sheet = load_workbook(io.BytesIO(papers.logbook_xlsx(ctx))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    assert "SỔ THEO DÕI HỒ SƠ" in [row[0] for row in rows[:header_index]]
    assert rows[header_index] == [column.title for column in papers.LOGBOOK_COLUMNS]
    assert "Thời gian nhận hồ sơ" in rows[header_index]
    data = rows[header_index + 1:]
    assert len(data) == 3
    assert data[0][:5] == [1, "000.00.40.H47-261102-0001", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 1, "Phạm Minh Đức"]
    assert data[0][-1] == "Trả qua bưu chính"
    # A value that looks like a formula stays text.
    cell = sheet.cell(row=header_index + 3, column=5)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_date_line_pads_days_and_the_first_two_months():
    assert papers.date_line("Quảng Nam", "27/11/2026") == "Quảng Nam, ngày 27 tháng 11 năm 2026"
    assert papers.date_line("Quảng Nam", "5/2/2026") == "Quảng Nam, ngày 05 tháng 02 năm 2026"
    assert papers.date_line("Quảng Nam", "05/03/2026") == "Quảng Nam, ngày 05 tháng 3 năm 2026"
    assert papers.date_line("Hội An", "hôm nay") == "Hội An, hôm nay"


def test_barcode_has_no_text_line_and_refuses_non_ascii():
    import base64

    svg = base64.b64decode(barcode_svg_data_uri("000.00.40.H47-261127-0001").split(",", 1)[1]).decode()
    assert "<text" not in svg and "<!DOCTYPE" not in svg
    with pytest.raises(ValueError):
        barcode_svg_data_uri("Mã-Đ")


def test_fonts_and_their_licence_are_committed():
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSerif.ttf",
                 "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "LICENSE.txt"):
        assert (FONTS_DIR / name).is_file(), name


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_papers_embed_only_the_committed_fonts(rendered):
    listing = subprocess.run(["pdffonts", "-"], input=rendered["mau-01"], capture_output=True, check=False)
    if listing.returncode != 0:  # older pdffonts cannot read stdin
        pytest.skip("pdffonts cannot read the PDF from stdin")
    fonts = [line.split()[0] for line in listing.stdout.decode().splitlines()[2:] if line.strip()]
    assert fonts and all(re.fullmatch(r"[A-Z]{6}\+MotCua(Serif|Sans)(-\w+)?", name) for name in fonts), fonts
