"""The six papers of Circular 01/2018/TT-VPCP (Decree 61/2018/NĐ-CP), rendered from plain dicts.

Each function takes a context of plain values, already formatted by the caller (dates as "HH:MM, dd/mm/yyyy"), so
this module does not depend on models; `docs/papers.md` lists the keys of each paper. Everything is autoescaped.

- Mẫu 01 `receipt_pdf`        Giấy tiếp nhận hồ sơ và hẹn trả kết quả (with the Code128 barcode and the QR code)
- Mẫu 02 `supplement_pdf`     Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
- Mẫu 03 `refusal_pdf`        Phiếu từ chối tiếp nhận giải quyết hồ sơ
- Mẫu 04 `apology_pdf`        Phiếu xin lỗi và hẹn lại ngày trả kết quả
- Mẫu 05 `control_sheet_pdf`  Phiếu kiểm soát quá trình giải quyết hồ sơ
- Mẫu 06 `logbook_pdf`, `logbook_xlsx`  Sổ theo dõi hồ sơ (its columns are "unverified" in LEGAL.md)

Forms 01–05 are A4 portrait and fit one page (denser type for a long list, `pdf.render_pdf_one_page`; an A5
sheet spilled the receipt's signatures onto a second page, issue 12 item 12), the logbook A4 landscape.
Circular 03/2025/TT-VPCP renumbers the forms and adds a notice that processing is stopped; these are the 2018 forms.
"""
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.documents.codes import barcode_svg_data_uri, qr_svg_data_uri
from motcua.documents.pdf import render_html, render_pdf, render_pdf_one_page

TITLES = {
    "mau-01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "mau-02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "mau-03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "mau-04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "mau-05": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "mau-06": "Sổ theo dõi hồ sơ",
}
TEMPLATES = {form: f"documents/{form.replace('-', '_')}.html" for form in TITLES}


@dataclass(frozen=True)
class Column:
    """One column of the logbook (Mẫu 06), shared by the PDF and the XLSX."""

    key: str
    label: str
    group: str = ""
    width: int = 14  # characters, for the XLSX
    share: float = 5  # per cent of the PDF table's width (the shares add up to 100)
    numeric: bool = False

    @property
    def css(self) -> str:
        """The class of the column's PDF cells: numbers centred, the dossier code on one line."""
        return "num" if self.numeric else ("nowrap" if self.key == "code" else "")

    @property
    def title(self) -> str:
        """The label with its group, for the one-row XLSX header: "Thời gian nhận hồ sơ"."""
        return f"{self.group} {self.label[0].lower()}{self.label[1:]}" if self.group else self.label


_TIME = "Thời gian"
LOGBOOK_COLUMNS = (
    Column("no", "STT", width=6, share=3, numeric=True),
    Column("code", "Mã hồ sơ", width=28, share=14),
    Column("procedure", "Tên thủ tục hành chính", width=40, share=13),
    Column("sets", "Số lượng hồ sơ (bộ)", width=9, share=4, numeric=True),
    Column("applicant", "Tên cá nhân, tổ chức", width=26, share=10),
    Column("address_phone", "Địa chỉ, số điện thoại", width=32, share=10),
    Column("lead_agency", "Cơ quan chủ trì giải quyết", width=26, share=9),
    Column("received_at", "Nhận hồ sơ", group=_TIME, width=18, share=6.4),
    Column("due_at", "Hẹn trả kết quả", group=_TIME, width=18, share=6.4),
    Column("sent_at", "Chuyển hồ sơ đến cơ quan giải quyết", group=_TIME, width=18, share=6.4),
    Column("result_back_at", "Nhận kết quả từ cơ quan giải quyết", group=_TIME, width=18, share=6.4),
    Column("returned_at", "Trả kết quả cho cá nhân, tổ chức", group=_TIME, width=18, share=6.4),
    Column("note", "Ghi chú", width=20, share=5),
)

_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def date_line(place: str, today: str) -> str:
    """"Quảng Nam, ngày 05 tháng 02 năm 2026" from "Quảng Nam" and "5/2/2026".

    Decree 30/2020/NĐ-CP (administrative documents): days below 10 and the months 1 and 2 take a leading zero.
    A `today` that is not dd/mm/yyyy is printed as given.
    """
    match = _DMY.match(today or "")
    if match:
        day, month, year = (int(part) for part in match.groups())
        month_text = f"{month:02d}" if month <= 2 else str(month)
        when = f"ngày {day:02d} tháng {month_text} năm {year}"
    else:
        when = (today or "").strip()
    return ", ".join(part for part in ((place or "").strip(), when) if part)


