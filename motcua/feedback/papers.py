"""A feedback item's papers (WeasyPrint, through documents.pdf): the acknowledgement with a QR code to its tracking
page, the answer letter, and the apology for a late answer (Mẫu 04 of Circular 01/2018/TT-VPCP, adapted)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.documents.codes import qr_svg_data_uri
from motcua.documents.pdf import render_pdf, render_pdf_one_page
from motcua.errors import NotFound
from motcua.feedback.services import public_url, tracking_path

PAPERS = {
    "tiep-nhan": ("feedback/paper_receipt.html", "PA-01", "Giấy biên nhận phản ánh, kiến nghị"),
    "tra-loi": ("feedback/paper_answer.html", "PA-02", "Văn bản trả lời phản ánh, kiến nghị"),
    "xin-loi": ("feedback/paper_apology.html", "PA-03", "Thư xin lỗi vì trả lời trễ hạn"),
}


def _d(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}" if moment else ""


def applicable(item) -> list[str]:
    out = ["tiep-nhan"]
    if item.answer_text:
        out.append("tra-loi")
    if item.apologised_at:
        out.append("xin-loi")
    return out


def paper_pdf(item, form: str) -> bytes:
    if form not in PAPERS or form not in applicable(item):
        raise NotFound(_("Phản ánh %(code)s không có giấy tờ này.") % {"code": item.code})
    template, number, title = PAPERS[form]
    agency = item.agency or item.receiver_agency
    url = public_url(tracking_path(item))
    now = timezone.localtime()
    # The acknowledgement and the apology are one-page forms; the answer letter runs as long as the answer.
    render = render_pdf if form == "tra-loi" else render_pdf_one_page
    return render(template, {
        "paper": {"number": number, "title": title}, "code": item.code, "item": item,
        "province": "UBND TỈNH QUẢNG NAM", "agency_name": agency.name.upper(),
        "date_line": f"Quảng Nam, ngày {now:%d} tháng {now:%m} năm {now:%Y}",
        "received_at": _d(item.received_at), "handle_due": _d(item.handle_due), "answered_at": _d(item.answered_at),
        "tracking_url": url, "qr": qr_svg_data_uri(url), "agency": agency,
    })
