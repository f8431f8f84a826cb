"""The workspace pages: overview, import (dry run then apply), task page and report form, targets, downloads."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from motcua.programme.models import Report, Target, Task
from motcua.programme.tests.conftest import TASKS_CSV

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_soo_noi_vu_checks_then_imports_the_programme_from_the_upload_page(client, people):
    client.force_login(people["manager"])
    url = reverse("workspace:programme-import")
    page = client.post(url, {"file": SimpleUploadedFile("tasks.csv", TASKS_CSV.read_bytes())})
    assert page.status_code == 200 and "Chưa ghi gì" in page.content.decode() and Task.objects.count() == 0
    page = client.post(url, {"file": SimpleUploadedFile("tasks.csv", TASKS_CSV.read_bytes()), "apply": "1"})
    assert page.status_code == 200 and Task.objects.count() == 69
    assert "Sở Công Thương" in client.get(reverse("workspace:programme-mapping")).content.decode()


def test_an_agency_cannot_open_the_import_or_the_queue(client, people):
    client.force_login(people["tttt_leader"])
    assert client.get(reverse("workspace:programme-import")).status_code == 404
    assert client.get(reverse("workspace:programme-queue")).status_code == 404


def test_the_leader_submits_from_the_task_page_and_soo_noi_vu_accepts_and_downloads(client, programme, people, org):
    task = Task.objects.get(section__year=2016, number=29)
    client.force_login(people["tttt_leader"])
    page = client.get(reverse("workspace:programme-task", args=[task.pk]))
    assert page.status_code == 200 and "report-form" in page.content.decode()
    client.post(reverse("workspace:programme-report-save", args=[task.pk]), {
        "agency": org["000.00.07.H47"].pk, "period": "2016-3", "status": "in_progress", "percent": "60",
        "done": "Đã triển khai", "proposals": "Bổ sung kinh phí", "submit": "1",
        "evidence": SimpleUploadedFile("bb.pdf", PDF)})
    report = Report.objects.get()
    assert report.state == "submitted" and report.evidence.count() == 1
    assert client.get(reverse("workspace:programme-mine")).status_code == 200
    client.force_login(people["manager"])
    assert "2016/29" in client.get(reverse("workspace:programme-queue")).content.decode()
    client.post(reverse("workspace:programme-report-action", args=[report.pk, "accept"]))
    report.refresh_from_db()
    assert report.state == "accepted"
    evidence = client.get(reverse("workspace:programme-evidence", args=[report.evidence.get().pk]))
    assert evidence.status_code == 200 and evidence.getvalue() == PDF
    overview = client.get(reverse("workspace:programme"))
    assert overview.status_code == 200 and "<meter" in overview.content.decode()
    download = client.get(reverse("workspace:programme-report", args=["docx"]), {"year": 2016, "quarter": 3})
    text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert "Bổ sung kinh phí" in text
    assert client.get(reverse("workspace:programme-report", args=["pdf"]),
                      {"year": 2016, "quarter": 3}).content.startswith(b"%PDF")


def test_the_targets_pages_show_not_measured_yet_and_take_reported_values(client, programme, people):
    client.force_login(people["manager"])
    page = client.get(reverse("workspace:programme-targets")).content.decode()
    assert "chưa đo" in page
    target = Target.objects.get(number=1)
    client.post(reverse("workspace:programme-target", args=[target.pk]), {"year": 2016, "quarter": 4, "value": "98"})
    assert target.values.get().value == 98
    assert "98" in client.get(reverse("workspace:programme-target", args=[target.pk])).content.decode()


def test_a_refused_report_action_goes_back_only_to_a_page_of_this_site(client, programme, people, org):
    task = Task.objects.get(section__year=2016, number=29)
    client.force_login(people["tttt_leader"])
    client.post(reverse("workspace:programme-report-save", args=[task.pk]), {
        "agency": org["000.00.07.H47"].pk, "period": "2016-3", "status": "in_progress", "percent": "60",
        "done": "Đã triển khai", "submit": "1", "evidence": SimpleUploadedFile("bb.pdf", PDF)})
    report = Report.objects.get()
    url = reverse("workspace:programme-report-action", args=[report.pk, "submit"])  # already submitted: refused
    outside = client.post(url, {"next": "https://evil.example/phish"})
    assert outside.status_code == 302 and outside["Location"] == reverse("workspace:programme")
    own = reverse("workspace:programme-task", args=[task.pk])
    assert client.post(url, {"next": own})["Location"] == own
