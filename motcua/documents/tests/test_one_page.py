"""Mẫu 01–05 fit one page however long their lists (issue 12 item 12: the receipt spilled its signatures onto a
second page); pages are counted by poppler's pdfinfo, as a person holding the print would."""
import json
import re
import shutil
import subprocess

import pytest

from motcua.demo import CATALOGUE_FILE
from motcua.documents import papers
from motcua.documents.tests.samples import dossier_context

PDFINFO = shutil.which("pdfinfo")
pytestmark = pytest.mark.skipif(PDFINFO is None, reason="pdfinfo (poppler-utils) is not installed: cannot count pages")

# A component name as long as the demo catalogue's long ones (~150 characters; the average is ~95).
LONG = ("Giấy tờ chứng minh tình trạng hôn nhân của người nước ngoài do cơ quan có thẩm quyền nước ngoài cấp, "
        "đã được hợp pháp hóa lãnh sự và dịch sang tiếng Việt")
POST = "Qua dịch vụ bưu chính: 12 Phan Châu Trinh, phường Tân Thạnh, thành phố Tam Kỳ, tỉnh Quảng Nam"


def pages(pdf: bytes) -> int:
    out = subprocess.run([PDFINFO, "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))


def components(names):
    return [{"name": name, "originals": 1, "certified_copies": 1, "photocopies": 1} for name in names]


def heaviest_demo_procedure() -> list[str]:
    """The component names of the demo catalogue's procedure with the most text in its component list."""
    procedures = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["procedures"]
    heaviest = max(procedures, key=lambda p: sum(len(c["name"]) for c in p.get("components", [])))
    return [c["name"] for c in heaviest["components"]]


def test_the_receipt_of_the_sample_dossier_is_one_page():
    assert pages(papers.receipt_pdf(dossier_context())) == 1


def test_the_receipt_of_the_demo_procedure_with_the_longest_component_list_is_one_page():
    ctx = dossier_context(components=components(heaviest_demo_procedure()), result_place=POST)
    assert pages(papers.receipt_pdf(ctx)) == 1


@pytest.mark.parametrize(("count", "length"), [(7, 150), (10, 150), (14, 95)])
def test_the_receipt_with_many_long_components_is_one_page(count, length):
    # Seven such components pushed the signatures of an A5 and of a plain A4 receipt onto page 2; the demo
    # catalogue's longest list has seven.
    names = (f"{n}. {LONG}"[:length] for n in range(1, count + 1))
    ctx = dossier_context(components=components(names), result_place=POST)
    pdf = papers.receipt_pdf(ctx)
    assert pages(pdf) == 1


def test_the_supplement_request_with_six_items_is_one_page():
    ctx = dossier_context()
    ctx["supplement"] = {**ctx["supplement"], "items": [
        {"name": LONG, "reason": "Bản sao chưa được chứng thực theo quy định, đề nghị bổ sung bản sao có chứng thực"}
        for _ in range(6)]}
    assert pages(papers.supplement_pdf(ctx)) == 1


def test_the_control_sheet_of_eight_handoffs_is_one_page():
    ctx = dossier_context()
    ctx["control"] = {**ctx["control"], "rows": [
        {"handed_by": "Phòng Quản lý hoạt động xây dựng – Nguyễn Văn An", "handed_at": "15:10, 20/12/2026",
         "received_by": "Văn phòng đăng ký đất đai tỉnh – Trần Thị Bình", "received_at": "15:30, 20/12/2026",
         "outcome": "Đúng hạn", "note": "Thẩm định hồ sơ và trình lãnh đạo"} for _ in range(8)]}
    assert pages(papers.control_sheet_pdf(ctx)) == 1


@pytest.mark.parametrize("form", ["mau-03", "mau-04"])
def test_refusal_and_apology_with_a_long_reason_are_one_page(form):
    ctx = dossier_context()
    ctx["refusal"] = {**ctx["refusal"], "reason": LONG * 4}
    ctx["apology"] = {**ctx["apology"], "reason": LONG * 3}
    assert pages(papers.FORMS[form](ctx)) == 1


def test_a_list_too_long_for_one_page_still_prints_whole_over_more_pages():
    ctx = dossier_context(components=components(f"{n}. {LONG}" for n in range(1, 31)))
    pdf = papers.receipt_pdf(ctx)
    assert pages(pdf) >= 2
    assert b"30. " in subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout
