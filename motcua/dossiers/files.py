"""Attachments: type checked by content, size and count limits, SHA-256 stored at upload and checked on read."""
import hashlib
import io
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from motcua.errors import Conflict, InvalidInput

ALLOWED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def max_file_bytes() -> int:
    return getattr(settings, "DOSSIER_MAX_FILE_BYTES", 20 * 1024 * 1024)


def max_files() -> int:
    return getattr(settings, "DOSSIER_MAX_FILES", 40)


OOXML_MAX_ENTRIES = 5_000  # a real DOCX/XLSX has tens of parts
OOXML_MAX_RATIO = 100  # unpacked size over packed size: text compresses ~10×, a zip bomb ~1000×


def ooxml_max_unpacked_bytes() -> int:
    return getattr(settings, "DOSSIER_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)


def sniff(content: bytes) -> str | None:
    """The content type the bytes really are (of the allowed ones), whatever the file is called."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if any(n.startswith("xl/") for n in names):
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def _whole(kind: str, content: bytes) -> bool:
    """Whether the file ends as its format says it must (a cut-off upload does not): PDF's %%EOF, JPEG's EOI
    marker, PNG's IEND chunk (ISO 32000-1 §7.5.5, ITU T.81 B.2.1, PNG spec §11.2.5)."""
    tail = content[-2048:].rstrip(b"\x00\r\n\t ")
    if kind == "application/pdf":
        return b"%%EOF" in tail[-1024:]
    if kind == "image/jpeg":
        return tail.endswith(b"\xff\xd9")
    if kind == "image/png":
        return b"IEND" in content[-16:]
    return True


def _zip_refusal(name: str, content: bytes) -> str | None:
    """Why an OOXML package must be refused without unpacking it: too many parts, or parts that unpack to far more
    than the package (a zip bomb), or a package whose parts do not read back (cut off or damaged); None if sound."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return _("Tệp %(name)s bị hỏng hoặc không trọn vẹn.") % {"name": name}
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > OOXML_MAX_ENTRIES or unpacked > ooxml_max_unpacked_bytes() \
            or unpacked > OOXML_MAX_RATIO * max(len(content), 1):
        return _("Tệp %(name)s giải nén ra quá lớn so với chính nó (nghi là tệp nén độc hại); hãy gửi bản khác.") \
            % {"name": name}
    try:
        if archive.testzip() is not None:  # reads each part once, CRC-checked, within the limits just checked
            return _("Tệp %(name)s bị hỏng hoặc không trọn vẹn.") % {"name": name}
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError):
        return _("Tệp %(name)s bị hỏng hoặc không trọn vẹn.") % {"name": name}
    return None


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


NAME_CHARS = 120


def clean_name(name: str) -> str:
    """A file name safe to store and to show: the last path part only (no "../"), NFC, no control or bidi-override
    characters, no leading dots, at most 120 characters with the extension kept; "tep" when nothing is left."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = name.strip().lstrip(".").strip()
    if not name:
        return "tep"
    if len(name) > NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = f".{ext}" if dot and 0 < len(ext) <= 10 else ""
        name = (stem if ext else name)[: NAME_CHARS - len(ext)] + ext
    return name


def check_size(*, name: str, size: int) -> None:
    """Refuse a file over the size limit before its bytes are read (an upload's declared size is enough)."""
    limit = max_file_bytes()
    if size > limit:
        raise InvalidInput(_("Tệp %(name)s lớn hơn giới hạn %(mb)s MB.")
                           % {"name": clean_name(name), "mb": limit // (1024 * 1024)})


def check_upload(*, name: str, content: bytes) -> CheckedFile:
    """Refuse empty, oversized or disguised files with a message naming the file and the rule."""
    name = clean_name(name)
    if not content:
        raise InvalidInput(_("Tệp %(name)s rỗng.") % {"name": name})
    check_size(name=name, size=len(content))
    kind = sniff(content)
    if kind is None:
        if content.startswith(b"PK\x03\x04") and (refusal := _zip_refusal(name, content)):
            raise InvalidInput(refusal)
        raise InvalidInput(
            _("Tệp %(name)s không phải PDF, JPEG, PNG, DOCX hay XLSX (kiểm tra theo nội dung tệp).") % {"name": name}
        )
    if kind in (DOCX, XLSX) and (refusal := _zip_refusal(name, content)):
        raise InvalidInput(refusal)
    if not _whole(kind, content):
        raise InvalidInput(_("Tệp %(name)s bị hỏng hoặc không trọn vẹn (có thể tải lên bị ngắt giữa chừng); hãy gửi "
                             "lại.") % {"name": name})
    return CheckedFile(name=name, content=content, content_type=kind, sha256=hashlib.sha256(content).hexdigest())


def check_count(existing: int, adding: int) -> None:
    if existing + adding > max_files():
        raise InvalidInput(_("Mỗi hồ sơ có tối đa %(n)s tệp đính kèm.") % {"n": max_files()})


def as_content_file(checked: CheckedFile) -> ContentFile:
    return ContentFile(checked.content, name=checked.name)


CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 1024 * 1024  # a checked file larger than this waits on local disk, not in memory, while it streams


def open_verified(attachment):
    """The attachment's bytes as an open binary file at its start, checked against the SHA-256 stored at upload.

    Works on any storage (local disk or S3: nothing assumes a path): the file is read through its storage in chunks,
    hashed, and kept in a spooled temporary file, so that what leaves is exactly what was checked. The caller
    closes it (a `FileResponse` does). A changed file raises Conflict; a missing one OSError.
    """
    digest = hashlib.sha256()
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open, closed by the caller)
    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
                digest.update(chunk)
                spool.write(chunk)
        if digest.hexdigest() != attachment.sha256:
            raise Conflict(_("Tệp %(name)s đã bị thay đổi sau khi tải lên (sai mã SHA-256); không thể cung cấp.")
                           % {"name": attachment.original_name})
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def read_verified(attachment) -> bytes:
    """The attachment's bytes, after checking they still hash to the SHA-256 stored at upload."""
    with open_verified(attachment) as handle:
        return handle.read()
