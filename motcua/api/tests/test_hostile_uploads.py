"""Hostile uploads (issue 13 §4): oversized, cut off, disguised, zip bombs inside DOCX/XLSX, path-traversal and
control-character names, too many files — each refused with a message naming the file and the rule, nothing stored."""
import base64
import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from motcua.api.tests.test_dossiers import LIST, PDF, intake_body
from motcua.dossiers import files
from motcua.dossiers.models import Attachment, Dossier
from motcua.errors import InvalidInput

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64) + b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0" + bytes(64) + b"\xff\xd9"


@pytest.fixture
def as_(staff, client_for):
    return lambda name: client_for(staff[name])


def ooxml(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = ooxml({"word/document.xml": b"<w:document>Don de nghi</w:document>"})
BOMB = ooxml({"word/document.xml": b"<w:document/>", "word/media/a.bin": bytes(60 * 1024 * 1024)})


def refused(content: bytes, name: str = "tep.pdf") -> str:
    with pytest.raises(InvalidInput) as caught:
        files.check_upload(name=name, content=content)
    return caught.value.message


def test_whole_files_of_each_allowed_kind_pass():
    for content, kind in ((PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (DOCX, files.DOCX)):
        assert files.check_upload(name="x", content=content).content_type == kind


def test_a_file_cut_off_in_the_middle_is_refused_as_not_whole():
    for whole in (PDF, PNG, JPEG):
        assert "không trọn vẹn" in refused(whole[: len(whole) // 2])
    assert "không trọn vẹn" in refused(DOCX[:-40], name="don.docx")  # the zip's central directory is cut


def test_a_zip_bomb_inside_a_docx_is_refused_without_unpacking_it():
    assert len(BOMB) < 200 * 1024  # 60 MB of zeros packs to ~60 KB: the ratio gives it away
    assert "nghi là tệp nén độc hại" in refused(BOMB, name="don.docx")


def test_too_many_parts_in_a_package_are_refused():
    many = ooxml({f"xl/part{i}.xml": b"<a/>" for i in range(files.OOXML_MAX_ENTRIES + 1)})
    assert "nghi là tệp nén độc hại" in refused(many, name="bang.xlsx")


def test_wrong_magic_bytes_are_refused_whatever_the_name_says():
    assert "kiểm tra theo nội dung tệp" in refused(b"MZ\x90\x00 this is a program", name="don.pdf")
    assert "bị hỏng" in refused(b"PK\x03\x04 not a zip", name="don.docx")  # a zip's magic, nothing behind it


def test_oversized_files_are_refused_with_the_limit(settings):
    settings.DOSSIER_MAX_FILE_BYTES = 1024 * 1024
    big = PDF[:-6] + bytes(1024 * 1024) + b"%%EOF\n"
    assert "giới hạn 1 MB" in refused(big)


@pytest.mark.parametrize("name, stored", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\don.pdf", "don.pdf"),
    ("don\x00.pdf", "don.pdf"),
    ("ho-so\u202efdp.exe", "ho-sofdp.exe"),  # the right-to-left override that hides an .exe
    ("...", "tep"),
    ("Đơn đề nghị.pdf", "Đơn đề nghị.pdf"),
    ("Đơn đề nghị.pdf", "Đơn đề nghị.pdf"),  # decomposed Vietnamese → composed (NFC)
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
])
def test_names_keep_only_a_safe_last_part(name, stored):
    assert files.clean_name(name) == stored


def test_too_many_files_are_refused(settings):
    settings.DOSSIER_MAX_FILES = 3
    with pytest.raises(InvalidInput, match="tối đa 3 tệp"):
        files.check_count(2, 2)


def test_the_api_refuses_a_bomb_and_a_cut_off_file_and_stores_nothing(building, as_):
    component = building.components.first().id
    before = set(default_storage.listdir("")[1]) if default_storage.exists("") else set()
    for name, content in (("don.docx", BOMB), ("don.pdf", PDF[:20])):
        body = intake_body(building, uploads=[{"name": name, "content_base64": base64.b64encode(content).decode(),
                                               "component_id": component}])
        response = as_("desk").post(LIST, body, format="json")
        assert response.status_code == 400, response.content
        assert name in response.json()["message"]
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    after = set(default_storage.listdir("")[1]) if default_storage.exists("") else set()
    assert after == before


def test_the_api_stores_a_traversal_name_as_its_last_part(building, as_):
    body = intake_body(building, uploads=[{"name": "../../../settings.pdf",
                                           "content_base64": base64.b64encode(PDF).decode(),
                                           "component_id": building.components.first().id}])
    assert as_("desk").post(LIST, body, format="json").status_code == 201
    attachment = Attachment.objects.get()
    assert attachment.original_name == "settings.pdf" and ".." not in attachment.file.name
