"""Import and export of the catalogue as XLSX and CSV (catalogue/transfer.py)."""
import csv
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import User
from motcua.audit.models import AuditEntry
from motcua.catalogue.models import Field, Procedure, ProcedureVersion, VersionStatus
from motcua.catalogue.services import procedure_create
from motcua.catalogue.spec import parse_spec
from motcua.catalogue.transfer import COLUMNS, MAX_ROWS, ROW, catalogue_export, catalogue_import, read_rows
from motcua.demo import load_organisation, load_users
from motcua.errors import InvalidInput

BUILDING = "000.00.05.H47"  # Sở Xây dựng
TAX = "000.00.12.H47"  # Cục Thuế
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)

PROCEDURES = [
    {
        "code": "1.009994.000.00.00.H47", "name": "Cấp giấy phép xây dựng mới", "field": "XD",
        "field_name": "Xây dựng", "levels": ["province"], "agencies": [BUILDING], "legal_limit": "15",
        "committed_limit": "12", "limit_unit": "working_days", "online_level": "partial",
        "applicant_types": ["citizen", "business"], "result_name": "Giấy phép xây dựng",
        "result_kind": "licence",
        "legal_basis": "Luật Xây dựng 2014;\nNghị định 15/2021/NĐ-CP", "conditions": "",
        "description": "- Bước 1: nộp hồ sơ\n- Bước 2: nhận kết quả",
        "components": [
            {"name": "Đơn đề nghị cấp giấy phép", "required": True, "originals": 1},
            {"name": "Bản vẽ thiết kế", "required": False, "photocopies": 2, "note": "nếu có | bản điện tử"},
        ],
        "fees": [{"name": "Lệ phí cấp giấy phép", "amount": 75000, "collected": "intake"}],
        "steps": [
            {"name": "Tiếp nhận", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "4"},
            {"name": "Thẩm định", "kind": "review", "agency": "@self", "role": "specialist", "hours": "84"},
            {"name": "Phê duyệt", "kind": "approve", "agency": "@self", "role": "leader", "hours": "8"},
        ],
    },
    {
        "code": "2.000123.000.00.00.H47", "name": "Đăng ký hộ kinh doanh", "field": "KD",
        "field_name": "Thành lập và hoạt động của hộ kinh doanh", "levels": ["district"],
        "agencies": ["@district"],
        "legal_limit": "5", "committed_limit": "5", "limit_unit": "working_days", "online_level": "full",
        "applicant_types": ["citizen"], "result_name": "Giấy chứng nhận đăng ký hộ kinh doanh",
        "result_kind": "certificate",
        "components": [{"name": "Giấy đề nghị đăng ký hộ kinh doanh", "required": True, "originals": 1}],
        "fees": [
            {"name": "Lệ phí đăng ký", "amount": 100000, "collected": "intake"},
            {"name": "Phí cung cấp thông tin", "amount": 20000, "collected": "return"},
        ],
        "steps": [
            {"name": "Tiếp nhận", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "2"},
            {"name": "Xác nhận thuế", "kind": "inter_agency", "agency": TAX, "role": "specialist",
             "hours": "6.5"},
            {"name": "Thẩm định", "kind": "review", "agency": "@self", "role": "specialist", "hours": "23.5"},
            {"name": "Ký", "kind": "approve", "agency": "@self", "role": "leader", "hours": "4"},
            {"name": "Trả", "kind": "return", "agency": "@self", "role": "desk_officer", "hours": "4"},
        ],
    },
    {
        "code": "1.001612.000.00.00.H47", "name": "Chứng thực bản sao từ bản chính", "field": "CT",
        "field_name": "Chứng thực", "levels": ["commune", "district"], "agencies": ["@commune"],
        "legal_limit": "3", "committed_limit": "3", "limit_unit": "calendar_days", "online_level": "info",
        "result_name": "Bản sao được chứng thực", "result_kind": "copy",
        "steps": [
            {"name": "Tiếp nhận", "kind": "receive", "agency": "@self", "role": "desk_officer", "hours": "4"},
            {"name": "Chứng thực", "kind": "approve", "agency": "@self", "role": "leader", "hours": "12"},
        ],
    },
]


