"""The quarterly / annual report: the job's states, the xlsx cells, the PDF text, and who may ask for it."""
import io
import subprocess

import pytest
from openpyxl import load_workbook

from motcua.audit.models import AuditEntry
from motcua.dossiers.tests.conftest import XAY_DUNG
from motcua.errors import PermissionDenied
from motcua.reports import exports
from motcua.reports.models import ExportState
from motcua.reports.tests import test_indicators

december = test_indicators.december  # the fixture: five dossiers of December 2026 at Sở Xây dựng


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ask(staff, org, fmt, capture, **over):
    values = {"user": staff["leader"], "kind": "quarterly", "fmt": fmt, "year": 2026, "quarter": 4,
              "agency": org[XAY_DUNG], "signer_name": "Trần Văn Bình", "signer_title": "Giám đốc"}
    values.update(over)
    with capture(execute=True):
        export = exports.export_request(**values)
    export.refresh_from_db()
    return export


def test_the_xlsx_report_has_the_figures_in_cells(december, staff, org, django_capture_on_commit_callbacks):
    export = ask(staff, org, "xlsx", django_capture_on_commit_callbacks)
    assert (export.state, export.progress) == (ExportState.DONE, 100)
    assert export.file.name.endswith("bao-cao-tthc-000.00.05.H47-2026-Q4.xlsx")
    ws = load_workbook(io.BytesIO(export.file.read())).active
    cells = {row[1]: row[2] for row in ws.iter_rows(values_only=True) if len(row) > 2 and row[1]}
    assert cells["Tổng số hồ sơ tiếp nhận"] == 6
    assert cells["– Tiếp nhận trực tiếp"] == 6 and cells["– Tiếp nhận trực tuyến"] == 0
    assert cells["Số hồ sơ đã giải quyết"] == 3
    assert cells["– Giải quyết đúng và trước hạn (%)"] == 66.67
    assert cells["– Giải quyết quá hạn"] == 1
    assert cells["Số hồ sơ đang giải quyết quá hạn"] == 1  # the open one: due 23/12 09:00, now 09:01
    assert cells["Quý 4: tổng điểm"] == 8  # 0 + 0 + 2 + ? + 2 + 2 + ? + 2 + 0 (indicators 4 and 7 not scored)
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Trần Văn Bình" in texts and "GIÁM ĐỐC" in texts
    assert any("QUÝ 4 NĂM 2026" in t for t in texts)
    assert AuditEntry.objects.filter(action="reports.export_request").count() == 1


def test_the_pdf_report_shows_the_figures(december, staff, org, django_capture_on_commit_callbacks):
    export = ask(staff, org, "pdf", django_capture_on_commit_callbacks, kind="annual", quarter=0)
    assert export.state == ExportState.DONE, export.error
    with export.file.open("rb") as handle:  # through the storage: S3 files have no path
        pdf = handle.read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
                          ).stdout.decode()
    assert "năm 2026" in text and "Sở Xây dựng".upper() in text.upper()
    assert "Tổng số hồ sơ tiếp nhận" in text and "66,67" in text
    assert "Trần Văn Bình" in text and "GIÁM ĐỐC" in text
    assert "Tổng điểm quý 4" in text


