"""The citizen's download of their signed result, and `/xac-thuc/` on results signed at approval."""
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from motcua.audit.models import AuditEntry
from motcua.documents.pdf import html_to_pdf
from motcua.dossiers import files
from motcua.dossiers import services as svc
from motcua.dossiers.queries import signed_result
from motcua.dossiers.services import Upload
from motcua.dossiers.tests.conftest import *  # noqa: F401,F403 — the dossier fixtures (clock, staff, procedures)
from motcua.dossiers.tests.conftest import DESK, XAY_DUNG


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(org, make_user):
    return make_user(None, org[XAY_DUNG], username="congdan")


@pytest.fixture
def signed_dossier(org, building, intake_of, staff, citizen):
    """An online filing by `citizen`, accepted, drafted, approved (signed) and completed."""
    call_command("democa", stdout=io.StringIO())
    dossier = svc.dossier_submit(desk=org[DESK], intake=intake_of(building, delivery="online"), citizen=citizen)
    svc.dossier_accept(dossier=dossier, actor=staff["desk"])
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    draft = html_to_pdf("<h1>Giấy phép xây dựng</h1>")
    svc.dossier_attach_draft(dossier=dossier, actor=staff["specialist"], draft=Upload("du-thao.pdf", draft))
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    return svc.dossier_complete(dossier=dossier, actor=staff["leader"])


def url(code):
    return f"/ho-so-cua-toi/{code}/ket-qua.pdf"


def test_the_owner_downloads_the_signed_result(client, signed_dossier, citizen):
    client.force_login(citizen)
    response = client.get(url(signed_dossier.code))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.getvalue() == files.read_verified(signed_result(signed_dossier))
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="dossier.result_read", actor=citizen).exists()


def test_anyone_else_gets_404_and_an_audit_entry(client, signed_dossier, make_user, org, staff):
    stranger = make_user(None, org[XAY_DUNG], username="nguoikhac")
    for user in (stranger, staff["desk"]):
        client.force_login(user)
        assert client.get(url(signed_dossier.code)).status_code == 404
        assert AuditEntry.objects.filter(action="dossier.result_refused", actor=user).exists()
    client.force_login(stranger)
    assert client.get(url("KHONG-CO")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_login(client, signed_dossier):
    response = client.get(url(signed_dossier.code))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_result_changed_on_disk_is_not_served(client, signed_dossier, citizen):
    result = signed_result(signed_dossier)
    with result.file.storage.open(result.file.name, "rb") as handle:
        content = handle.read()
    with result.file.storage.open(result.file.name, "wb") as handle:  # through the storage: S3 files have no path
        handle.write(content[:10] + b"X" + content[11:])
    client.force_login(citizen)
    assert client.get(url(signed_dossier.code)).status_code == 404
    assert AuditEntry.objects.filter(action="dossier.result_refused").exists()


def _upload(client, content):
    handle = io.BytesIO(content)
    handle.name = "ket-qua.pdf"
    return client.post("/xac-thuc/", {"pdf": handle})


def test_verify_recognises_the_signed_result_and_catches_a_one_byte_change(client, signed_dossier):
    content = files.read_verified(signed_result(signed_dossier))
    html = _upload(client, content).content.decode()
    assert "Kết quả hợp lệ" in html and f"Trùng khớp với kết quả của hồ sơ {signed_dossier.code}" in html
    assert "Sở Xây dựng (000.00.05.H47)" in html
    offset = content.index(b"stream", 0) + 40
    tampered = content[:offset] + bytes([content[offset] ^ 0x01]) + content[offset + 1:]
    html = _upload(client, tampered).content.decode()
    assert "bị thay đổi sau khi ký" in html and "Trùng khớp với kết quả" not in html


def test_the_code_on_the_result_leads_to_the_verification_page(client, signed_dossier):
    html = client.get("/xac-thuc/", {"code": signed_dossier.code}).content.decode()
    assert "Sở Xây dựng" in html
