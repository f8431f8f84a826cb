"""Property tests of the catalogue import parsers: whatever the file, rows or InvalidInput, never a crash."""
import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from motcua.catalogue.transfer import COLUMNS, _parse, read_rows
from motcua.errors import InvalidInput

bounded = settings(derandomize=True, max_examples=120, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
cells = st.text(max_size=40) | st.sampled_from(["", "x|y|z", "1", "-3", "ngày", "DVC4", "a\nb", "=SUM(A1)"])
names = st.sampled_from(["t.csv", "t.xlsx", "t.txt", "", "../../t.csv"])


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])  # what a workbook can hold
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_or_refuse(content: bytes, filename: str):
    try:
        return read_rows(content=content, filename=filename)
    except InvalidInput as exc:
        assert exc.message
        return None


@bounded
@given(content=st.binary(max_size=2000), filename=names)
def test_any_bytes_are_rows_or_a_clear_refusal(content, filename):
    read_or_refuse(content, filename)


@bounded
@given(rows=st.lists(st.lists(cells, max_size=22), max_size=6), filename=names)
def test_any_csv_table_is_rows_or_a_clear_refusal(rows, filename):
    read_or_refuse(as_csv(rows), filename)


@bounded
@given(rows=st.lists(st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)), min_size=1, max_size=4),
       cut=st.integers(min_value=0, max_value=4000))
def test_xlsx_tables_whole_or_truncated_are_rows_or_a_clear_refusal(rows, cut):
    content = as_xlsx([list(COLUMNS), *rows])
    read_or_refuse(content, "t.xlsx")
    read_or_refuse(content[:cut], "t.xlsx")


@pytest.mark.django_db
@bounded
@given(rows=st.lists(st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)), min_size=1, max_size=4))
def test_any_row_under_a_valid_header_is_a_procedure_or_row_errors(rows):
    records = read_or_refuse(as_csv([list(COLUMNS), *rows]), "t.csv")
    if records is None:
        return
    errors = []
    specs = _parse(records, errors)
    assert len(specs) + len({e.row for e in errors}) >= 1
    assert all(e.message for e in errors)
