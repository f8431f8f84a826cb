"""Reading a programme file (the shipped CSVs, or an XLSX laid out like a decision's appendix) into a plan.

`read(name, content)` returns a `Plan`: every row with what was understood and every problem. Nothing is written
here; `services.programme_import` applies a plan without errors, all or nothing.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.programme import timeline as tl
from motcua.programme.matching import Matcher
from motcua.text import fold

TASK_COLUMNS = ["year", "number", "content", "timeline", "lead_agency", "coordinating_agencies"]
TARGET_COLUMNS = ["period", "indicator", "target_value", "unit", "text"]
XLSX_HEADER = ["tt", "noi dung va ket qua dau ra", "lo trinh trien khai", "co quan chu tri tham muu",
               "co quan phoi hop trien khai thuc hien"]
_SECTION = re.compile(r"^(?:[ivx]+\s+)?nam\s+(\d{4})$")


@dataclass
class Row:
    line: int
    year: int | None
    number: int | None
    content: str = ""
    timeline: str = ""
    lead: str = ""
    coordinating: str = ""
    parsed: tl.Timeline | None = None
    leads: list = field(default_factory=list)
    coordinators: list = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    outcome: str = ""  # new / unchanged / changed
    changes: dict = field(default_factory=dict)


@dataclass
class TargetRow:
    line: int
    period: str
    start_year: int
    end_year: int
    indicator: str
    target_value: Decimal
    unit: str
    text: str
    key: str = ""
    params: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    outcome: str = ""


@dataclass
class Plan:
    kind: str  # tasks / targets
    rows: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def unmatched(self) -> list[str]:
        from motcua.programme.matching import norm

        names: dict[str, str] = {}
        for row in self.rows:
            for name in getattr(row, "unmatched", []):
                names.setdefault(norm(name), name)
        return list(names.values())

    def counts(self) -> dict:
        out = {"new": 0, "changed": 0, "unchanged": 0}
        for row in self.rows:
            if row.outcome in out:
                out[row.outcome] += 1
        return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _rows_from_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    text = content.decode("utf-8-sig")
    reader = list(csv.reader(io.StringIO(text)))
    if not reader:
        return [], []
    return [h.strip() for h in reader[0]], reader[1:]


def _task_rows_from_xlsx(content: bytes, errors: list[str]) -> list[Row]:
    """Title rows are skipped up to the header; section rows set the year; a row without TT continues the task above;
    a merged cell's value counts for every row it covers, except on continuation rows (it was already taken)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), data_only=True).worksheets[0]
    merged_fill: dict[tuple[int, int], str] = {}
    for span in sheet.merged_cells.ranges:
        value = _cell(sheet.cell(span.min_row, span.min_col).value)
        for r in range(span.min_row, span.max_row + 1):
            for c in range(span.min_col, span.max_col + 1):
                if (r, c) != (span.min_row, span.min_col):
                    merged_fill[(r, c)] = value
    header_at = None
    rows: list[Row] = []
    year = None
    for r in range(1, sheet.max_row + 1):
        cells = [_cell(sheet.cell(r, c).value) or merged_fill.get((r, c), "") for c in range(1, 6)]
        own = [_cell(sheet.cell(r, c).value) for c in range(1, 6)]
        if header_at is None:
            if [fold(c) for c in cells[:5]] == XLSX_HEADER:
                header_at = r
            continue
        if not any(cells):
            continue
        joined = fold(" ".join(dict.fromkeys(c for c in cells if c)))
        section = _SECTION.match(joined)
        if section:
            year = int(section.group(1))
            continue
        first = cells[0]
        if own[0] and re.fullmatch(r"\d+", first):
            rows.append(Row(line=r, year=year, number=int(first), content=cells[1], timeline=cells[2],
                            lead=cells[3], coordinating=cells[4]))
            if year is None:
                rows[-1].problems.append(_("Dòng nhiệm vụ đứng trước mọi dòng năm (\"I | NĂM 2016\")."))
        elif rows and not own[0]:
            last = rows[-1]
            for attr, index in (("content", 1), ("timeline", 2), ("lead", 3), ("coordinating", 4)):
                if own[index]:
                    # Text wraps onto the next row; in the agency columns each row names one more agency.
                    glue = "; " if index >= 3 and getattr(last, attr) else " "
                    setattr(last, attr, f"{getattr(last, attr)}{glue}{own[index]}".strip())
        else:
            errors.append(_("Dòng %(line)s: không hiểu được (TT \"%(tt)s\").") % {"line": r, "tt": first})
    if header_at is None:
        errors.append(_("Không tìm thấy dòng tiêu đề \"TT | Nội dung và kết quả đầu ra | Lộ trình triển khai | "
                        "Cơ quan chủ trì tham mưu | Cơ quan phối hợp triển khai thực hiện\"."))
    return rows


