"""The province's quarterly report: the DOCX opens and states the figures; the PDF renders."""
import io

import pytest
from docx import Document

from motcua.programme import documents, services
from motcua.programme.models import Report, Task

pytestmark = pytest.mark.django_db


def test_the_quarterly_docx_opens_and_contains_the_figures(programme, people, org):
    task = Task.objects.get(section__year=2016, number=29)
    services.report_save(task=task, agency=org["000.00.07.H47"], year=2016, quarter=3, actor=people["tttt_staff"],
                         status="late", percent=30, done="Đang khảo sát", problems="Thiếu kinh phí",
                         proposals="Đề nghị bổ sung kinh phí 200 triệu đồng")
    report = Report.objects.get()
    services.report_submit(report=report, actor=people["tttt_leader"])
    services.report_accept(report=report, actor=people["manager"])
    data = documents.gather(user=people["manager"], year=2016, quarter=3)
    doc = Document(io.BytesIO(documents.render_docx(data)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "quý 3 năm 2016" in text
    assert "Thiếu kinh phí" in text and "Đề nghị bổ sung kinh phí 200 triệu đồng" in text
    assert "69" in cells  # every task counted in the summary
    assert "30%" in cells and "2016/29" in cells
    assert "chưa đo" in cells or any(c.endswith("%") for c in cells)
    pdf = documents.render_pdf(data)
    assert pdf.startswith(b"%PDF")
