"""A dossier's papers carry its facts: Mẫu 01–05 as PDF (checked with pdftotext) and the logbook Mẫu 06."""
import shutil
import subprocess
from datetime import date, timedelta

import pytest

from motcua.dossiers import papers
from motcua.dossiers import services as svc
from motcua.errors import NotFound

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def test_receipt_and_control_sheet_show_the_dossier(building, receive, staff):
    dossier = receive(building)
    receipt = text_of(papers.paper_pdf(dossier, "mau-01"))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert dossier.code in receipt and "Nguyễn Văn An" in receipt
    assert "23/12/2026" in receipt  # the appointment
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    control = " ".join(text_of(papers.paper_pdf(dossier, "mau-05")).split())
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control
    assert "Sở Xây dựng" in control


def test_papers_that_do_not_apply_are_not_found(building, receive, staff):
    dossier = receive(building)
    assert papers.applicable(dossier) == ["mau-01", "mau-05"]
    for form in ("mau-02", "mau-03", "mau-04", "mau-09"):
        with pytest.raises(NotFound):
            papers.paper_pdf(dossier, form)


def test_supplement_apology_and_refusal_papers(building, receive, staff):
    dossier = receive(building)
    svc.dossier_request_supplement(dossier=dossier, actor=staff["desk"],
                                   items=[{"name": "Bản vẽ mặt bằng", "reason": "Thiếu chữ ký"}], reason="Thiếu")
    assert "Bản vẽ mặt bằng" in text_of(papers.paper_pdf(dossier, "mau-02"))
    svc.dossier_supplement_received(dossier=dossier, actor=staff["desk"])
    dossier.refresh_from_db()
    svc.dossier_apologise(dossier=dossier, actor=staff["leader"], new_due_at=dossier.due_at + timedelta(days=7),
                          reason="Chờ ý kiến liên ngành")
    apology = " ".join(text_of(papers.paper_pdf(dossier, "mau-04")).split())
    assert "Chờ ý kiến liên ngành" in apology
    refused = svc.dossier_refuse(dossier=receive(building), actor=staff["desk"], reason="Không thuộc thẩm quyền")
    assert "Không thuộc thẩm quyền" in text_of(papers.paper_pdf(refused, "mau-03"))


def test_logbook_lists_the_desks_dossiers(building, receive, staff, org):
    from openpyxl import load_workbook

    first, second = receive(building), receive(building)
    today = date(2026, 12, 7)
    dossiers = [first, second]
    pdf = text_of(papers.logbook_pdf(desk=org["000.00.40.H47"], dossiers=dossiers, date_from=today, date_to=today))
    assert first.code in pdf and second.code in pdf
    import io

    sheet = load_workbook(io.BytesIO(papers.logbook_xlsx(desk=org["000.00.40.H47"], dossiers=dossiers,
                                                         date_from=today, date_to=today))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert first.code in values and second.code in values