def test_a_user_outside_the_agency_cannot_export_it(december, staff, org, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        ask(staff, org, "xlsx", django_capture_on_commit_callbacks, user=staff["land_leader"])
    with pytest.raises(PermissionDenied):  # a specialist has no reports.view
        ask(staff, org, "xlsx", django_capture_on_commit_callbacks, user=staff["specialist"])


def test_a_failing_job_is_recorded_as_failed(december, staff, org, django_capture_on_commit_callbacks,
                                             monkeypatch):
    monkeypatch.setattr(exports, "render_xlsx", lambda data: 1 / 0)
    export = ask(staff, org, "xlsx", django_capture_on_commit_callbacks)
    assert export.state == ExportState.FAILED and "division" in export.error and not export.file


# --- the workspace pages ---------------------------------------------------------------------------------------

def test_the_workspace_export_journey(december, staff, org, client, django_capture_on_commit_callbacks):
    client.force_login(staff["leader"])
    form = {"kind": "quarterly", "fmt": "xlsx", "year": 2026, "quarter": 4, "agency": org[XAY_DUNG].pk,
            "signer_name": "Trần Văn Bình", "signer_title": "Giám đốc"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/workspace/thong-ke/bao-cao/", form)
    assert response.status_code == 302
    page = client.get("/workspace/thong-ke/bao-cao/").content.decode()
    assert "Quý 4/2026" in page and "Tải về" in page and "data-refresh-seconds" not in page
    (export,) = exports.exports_visible_to(staff["leader"])
    download = client.get(f"/workspace/thong-ke/bao-cao/{export.pk}/tai-ve/")
    assert download.status_code == 200 and "bao-cao-tthc" in download["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert any(row[1] == "Tổng số hồ sơ tiếp nhận" and row[2] == 6 for row in ws.iter_rows(values_only=True))
    # Someone else cannot download it, nor ask for another agency's report.
    client.force_login(staff["land_leader"])
    assert client.get(f"/workspace/thong-ke/bao-cao/{export.pk}/tai-ve/").status_code == 404
    assert client.post("/workspace/thong-ke/bao-cao/", form).status_code == 400  # not among their agencies


def test_a_running_export_refreshes_the_page_with_the_static_script(december, staff, org, client):
    client.force_login(staff["leader"])
    exports.export_request(user=staff["leader"], kind="annual", fmt="pdf", year=2026, agency=org[XAY_DUNG])
    page = client.get("/workspace/thong-ke/bao-cao/").content.decode()  # on_commit not run: still queued
    assert 'data-refresh-seconds="3"' in page and "motcua/refresh.js" in page and "<script>" not in page


def test_the_evaluation_pages(december, staff, org, client, settings):
    settings.EVALUATION_MIN_DOSSIERS = 1
    client.force_login(staff["supervisor"])
    page = client.get("/workspace/thong-ke/danh-gia/nghi-dinh-61/?quarter=2026-Q4").content.decode()
    assert "Sở Xây dựng" in page and "8/18" in page
    detail = client.get(f"/workspace/thong-ke/danh-gia/nghi-dinh-61/?quarter=2026-Q4&agency={XAY_DUNG}")
    assert "66.67" in detail.content.decode() or "66,67" in detail.content.decode()
    response = client.post("/workspace/thong-ke/danh-gia/nghi-dinh-61/cham-diem/", {
        "agency": XAY_DUNG, "quarter": "2026-Q4", "indicator": 7, "kind": "appraisal", "points": 2})
    assert response.status_code == 302
    assert "10/18" in client.get(response["Location"]).content.decode()
    page = client.get("/workspace/thong-ke/danh-gia/chi-so-766/?month=2026-12").content.decode()
    assert "Chưa đo được tại hệ thống này" in page
    assert "Thẩm định hồ sơ" in client.get("/workspace/thong-ke/danh-gia/diem-nghen/?date_from=01/12/2026"
                                           "&date_to=31/12/2026").content.decode()


def test_officials_page_shows_a_specialist_only_their_own_figures(december, staff, client):
    client.force_login(staff["specialist"])
    page = client.get("/workspace/thong-ke/danh-gia/can-bo/?date_from=01/12/2026&date_to=31/12/2026")
    body = page.content.decode()
    review = december["late"].steps.get(kind="review")
    approve = december["late"].steps.get(kind="approve")
    assert page.status_code == 200 and review.name in body  # their own step
    assert "ld_xd" not in body and approve.name not in body  # not the leader's
    assert client.get("/workspace/thong-ke/danh-gia/nghi-dinh-61/").status_code == 403  # no reports.view


def test_the_bottlenecks_page_spells_out_its_figures(december, staff, org, client):
    # "TB" and a bare "Tỷ lệ" said nothing to a reader (issue 12 item 13).
    client.force_login(staff["supervisor"])
    page = client.get("/workspace/thong-ke/danh-gia/diem-nghen/?date_from=01/12/2026&date_to=31/12/2026")
    text = page.content.decode()
    assert "TB (" not in text and ">Tỷ lệ<" not in text
    assert "Trung bình (giờ làm việc)" in text and "Số bước trễ hạn" in text
    assert 'aria-describedby="slow-legend"' in text and "trên 1 là chậm hơn" in text
