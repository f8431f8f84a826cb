"""The province's quarterly and yearly programme report (QĐ 1908 IV.5, V.1.d): DOCX (python-docx) and PDF.

Layout of such reports: heading, I. summary of results by section, II. the tasks with their status, III. late tasks
with the reasons reported, IV. targets against their values, V. proposals; Sở Nội vụ signs it.
"""
import io
from datetime import date

from docx import Document
from docx.shared import Pt

from motcua.programme import periods, queries, targets
from motcua.programme.models import Report, Target
from motcua.programme.queries import PROGRESS_LABELS, SENT


def period_end(year: int, quarter: int) -> date:
    return periods.quarter_end_date(year, quarter) if quarter else date(year, 12, 31)


def gather(*, user, year: int, quarter: int) -> dict:
    """Everything the report states, as of the last day of the period; reports of later periods are ignored."""
    end = period_end(year, quarter)
    view = queries.overview(user, end)
    cutoff = (year, quarter or 4)
    sent = [r for r in Report.objects.filter(state__in=SENT).select_related("task", "task__section", "agency")
            if (r.year, r.quarter or 4) <= cutoff]
    latest: dict[int, Report] = {}
    for report in sorted(sent, key=lambda r: (r.year, r.quarter or 5)):
        latest[report.task_id] = report
    rows, late, proposals = [], [], []
    for section in view["sections"]:
        for task in section["tasks"]:
            report = latest.get(task.pk)
            rows.append({"ref": task.ref, "content": task.content, "lead": task.lead_text,
                         "status": PROGRESS_LABELS[task.progress], "percent": report.percent if report else 0,
                         "due": task.due.strftime("%d/%m/%Y") if task.due else task.timeline})
            if task.progress == "late":
                late.append({"ref": task.ref, "content": task.content, "lead": task.lead_text,
                             "reason": (report.problems if report and report.problems else "Chưa báo cáo")})
    for report in sent:
        if report.proposals and (report.year, report.quarter or 4) == cutoff or (
                report.proposals and not quarter and report.year == year):
            proposals.append({"agency": report.agency.name, "ref": report.task.ref, "text": report.proposals})
    target_rows = []
    for target in Target.objects.all():
        reading = targets.current(target, today=end, user=user)
        target_rows.append({"text": target.text, "period": target.period,
                            "target": f"{target.target_value.normalize():f} {target.unit}",
                            "value": (f"{reading.value:.1f}" if reading.measured else "chưa đo"),
                            "how": "tự động" if reading.how == "live" else "báo cáo",
                            "met": targets.met(target, reading)})
    title_period = f"quý {quarter} năm {year}" if quarter else f"năm {year}"
    return {"year": year, "quarter": quarter, "period": title_period, "end": end, "sections": view["sections"],
            "total": view["total"], "count": view["count"], "labels": PROGRESS_LABELS, "rows": rows, "late": late,
            "targets": target_rows, "proposals": proposals}


def render_docx(data: dict) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    doc.add_paragraph("UBND TỈNH QUẢNG NAM\nSỞ NỘI VỤ")
    doc.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc")
    doc.add_heading(f"BÁO CÁO tình hình thực hiện Chương trình hành động cải cách hành chính {data['period']}", 1)
    doc.add_paragraph("(Thực hiện Quyết định số 1908/QĐ-UBND ngày 02/6/2016 của UBND tỉnh Quảng Nam)")
    doc.add_heading("I. Kết quả chung theo năm của phụ lục", 2)
    table = doc.add_table(rows=1, cols=1 + len(data["labels"]) + 1)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text = "Năm"
    for i, label in enumerate(data["labels"].values(), start=1):
        head[i].text = label
    head[-1].text = "Tổng số"
    for section in data["sections"]:
        cells = table.add_row().cells
        cells[0].text = str(section["year"])
        for i, key in enumerate(data["labels"], start=1):
            cells[i].text = str(section["counts"][key])
        cells[-1].text = str(len(section["tasks"]))
    cells = table.add_row().cells
    cells[0].text = "Cộng"
    for i, key in enumerate(data["labels"], start=1):
        cells[i].text = str(data["total"][key])
    cells[-1].text = str(data["count"])
    doc.add_heading("II. Tình hình thực hiện từng nhiệm vụ", 2)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["TT", "Nội dung", "Chủ trì", "Thời hạn", "Tình hình", "Tỷ lệ"],
                          strict=True):
        cell.text = text
    for row in data["rows"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, [row["ref"], row["content"], row["lead"], row["due"], row["status"],
                                      f"{row['percent']}%"], strict=True):
            cell.text = text
    doc.add_heading("III. Nhiệm vụ chậm tiến độ và nguyên nhân", 2)
    if not data["late"]:
        doc.add_paragraph("Không có nhiệm vụ chậm tiến độ.")
    for row in data["late"]:
        doc.add_paragraph(f"Nhiệm vụ {row['ref']} ({row['lead']}): {row['content']} — Nguyên nhân: {row['reason']}",
                          style="List Bullet")
    doc.add_heading("IV. Chỉ tiêu và kết quả đạt được", 2)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Chỉ tiêu", "Giai đoạn", "Mục tiêu", "Kết quả", "Cách đo"],
                          strict=True):
        cell.text = text
    for row in data["targets"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, [row["text"], row["period"], row["target"], row["value"], row["how"]],
                              strict=True):
            cell.text = text
    doc.add_heading("V. Đề xuất, kiến nghị", 2)
    if not data["proposals"]:
        doc.add_paragraph("Không có đề xuất trong kỳ.")
    for row in data["proposals"]:
        doc.add_paragraph(f"{row['agency']} (nhiệm vụ {row['ref']}): {row['text']}", style="List Bullet")
    doc.add_paragraph("\nGIÁM ĐỐC SỞ NỘI VỤ")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(data: dict) -> bytes:
    from motcua.documents.pdf import render_pdf as _render

    return _render("programme/province_report.html", data)
