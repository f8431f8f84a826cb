"""Fixtures of the filing tests: the dossier fixtures, two citizens, file bytes, and a filled-in draft."""
import io
import zipfile

import pytest

from motcua.dossiers.tests.conftest import *  # noqa: F403 - clock_at, staff, building, land, receive, intake_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"\x00\x00\x00\x00IEND\xaeB`\x82"  # ends as a PNG must (IEND)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64  # a Windows executable's header


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _verified_citizen(username: str, name: str, email: str):
    """A citizen account (no agency, no role grant) whose e-mail is verified: only such accounts may file."""
    from django.utils import timezone

    from motcua.accounts.models import CitizenProfile, User

    user = User.objects.create_user(username=username, password="s3cret-pass!", full_name=name, email=email,
                                    phone=username)
    CitizenProfile.objects.create(user=user, name=name, email=email, phone="+84" + username[1:],
                                  email_verified_at=timezone.now())
    return user


@pytest.fixture
def citizen(db):
    return _verified_citizen("0905123456", "Nguyễn Văn An", "an@example.vn")


@pytest.fixture
def other_citizen(db):
    return _verified_citizen("0905999888", "Trần Thị Bình", "binh@example.vn")


@pytest.fixture
def unverified_citizen(db):
    """Registered but not yet verified: may save drafts, may not submit."""
    from motcua.accounts.models import CitizenProfile, User

    user = User.objects.create_user(username="0905000111", password="s3cret-pass!", full_name="Lê Văn Chưa")
    CitizenProfile.objects.create(user=user, name="Lê Văn Chưa", phone="+84905000111")
    return user


@pytest.fixture
def filled_draft(building, citizen):
    """filled_draft(owner=citizen) -> a draft of the building permit with the applicant's ID and both files."""
    from motcua.filings import services

    def make(owner=None):
        owner = owner or citizen
        draft = services.draft_create(owner=owner, procedure_version=building)
        services.draft_update(draft=draft, owner=owner, data={"applicant_id_number": "049090001234",
                                                              "applicant_address": "12 Phan Bội Châu, Tam Kỳ"})
        for index, component in enumerate(building.components.all()):
            services.draft_upload(draft=draft, owner=owner, component_id=component.pk, name=f"giay-to-{index}.pdf",
                                  content=PDF + str(index).encode())
        return draft

    return make