def _row(code: str, **cells) -> dict:
    """A row as a person types it in the spreadsheet: a valid new province procedure unless told otherwise."""
    row = {
        "code": code, "name": f"Thủ tục thử nghiệm {code}", "field": "TN", "field_name": "Thử nghiệm",
        "levels": "province", "agencies": BUILDING, "legal_limit": "15", "committed_limit": "12",
        "limit_unit": "working_days", "online_level": "partial", "applicant_types": "citizen; business",
        "result_name": "Giấy phép", "result_kind": "licence", "legal_basis": "", "conditions": "",
        "description": "",
        "components": "Đơn đề nghị | x | 1 | 0 | 0 |\nBản vẽ |  | 0 | 0 | 2 | nếu có",
        "fees": "Lệ phí | 75.000 | intake",
        "steps": "Tiếp nhận | receive | @self | desk_officer | 4\n"
                 "Thẩm định | review | @self | specialist | 84\n"
                 "Phê duyệt | approve | @self | leader | 8",
    }
    row.update(cells)
    return row


def _csv(rows: list[dict], *, delimiter: str = ",", columns=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _published():
    return ProcedureVersion.objects.published()


@pytest.fixture
def org(db):
    load_organisation()


@pytest.fixture
def users(org, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_users()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def catalogue(org):
    return [procedure_create(spec=parse_spec(data), actor=None) for data in PROCEDURES]


# Round trip ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_leaves_every_procedure_unchanged(catalogue, users, fmt):
    content = catalogue_export(versions=_published(), fmt=fmt)
    before = ProcedureVersion.objects.count()

    report = catalogue_import(content=content, filename=f"c.{fmt}", actor=users["bientap"], dry_run=False)

    assert report.errors == []
    assert report.total == report.unchanged == len(catalogue)
    assert report.created == report.revised == 0
    assert report.applied
    assert ProcedureVersion.objects.count() == before


def test_export_writes_one_row_per_published_procedure_with_the_header_keys(catalogue):
    content = catalogue_export(versions=_published(), fmt="csv")

    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    rows = read_rows(content=content, filename="catalogue.csv")
    assert sorted(r["code"] for r in rows) == sorted(v.procedure.code for v in catalogue)


def test_export_into_an_empty_catalogue_creates_every_procedure_and_field(catalogue, users):
    content = catalogue_export(versions=_published(), fmt="xlsx")
    exported = {v.procedure.code: v for v in catalogue}

    report = catalogue_import(content=content, filename="catalogue.xlsx", actor=users["bientap"])

    assert report.errors == []
    assert report.created == 0 and report.unchanged == len(exported)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    report = catalogue_import(content=content, filename="c.xlsx", actor=users["bientap"], dry_run=False)
    assert report.errors == []
    assert report.created == len(exported)
    assert set(Procedure.objects.values_list("code", flat=True)) == set(exported)


def test_export_queries_do_not_grow_with_the_catalogue(catalogue):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            catalogue_export(versions=_published(), fmt="csv")
        return len(captured)

    few = queries()
    for data in PROCEDURES:
        procedure_create(spec=parse_spec({**data, "code": data["code"] + ".2"}), actor=None)
    assert queries() == few


def test_an_xlsx_file_named_csv_is_read_as_a_workbook(catalogue, users):
    content = catalogue_export(versions=_published(), fmt="xlsx")

    report = catalogue_import(content=content, filename="catalogue.csv", actor=users["bientap"])

    assert report.errors == []
    assert report.unchanged == len(catalogue)


def test_spelling_that_stores_the_same_counts_as_unchanged(catalogue, users):
    rows = read_rows(content=catalogue_export(versions=_published(), fmt="csv"), filename="c.csv")
    for row in rows:
        row["legal_limit"] += ".0"
        row["levels"] = ";".join(reversed(row["levels"].split(";")))

    report = catalogue_import(content=_csv(rows, delimiter=";"), filename="c.csv", actor=users["bientap"])

    assert report.errors == []
    assert report.unchanged == len(catalogue)


def test_a_changed_row_makes_a_new_version_and_retires_the_old_one(catalogue, users):
    rows = read_rows(content=catalogue_export(versions=_published(), fmt="csv"), filename="c.csv")
    changed = rows[0]
    changed["name"] = changed["name"] + " (sửa đổi)"
    changed["fees"] = "Lệ phí | 150.000 | return"
    old = Procedure.objects.get(code=changed["code"]).current

    report = catalogue_import(content=_csv(rows), filename="c.csv", actor=users["bientap"], dry_run=False)

    assert report.errors == []
    assert (report.revised, report.unchanged, report.created) == (1, len(rows) - 1, 0)
    procedure = Procedure.objects.get(code=changed["code"])
    assert procedure.current.number == old.number + 1
    assert procedure.current.name == changed["name"]
    assert [(f.amount, f.collected) for f in procedure.current.fees.all()] == [(150000, "return")]
    old.refresh_from_db()
    assert old.status == VersionStatus.RETIRED


def test_a_real_import_leaves_an_audit_entry_and_a_dry_run_none(org, users):
    content = _csv([_row("T.1"), _row("T.2")])

    catalogue_import(content=content, filename="c.csv", actor=users["bientap"], dry_run=True)
    assert not AuditEntry.objects.filter(action="catalogue.import").exists()

    report = catalogue_import(content=content, filename="c.csv", actor=users["bientap"], dry_run=False)
    entry = AuditEntry.objects.get(action="catalogue.import")
    assert entry.actor == users["bientap"]
    assert entry.detail["created"] == report.created == 2


# Row errors ---------------------------------------------------------------------------------------

def test_a_dry_run_lists_every_error_with_its_row_and_column_and_writes_nothing(org, users):
    content = _csv([
        _row("T.1"),
        _row("T.2", levels="tinh", agencies="000.99.99.H47"),
        _row("T.3"),
        _row("T.4", fees="Lệ phí | 75.000 | intake\nPhí thẩm định | nhiều | intake",
             steps="Tiếp nhận | receive | @self | desk_officer | 4"),
    ])
    versions, procedures = ProcedureVersion.objects.count(), Procedure.objects.count()

    report = catalogue_import(content=content, filename="c.csv", actor=users["bientap"], dry_run=True)

    expected = {(3, "levels"), (3, "agencies"), (5, "fees"), (5, "steps")}
    assert {(e.row, e.column) for e in report.errors} == expected
    fee_error = next(e for e in report.errors if e.column == "fees")
    assert fee_error.message.startswith("mục 2:")
    assert "000.99.99.H47" in next(e.message for e in report.errors if e.column == "agencies")
    assert report.created == 2 and not report.applied
    assert (ProcedureVersion.objects.count(), Procedure.objects.count()) == (versions, procedures)


def test_a_real_run_with_one_bad_row_writes_nothing(org, users):
    content = _csv([_row("T.1"), _row("T.2"), _row("T.3", limit_unit="weeks")])

    report = catalogue_import(content=content, filename="c.csv", actor=users["bientap"], dry_run=False)

    assert [(e.row, e.column) for e in report.errors] == [(4, "limit_unit")]
    assert not report.applied
    assert not Procedure.objects.exists()
    assert not Field.objects.filter(code="TN").exists()
    assert not AuditEntry.objects.filter(action="catalogue.import").exists()


def test_the_same_code_twice_in_a_file_is_an_error_on_the_second_row(org, users):
    content = _csv([_row("T.1"), _row("T.2"), _row("T.1", name="Tên khác")])

    report = catalogue_import(content=content, filename="c.csv", actor=users["bientap"], dry_run=False)

    assert [(e.row, e.column) for e in report.errors] == [(4, "code")]
    assert "dòng 2" in report.errors[0].message
    assert not Procedure.objects.exists()


def test_a_specialist_without_catalogue_rights_gets_a_permission_error_per_row(org, users):
    content = _csv([_row("T.1"), _row("T.2")])

    specialist = users["chuyenvien.xaydung"]
    report = catalogue_import(content=content, filename="c.csv", actor=specialist, dry_run=True)

    assert [(e.row, e.column) for e in report.errors] == [(2, "agencies"), (3, "agencies")]
    assert all("quyền" in e.message for e in report.errors)
    assert not Procedure.objects.exists()


def test_a_valid_dry_run_reports_what_it_would_do_and_writes_nothing(org, users):
    content = _csv([_row("T.1"), _row("T.2")])

    report = catalogue_import(content=content, filename="c.csv", actor=users["bientap"], dry_run=True)

    assert report.errors == [] and report.created == 2 and not report.applied
    assert not Procedure.objects.exists()


def test_a_new_field_without_a_name_is_refused_on_the_field_column(org, users):
    content = _csv([_row("T.1", field="MOI", field_name="")])

    report = catalogue_import(content=content, filename="c.csv", actor=users["bientap"])

    assert [(e.row, e.column) for e in report.errors] == [(2, "field")]


# Whole-file refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("filename", ["catalogue.xlsx", "catalogue.csv", "catalogue"])
def test_binary_content_is_refused_whatever_its_name(db, filename):
    with pytest.raises(InvalidInput):
        read_rows(content=PNG, filename=filename)


def test_a_file_named_xlsx_that_is_not_a_workbook_says_so(db):
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")

    with pytest.raises(InvalidInput, match="xlsx"):
        read_rows(content=not_a_workbook.getvalue(), filename="catalogue.xlsx")
    with pytest.raises(InvalidInput, match="xlsx"):
        read_rows(content=_csv([_row("T.1")]), filename="catalogue.xlsx")


def test_a_damaged_workbook_is_refused(db):
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml")

    with pytest.raises(InvalidInput, match="hỏng"):
        read_rows(content=damaged.getvalue(), filename="catalogue.xlsx")


@pytest.mark.parametrize("content", [b"", "\ufeff".encode(), _csv([])])
def test_an_empty_file_is_refused(db, content):
    with pytest.raises(InvalidInput):
        read_rows(content=content, filename="catalogue.csv")


def test_a_file_over_the_size_limit_is_refused(db, settings):
    content = _csv([_row("T.1"), _row("T.2")])
    settings.CATALOGUE_IMPORT_MAX_BYTES = len(content) - 1

    with pytest.raises(InvalidInput, match="giới hạn"):
        read_rows(content=content, filename="catalogue.csv")
    settings.CATALOGUE_IMPORT_MAX_BYTES = len(content)
    assert len(read_rows(content=content, filename="catalogue.csv")) == 2


def test_missing_header_columns_are_all_named(db):
    columns = [c for c in COLUMNS if c not in ("fees", "steps")]

    with pytest.raises(InvalidInput) as refused:
        read_rows(content=_csv([_row("T.1")], columns=columns), filename="catalogue.csv")

    assert "fees" in refused.value.message and "steps" in refused.value.message
    assert "components" not in refused.value.message


def test_more_rows_than_the_limit_are_refused(db):
    content = _csv([{"code": f"T.{i}"} for i in range(MAX_ROWS + 1)])

    with pytest.raises(InvalidInput, match="5.000"):
        read_rows(content=content, filename="catalogue.csv")
    at_limit = _csv([{"code": f"T.{i}"} for i in range(MAX_ROWS)])
    assert len(read_rows(content=at_limit, filename="catalogue.csv")) == MAX_ROWS


def test_row_numbers_count_the_header_and_skip_nothing_but_blank_rows(db):
    rows = read_rows(content=_csv([_row("T.1"), {}, _row("T.2")], delimiter=";"), filename="c.csv")

    assert [(r[ROW], r["code"]) for r in rows] == [(2, "T.1"), (4, "T.2")]


# Commands -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_command_writes_the_published_catalogue(catalogue, tmp_path, fmt):
    output = tmp_path / f"catalogue.{fmt}"

    call_command("export_catalogue", "--format", fmt, "--output", str(output), stdout=io.StringIO())

    rows = read_rows(content=output.read_bytes(), filename=output.name)
    assert sorted(r["code"] for r in rows) == sorted(v.procedure.code for v in catalogue)


def test_import_command_is_a_dry_run_unless_told_to_apply(org, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(_csv([_row("T.1"), _row("T.2")]))

    call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Procedure.objects.exists()

    call_command("import_catalogue", str(path), "--apply", stdout=io.StringIO(), stderr=io.StringIO())
    assert set(Procedure.objects.values_list("code", flat=True)) == {"T.1", "T.2"}


def test_import_command_prints_every_error_and_fails(org, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(_csv([_row("T.1"), _row("T.2", levels="tinh"), _row("T.3", limit_unit="weeks")]))
    errors = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path), "--apply", stdout=io.StringIO(), stderr=errors)

    assert "row 3, levels:" in errors.getvalue()
    assert "row 4, limit_unit:" in errors.getvalue()
    assert not Procedure.objects.exists()


def test_import_command_fails_on_a_file_it_cannot_read(db, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(PNG)

    with pytest.raises(CommandError, match="xlsx"):
        call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(tmp_path / "missing.csv"), stdout=io.StringIO())