def paper_context(form: str, ctx: dict) -> dict:
    """The caller's context plus what the template derives: title, form number, date line, codes, table cells."""
    if form not in TITLES:
        raise KeyError(f"Unknown paper {form!r}; known: {', '.join(TITLES)}")
    extra = {
        "paper": {"form": form, "number": form.removeprefix("mau-"), "title": TITLES[form]},
        "date_line": date_line(ctx.get("place", ""), ctx.get("today", "")),
    }
    if form == "mau-01":
        extra["barcode_uri"] = barcode_svg_data_uri(ctx["code"]) if ctx.get("code") else ""
        extra["qr_uri"] = qr_svg_data_uri(ctx["tracking_url"]) if ctx.get("tracking_url") else ""
    if form == "mau-06":
        extra["header_rows"] = _logbook_header_rows()
        extra["column_count"] = len(LOGBOOK_COLUMNS)
        extra["column_shares"] = [f"{column.share:g}%" for column in LOGBOOK_COLUMNS]
        extra["table"] = [
            list(zip(_logbook_cells(row), [column.css for column in LOGBOOK_COLUMNS], strict=True))
            for row in ctx.get("rows", ())
        ]
    return {**ctx, **extra}


def paper_html(form: str, ctx: dict) -> str:
    """The paper as HTML, e.g. for a print preview or to check what goes into the PDF."""
    context = paper_context(form, ctx)
    return render_html(TEMPLATES[form], context)


def paper_pdf(form: str, ctx: dict) -> bytes:
    """The paper as PDF bytes."""
    context = paper_context(form, ctx)
    if form == "mau-06":
        return render_pdf(TEMPLATES[form], context)  # the logbook runs over as many pages as it has rows
    return render_pdf_one_page(TEMPLATES[form], context)


def receipt_pdf(ctx: dict) -> bytes:
    """Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả: given to the applicant at intake."""
    return paper_pdf("mau-01", ctx)


def supplement_pdf(ctx: dict) -> bytes:
    """Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what to add or fix (asked once only, Decree 61/2018)."""
    return paper_pdf("mau-02", ctx)


def refusal_pdf(ctx: dict) -> bytes:
    """Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ: the precise reason for refusing the dossier."""
    return paper_pdf("mau-03", ctx)


def apology_pdf(ctx: dict) -> bytes:
    """Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả: signed by the head of the agency that is late."""
    return paper_pdf("mau-04", ctx)


def control_sheet_pdf(ctx: dict) -> bytes:
    """Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per handoff between agencies."""
    return paper_pdf("mau-05", ctx)


def logbook_pdf(ctx: dict) -> bytes:
    """Mẫu 06 Sổ theo dõi hồ sơ, A4 landscape, the columns of `LOGBOOK_COLUMNS`."""
    return paper_pdf("mau-06", ctx)


def logbook_xlsx(ctx: dict) -> bytes:
    """Mẫu 06 Sổ theo dõi hồ sơ as an XLSX workbook: title lines, one header row, then one row per dossier.

    Every value but the numeric columns is written as text, so that a name starting with "=" never becomes a formula.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ theo dõi hồ sơ")
    title_lines = [
        ctx.get("province", ""),
        ctx.get("agency_name", ""),
        TITLES["mau-06"].upper(),
        f"Từ ngày {ctx.get('date_from', '')} đến ngày {ctx.get('date_to', '')}",
    ]
    header_row = len(title_lines) + 2
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    for index, column in enumerate(LOGBOOK_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for line in title_lines:
        sheet.append([_text_cell(sheet, line, bold=True)])
    sheet.append([])
    sheet.append([_text_cell(sheet, column.title, bold=True) for column in LOGBOOK_COLUMNS])
    for row in ctx.get("rows", ()):
        sheet.append([
            value if column.numeric and isinstance(value, int) else _text_cell(sheet, value)
            for column, value in zip(LOGBOOK_COLUMNS, _logbook_cells(row), strict=True)
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMS = {
    "mau-01": receipt_pdf,
    "mau-02": supplement_pdf,
    "mau-03": refusal_pdf,
    "mau-04": apology_pdf,
    "mau-05": control_sheet_pdf,
}


def _logbook_header_rows() -> list[list[dict]]:
    """Two header rows for the PDF: the columns of one group (the five times) under one spanning cell."""
    top: list[dict] = []
    below: list[dict] = []
    for column in LOGBOOK_COLUMNS:
        if not column.group:
            top.append({"label": column.label, "colspan": 1, "rowspan": 2})
        elif top and top[-1]["label"] == column.group:
            top[-1]["colspan"] += 1
            below.append({"label": column.label, "colspan": 1, "rowspan": 1})
        else:
            top.append({"label": column.group, "colspan": 1, "rowspan": 1})
            below.append({"label": column.label, "colspan": 1, "rowspan": 1})
    return [top, below]


def _logbook_cells(row: dict) -> list:
    return [("" if row.get(column.key) is None else row.get(column.key)) for column in LOGBOOK_COLUMNS]


_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)


def _text_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"  # text, never a formula
    cell.alignment = _WRAP
    if bold:
        cell.font = _BOLD
    return cell
