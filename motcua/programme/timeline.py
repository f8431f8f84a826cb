"""Reading a task's timeline as the appendix writes it ("Quý III", "Từ 2017-2020", ...) into a due date.

Rules (issue 10): an undated quarter belongs to the section's year and is due on its last day ("Quý III" → 30/9);
several quarters → the last one named; "Quý III/2018" or "chậm nhất quý III/2018" carry their own year; "Từ
2017-2020", "Giai đoạn 2016-2020" are spans due at their end and reported on yearly; "Trong năm 2017" is due on
31/12/2017; "Từ năm 2016 và các năm tiếp theo", "Triển khai từ 2019" recur yearly from that year. Dashes and
spacing left by scans are ignored (the text is folded first). What matches no rule is kept as written and flagged
so that a person gives the date.
"""
import re
from dataclasses import dataclass
from datetime import date

from motcua.text import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
PROGRAMME_END = 2020  # QĐ 1908 covers 2016–2020: recurring tasks are followed until then


@dataclass(frozen=True)
class Timeline:
    due: date | None
    span_start: int | None = None
    span_end: int | None = None
    recurring: bool = False
    yearly: bool = False  # reported on once a year rather than each quarter
    unparsed: bool = False
    note: str = ""


def quarter_end(year: int, quarter: int) -> date:
    month, day = QUARTER_END[quarter]
    return date(year, month, day)


_Q = r"quy\s+(iv|iii|ii|i)\b(?:\s+(\d{4}))?"
_SPAN = re.compile(r"(?:tu|giai doan|ca giai doan)\s+(?:nam\s+)?(\d{4})\s+(\d{4})")
_FROM = re.compile(r"tu\s+(?:nam\s+)?(\d{4})")
_IN_YEAR = re.compile(r"trong nam\s+(\d{4})")
_QUARTERS = re.compile(r"(?:quy\s+|\s)(iv|iii|ii|i)\b(?:\s+(\d{4}))?")


def parse(text: str, section_year: int) -> Timeline:
    """What `text` means for a task of the section of `section_year`."""
    folded = fold(text)
    if not folded:
        return Timeline(due=None, unparsed=True, note="empty")
    span = _SPAN.search(folded)
    if span:
        first, last = int(span.group(1)), int(span.group(2))
        if first <= last:
            return Timeline(due=date(last, 12, 31), span_start=first, span_end=last, yearly=True)
    first_part = folded.split(" tu ")[0] if folded.startswith("trong quy") else folded
    if re.search(r"\bquy\s+(iv|iii|ii|i)\b", first_part):
        quarters = []
        explicit_year = None
        for match in _QUARTERS.finditer(" " + first_part[first_part.index("quy"):]):
            quarters.append(ROMAN[match.group(1)])
            if match.group(2):
                explicit_year = int(match.group(2))
        if quarters:
            year = explicit_year or section_year
            recurring = "tu quy" in folded
            rest = text.split(";", 1)[1].strip() if ";" in text else ""
            return Timeline(due=quarter_end(year, quarters[-1]), recurring=recurring,
                            span_start=year if recurring else None, span_end=PROGRAMME_END if recurring else None,
                            note=rest)
    in_year = _IN_YEAR.search(folded)
    if in_year:
        year = int(in_year.group(1))
        tail = folded[in_year.end():].strip()
        return Timeline(due=date(year, 12, 31), note=text[len(text) - len(tail):].strip() if tail else "")
    start = _FROM.search(folded)
    if start:
        year = int(start.group(1))
        return Timeline(due=date(year, 12, 31), span_start=year, span_end=PROGRAMME_END, recurring=True, yearly=True)
    return Timeline(due=None, unparsed=True, note="no rule matched")
