"""Moving the catalogue in and out as spreadsheets: XLSX and CSV files with one procedure a row.

The file format is in docs/catalogue-import.md. Every row goes through `parse_spec`, and every write
through `procedure_upsert`, inside one transaction: a dry run takes the real write path (permission checks
included) and rolls it back; a real run writes every row or, when any row has a problem, none.
"""
import csv
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.catalogue.models import ProcedureVersion, Step, VersionStatus
from motcua.catalogue.queries import active_kind_ids, version_as_data
from motcua.catalogue.services import procedure_upsert
from motcua.catalogue.spec import ProcedureSpec, SpecError, parse_spec
from motcua.errors import DomainError, InvalidInput, PermissionDenied

COLUMNS = (
    "code", "name", "field", "field_name", "levels", "agencies", "legal_limit", "committed_limit",
    "limit_unit", "online_level", "applicant_types", "result_name", "result_kind", "legal_basis",
    "conditions", "description", "components", "fees", "steps",
)
# `field_name` only names a new field; every other column, if absent, would empty that part of each procedure.
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c != "field_name")
LIST_COLUMNS = ("levels", "agencies", "applicant_types")
# The child lists: one item a line, parts separated by "|"; the last part takes the rest of the line.
CHILD_PARTS = {
    "components": ("name", "required", "originals", "certified_copies", "photocopies", "note"),
    "fees": ("name", "amount", "collected"),
    "steps": ("name", "kind", "agency", "role", "hours"),
}
MAX_ROWS = 5000
ROW = "_row"  # key of the spreadsheet row number (the header is row 1) in what read_rows returns
XLSX_SUFFIXES = (".xlsx", ".xlsm")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass
class ImportReport:
    total: int
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    applied: bool = False  # True only when a real run wrote the file


# Reading ----------------------------------------------------------------------------------------------------