def _task_rows_from_csv(header: list[str], body: list[list[str]], errors: list[str]) -> list[Row]:
    missing = [c for c in TASK_COLUMNS if c not in header]
    if missing:
        errors.append(_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
        return []
    rows = []
    for index, values in enumerate(body, start=2):
        if not any(v.strip() for v in values):
            continue
        data = dict(zip(header, [" ".join(v.split()) for v in values], strict=False))
        row = Row(line=index, year=None, number=None, content=data.get("content", ""), timeline=data["timeline"],
                  lead=data["lead_agency"], coordinating=data["coordinating_agencies"])
        try:
            row.year, row.number = int(data["year"]), int(data["number"])
        except ValueError:
            row.problems.append(_("Năm hoặc TT không phải số."))
        rows.append(row)
    return rows


def _understand(rows: list[Row]) -> None:
    from motcua.programme.models import Task

    matcher = Matcher()
    seen = set()
    existing = {(t.section.year, t.number): t for t in Task.objects.select_related("section").prefetch_related(
        "agencies__agency")}
    for row in rows:
        if not row.content:
            row.problems.append(_("Thiếu nội dung nhiệm vụ."))
        if row.year is not None and row.number is not None:
            if (row.year, row.number) in seen:
                row.problems.append(_("Trùng số thứ tự %(n)s trong năm %(y)s.") % {"n": row.number, "y": row.year})
            seen.add((row.year, row.number))
            row.parsed = tl.parse(row.timeline, row.year)
        row.leads, unmatched_lead, _ignored = matcher.match_all(row.lead)
        row.coordinators, unmatched_coord, _ignored2 = matcher.match_all(row.coordinating)
        row.unmatched = unmatched_lead + [n for n in unmatched_coord if n not in unmatched_lead]
        if row.problems:
            row.outcome = "error"
            continue
        task = existing.get((row.year, row.number))
        row.changes = diff(task, row)
        row.outcome = "new" if task is None else ("changed" if row.changes else "unchanged")


def task_fields(row: Row) -> dict:
    t = row.parsed
    return {
        "content": row.content, "timeline": row.timeline, "lead_text": row.lead, "coordinating_text": row.coordinating,
        "due": t.due.isoformat() if t.due else None, "span_start": t.span_start, "span_end": t.span_end,
        "recurring": t.recurring, "yearly": t.yearly, "unparsed": t.unparsed, "timeline_note": t.note,
        "unmatched_names": row.unmatched,
        "leads": sorted(a.code for a, _p in row.leads),
        "coordinators": sorted({a.code for a, _p in row.coordinators} - {a.code for a, _p in row.leads}),
    }


def current_fields(task) -> dict:
    agencies = list(task.agencies.all())
    return {
        "content": task.content, "timeline": task.timeline, "lead_text": task.lead_text,
        "coordinating_text": task.coordinating_text, "due": task.due.isoformat() if task.due else None,
        "span_start": task.span_start, "span_end": task.span_end, "recurring": task.recurring, "yearly": task.yearly,
        "unparsed": task.unparsed, "timeline_note": task.timeline_note, "unmatched_names": task.unmatched_names,
        "leads": sorted(ta.agency.code for ta in agencies if ta.role == "lead"),
        "coordinators": sorted(ta.agency.code for ta in agencies if ta.role == "coordinator"),
    }


def diff(task, row: Row) -> dict:
    if task is None:
        return {}
    before, after = current_fields(task), task_fields(row)
    if row.parsed and row.parsed.unparsed and task.unparsed and task.due and row.timeline == task.timeline:
        after["due"] = before["due"]  # a date a person gave for an unreadable timeline survives re-imports
    return {k: [before[k], after[k]] for k in after if before[k] != after[k]}


# Section I.2 targets and the live indicator (motcua.reports.indicators) that measures each, by its English gloss.
# The four procedures of appendix task 2019/2 in the demo catalogue: business registration (DN tư nhân), driving
# licence, judicial record; no investment-certificate procedure is in the demo catalogue.
ONLINE_SHARE_CODES = ["1.010027.000.00.00.H47", "1.002804.000.00.00.H47", "1.001417.000.00.00.H47"]
KEY_RULES = [
    ("dossiers resolved on time", "dossiers.on_time_rate", {}),
    ("reduction of total processing time", "dossiers.time_cut", {}),
    ("satisfaction with services of public non-business units", "surveys.satisfaction_rate", {}),
    ("satisfaction of individuals/organisations", "ratings.satisfaction_rate", {}),
    ("level 3", "catalogue.online_partial_count", {}),
    ("level-3", "catalogue.online_partial_count", {}),
    ("level 4", "catalogue.online_full_count", {}),
    ("level-4", "catalogue.online_full_count", {}),
    ("departments/agencies and districts/towns/cities with electronic one-stop software",
     "agencies.one_stop_coverage", {"agency_kinds": ["department", "district"]}),
    ("using electronic one-stop software", "agencies.one_stop_coverage", {"agency_kinds": ["commune"]}),
    ("communes/wards/townships with electronic one-stop software", "agencies.one_stop_coverage",
     {"agency_kinds": ["commune"]}),
    ("online dossier rate", "dossiers.online_share", {"procedure_codes": ONLINE_SHARE_CODES}),
]


def indicator_key(indicator: str) -> tuple[str, dict]:
    low = indicator.lower()
    for needle, key, params in KEY_RULES:
        if needle in low:
            return key, dict(params)
    return "", {}


def _target_rows(header, body, errors) -> list[TargetRow]:
    from motcua.programme.models import Target

    missing = [c for c in TARGET_COLUMNS if c not in header]
    if missing:
        errors.append(_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
        return []
    existing = {t.number: t for t in Target.objects.all()}
    rows = []
    for number, values in enumerate(body, start=1):
        data = dict(zip(header, [" ".join(v.split()) for v in values], strict=False))
        years = [int(y) for y in re.findall(r"\d{4}", data["period"])]
        problems = []
        try:
            value = Decimal(data["target_value"])
        except InvalidOperation:
            value, problems = Decimal(0), [_("Giá trị mục tiêu không phải số.")]
        if not years:
            years, problems = [0], problems + [_("Không đọc được giai đoạn.")]
        key, params = indicator_key(data["indicator"])
        row = TargetRow(line=number + 1, period=data["period"], start_year=years[0], end_year=years[-1],
                        indicator=data["indicator"], target_value=value, unit=data["unit"], text=data["text"],
                        key=key, params=params, problems=problems)
        old = existing.get(number)
        if problems:
            row.outcome = "error"
        elif old is None:
            row.outcome = "new"
        else:
            same = (old.period, old.indicator, old.target_value, old.unit, old.text, old.key, old.params) == (
                row.period, row.indicator, row.target_value, row.unit, row.text, row.key, row.params)
            row.outcome = "unchanged" if same else "changed"
        rows.append(row)
    return rows


def read(name: str, content: bytes) -> Plan:
    """The plan for a file: tasks (CSV or XLSX appendix) or targets (CSV with a `period` column)."""
    errors: list[str] = []
    if content.startswith(b"PK\x03\x04"):
        rows = _task_rows_from_xlsx(content, errors)
        plan = Plan(kind="tasks", rows=rows, errors=errors)
    else:
        try:
            header, body = _rows_from_csv(content)
        except UnicodeDecodeError:
            return Plan(kind="tasks", errors=[_("Tệp không phải CSV UTF-8 hay XLSX.")])
        if "period" in header:
            return Plan(kind="targets", rows=_target_rows(header, body, errors), errors=errors)
        plan = Plan(kind="tasks", rows=_task_rows_from_csv(header, body, errors), errors=errors)
    _understand(plan.rows)
    for row in plan.rows:
        for problem in row.problems:
            plan.errors.append(_("Dòng %(line)s: %(problem)s") % {"line": row.line, "problem": problem})
    if plan.kind == "tasks" and not plan.rows and not plan.errors:
        plan.errors.append(_("Tệp không có nhiệm vụ nào."))
    return plan