def read_rows(*, content: bytes, filename: str) -> list[dict]:
    """The procedure rows of an XLSX or CSV file (told apart by content), each a dict of column → text.

    Each dict also carries its spreadsheet row number under `ROW`. Raises InvalidInput for a file that cannot
    be read as a whole: empty, too large, neither a workbook nor UTF-8 text, missing columns, too many rows.
    """
    if not content:
        raise InvalidInput("Tệp rỗng.")
    limit = settings.CATALOGUE_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise InvalidInput(f"Tệp nặng {_size(len(content))}, vượt giới hạn {_size(limit)}.")
    if _is_workbook(content):
        return _records(_workbook_rows(content))
    if filename.lower().endswith(XLSX_SUFFIXES):
        raise InvalidInput(f"Tệp {filename} mang đuôi .xlsx nhưng không phải bảng tính Excel hợp lệ.")
    return _records(_csv_rows(content, filename))


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _workbook_rows(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same to the uploader
        raise InvalidInput("Không đọc được bảng tính: tệp bị hỏng hoặc không đúng định dạng .xlsx.")
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except Exception:
        raise InvalidInput("Không đọc được bảng tính: tệp bị hỏng hoặc không đúng định dạng .xlsx.")
    finally:
        workbook.close()


def _csv_rows(content: bytes, filename: str):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:  # binary content: an old .xls, an image, a UTF-16 export...
        raise InvalidInput(
            f"Tệp {filename} không phải bảng tính .xlsx cũng không phải văn bản CSV mã UTF-8; "
            "hãy lưu lại dưới dạng Excel (.xlsx) hoặc CSV UTF-8."
        )
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise InvalidInput(f"Không đọc được tệp CSV: {exc}.")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _records(table) -> list[dict]:
    table = iter(table)
    names = [_cell(v).lower() for v in next(table, None) or ()]
    if not any(names):
        raise InvalidInput("Tệp rỗng: dòng đầu phải là dòng tiêu đề với các cột " + ", ".join(COLUMNS) + ".")
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise InvalidInput("Dòng tiêu đề thiếu cột: " + ", ".join(missing) + ".")
    repeated = sorted({n for n in names if n in COLUMNS and names.count(n) > 1})
    if repeated:
        raise InvalidInput("Dòng tiêu đề có cột lặp lại: " + ", ".join(repeated) + ".")
    records = []
    for number, values in enumerate(table, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        if len(records) == MAX_ROWS:
            limit = f"{MAX_ROWS:,}".replace(",", ".")
            raise InvalidInput(f"Tệp có hơn {limit} thủ tục; hãy chia thành nhiều tệp.")
        record = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(names) if name in COLUMNS}
        record[ROW] = number
        records.append(record)
    if not records:
        raise InvalidInput("Tệp chỉ có dòng tiêu đề, không có thủ tục nào.")
    return records


def _spec_data(record: dict) -> dict:
    """A row as parse_spec reads it: list cells stay text (parse_spec splits them), child cells split up."""
    data = {c: record.get(c, "") for c in COLUMNS if c not in CHILD_PARTS}
    for column, parts in CHILD_PARTS.items():
        lines = [line for line in record.get(column, "").splitlines() if line.strip()]
        data[column] = [
            dict(zip(parts, (p.strip() for p in line.split("|", len(parts) - 1)), strict=False))
            for line in lines
        ]
    return data


# Importing --------------------------------------------------------------------------------------------------

def catalogue_import(*, content: bytes, filename: str, actor, dry_run: bool = True,
                     publish: bool = True) -> ImportReport:
    """Create or revise every procedure in the file, reporting every problem; write all rows or none.

    A dry run writes nothing but reports what a real run would do, and the same errors (permissions included).
    """
    records = read_rows(content=content, filename=filename)
    report = ImportReport(total=len(records), dry_run=dry_run)
    specs = _parse(records, report.errors)
    with transaction.atomic():
        current = _current_versions([spec.code for _, spec in specs])
        for row, spec in specs:
            _write(row, spec, current.get(spec.code), actor=actor, publish=publish, report=report)
        report.applied = not dry_run and not report.errors
        if report.applied:
            audit_record(
                actor=actor, action="catalogue.import", summary=f"Nhập danh mục thủ tục từ {filename}",
                detail={"file": filename, "total": report.total, "created": report.created,
                        "revised": report.revised, "unchanged": report.unchanged, "publish": publish},
            )
        else:
            transaction.set_rollback(True)
    report.errors.sort(key=lambda e: e.row)
    return report


def _parse(records: list[dict], errors: list[RowError]) -> list[tuple[int, ProcedureSpec]]:
    known = set(Agency.objects.values_list("code", flat=True))
    first_row: dict[str, int] = {}
    specs = []
    for record in records:
        row, code = record[ROW], record.get("code", "")
        duplicate = code in first_row
        if duplicate:
            errors.append(RowError(row, "code", f"Mã thủ tục {code} đã có ở dòng {first_row[code]}."))
        elif code:
            first_row[code] = row
        try:
            spec = parse_spec(_spec_data(record), known_agency_codes=known)
        except SpecError as exc:
            errors.extend(_spec_errors(row, exc.detail))
            continue
        if not duplicate:
            specs.append((row, spec))
    return specs


def _spec_errors(row: int, detail: list[dict]) -> list[RowError]:
    """parse_spec names child items "components[2]"; in a file that is item 2 of the components cell."""
    errors = []
    for item in detail:
        column, _, index = item["field"].partition("[")
        message = f"mục {index.rstrip(']')}: {item['message']}" if index else item["message"]
        errors.append(RowError(row, column, message))
    return errors


def _with_content(versions: QuerySet) -> QuerySet:
    return versions.select_related("procedure", "field").prefetch_related(
        "components", "fees", Prefetch("steps", queryset=Step.objects.select_related("agency")),
        Prefetch("agencies", queryset=Agency.objects.order_by("path")),
    )


def _current_versions(codes: list[str]) -> dict[str, ProcedureVersion]:
    versions = ProcedureVersion.objects.filter(procedure__code__in=codes, procedure__current_id=F("pk"))
    return {v.procedure.code: v for v in _with_content(versions)}


def _write(row: int, spec: ProcedureSpec, current: ProcedureVersion | None, *, actor, publish: bool,
           report: ImportReport) -> None:
    if current is not None and _unchanged(current, spec, publish=publish):
        report.unchanged += 1
        return
    try:
        # procedure_upsert is atomic, so inside our transaction a refused row rolls back to its own savepoint.
        _, created = procedure_upsert(spec=spec, actor=actor, publish=publish)
    except DomainError as exc:
        # Permissions follow the implementing agencies; a new field needs its name; a Conflict is a race.
        column = {PermissionDenied: "agencies", InvalidInput: "field"}.get(type(exc), "code")
        report.errors.append(RowError(row, column, exc.message))
        return
    if created:
        report.created += 1
    else:
        report.revised += 1


def _unchanged(current: ProcedureVersion, spec: ProcedureSpec, *, publish: bool) -> bool:
    """The row repeats the version in force (or, when importing drafts, the current draft)."""
    status = current.status
    in_force = status == VersionStatus.PUBLISHED or (status == VersionStatus.DRAFT and not publish)
    return in_force and _comparable(version_as_data(current)) == _comparable(spec.as_dict())


def _comparable(data: dict) -> dict:
    """The data without differences that store the same: level and agency order, 5 vs 5.0, CRLF."""
    data = {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in data.items()}
    data.pop("field_name", None)  # names a new field only; an existing field keeps its name
    data["levels"] = sorted(set(data["levels"]))
    data["agencies"] = sorted(set(data["agencies"]))
    data["legal_limit"] = Decimal(data["legal_limit"])
    data["committed_limit"] = Decimal(data["committed_limit"])
    data["steps"] = [{**s, "hours": Decimal(s["hours"])} for s in data["steps"]]
    return data


# Exporting --------------------------------------------------------------------------------------------------

def catalogue_export(*, versions, fmt: str) -> bytes:
    """The given versions as a file that `catalogue_import` reads back: "csv" (UTF-8 with BOM) or "xlsx"."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"Định dạng {fmt!r} không hỗ trợ; dùng csv hoặc xlsx.")
    if isinstance(versions, QuerySet):
        versions = _with_content(versions).iterator(chunk_size=500)
    kind_ids = active_kind_ids()
    rows = (_export_row(version_as_data(v, kind_ids=kind_ids)) for v in versions)
    return _csv_bytes(rows) if fmt == "csv" else _xlsx_bytes(rows)


def _one_line(value) -> str:
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _child_lines(items: list[dict], parts: tuple[str, ...]) -> str:
    return "\n".join(" | ".join(_one_line(item[p]) for p in parts).rstrip() for item in items)


def _export_row(data: dict) -> list[str]:
    cells = dict(data)
    for column in LIST_COLUMNS:
        cells[column] = "; ".join(data[column])
    components = [{**c, "required": "x" if c["required"] else ""} for c in data["components"]]
    cells["components"] = _child_lines(components, CHILD_PARTS["components"])
    cells["fees"] = _child_lines(data["fees"], CHILD_PARTS["fees"])
    cells["steps"] = _child_lines(data["steps"], CHILD_PARTS["steps"])
    return [str(cells[c]) for c in COLUMNS]


def _csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_bytes(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Thủ tục")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        wide = column in ("name", "legal_basis", "conditions", "description", *CHILD_PARTS)
        sheet.column_dimensions[get_column_letter(index)].width = 50 if wide else 18
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    # Always text: a value starting with "=" must not become a formula, and codes must not become numbers.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    cell.alignment = WRAP
    return cell
