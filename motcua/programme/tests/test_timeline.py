"""Every timeline of the shipped appendix parses to the date written out here, or is flagged on purpose."""
import csv
from datetime import date

import pytest

from motcua.programme.tests.conftest import TASKS_CSV
from motcua.programme.timeline import parse

D = date
# (year, number): (due, yearly span or None, recurring)
EXPECTED = {
    (2016, 1): (D(2016, 9, 30), None, False), (2016, 2): (D(2016, 12, 31), None, False),
    (2016, 3): (D(2016, 12, 31), None, False), (2016, 4): (D(2016, 9, 30), None, False),
    (2016, 5): (D(2016, 12, 31), None, False), (2016, 6): (D(2016, 6, 30), None, False),
    (2016, 7): (D(2016, 12, 31), None, False), (2016, 8): (D(2020, 12, 31), (2016, 2020), False),
    (2016, 9): (D(2016, 6, 30), None, False), (2016, 10): (D(2016, 12, 31), None, False),
    (2016, 11): (D(2016, 12, 31), None, False), (2016, 12): (D(2016, 9, 30), None, False),
    (2016, 13): (D(2016, 9, 30), None, False), (2016, 14): (D(2016, 9, 30), None, False),
    (2016, 15): (D(2016, 12, 31), None, False), (2016, 16): (D(2016, 12, 31), None, False),
    (2016, 17): (D(2016, 9, 30), None, False), (2016, 18): (D(2016, 9, 30), None, False),
    (2016, 19): (D(2016, 6, 30), None, False), (2016, 20): (D(2016, 12, 31), None, False),
    (2016, 21): (D(2016, 12, 31), None, False), (2016, 22): (D(2016, 12, 31), None, False),
    (2016, 23): (D(2016, 6, 30), None, False), (2016, 24): (D(2020, 12, 31), (2016, 2020), False),
    (2016, 25): (D(2016, 9, 30), None, False), (2016, 26): (D(2016, 12, 31), (2016, 2020), True),
    (2016, 27): (D(2016, 9, 30), None, False), (2016, 28): (D(2016, 12, 31), None, False),
    (2016, 29): (D(2016, 9, 30), None, False), (2016, 30): (D(2016, 9, 30), None, False),
    (2017, 1): (D(2017, 3, 31), None, False), (2017, 2): (D(2020, 12, 31), (2017, 2020), False),
    (2017, 3): (D(2017, 3, 31), None, False), (2017, 4): (D(2017, 6, 30), None, False),
    (2017, 5): (D(2017, 3, 31), None, False), (2017, 6): (D(2017, 3, 31), None, False),
    (2017, 7): (D(2017, 9, 30), None, False), (2017, 8): (D(2017, 6, 30), None, False),
    (2017, 9): (D(2017, 3, 31), None, False), (2017, 10): (D(2017, 6, 30), None, False),
    (2017, 11): (D(2017, 12, 31), None, False), (2017, 12): (D(2017, 3, 31), None, False),
    (2017, 13): (D(2017, 3, 31), None, False), (2017, 14): (D(2017, 6, 30), None, False),
    (2017, 15): (D(2017, 3, 31), None, False), (2017, 16): (D(2017, 12, 31), (2017, 2020), True),
    (2017, 17): (D(2017, 6, 30), None, False), (2017, 18): (D(2017, 6, 30), None, False),
    (2017, 19): (D(2017, 12, 31), None, False), (2017, 20): (D(2017, 12, 31), None, False),
    (2017, 21): (D(2017, 12, 31), None, False),
    (2017, 22): (D(2017, 12, 31), None, True),  # "Trong quý IV/2017; Từ quý IV/2017": due Q4, then every quarter
    (2017, 23): (D(2017, 3, 31), None, False), (2017, 24): (D(2017, 12, 31), None, False),
    (2017, 25): (D(2017, 9, 30), None, False),
    (2018, 1): (D(2019, 12, 31), (2018, 2019), False), (2018, 2): (D(2018, 6, 30), None, False),
    (2018, 3): (D(2018, 12, 31), None, False), (2018, 4): (D(2018, 9, 30), None, False),
    (2018, 5): (D(2018, 6, 30), None, False),
    (2018, 6): (D(2018, 12, 31), None, False),  # "Trong năm 2018 ít nhất…": the condition kept as a note
    (2018, 7): (D(2018, 9, 30), None, False),
    (2019, 1): (D(2019, 6, 30), None, False), (2019, 2): (D(2019, 6, 30), None, False),
    (2019, 3): (D(2019, 3, 31), None, False), (2019, 4): (D(2019, 12, 31), None, False),
    (2019, 5): (D(2019, 12, 31), (2019, 2020), True), (2019, 6): (D(2019, 3, 31), None, False),
    (2019, 7): (D(2019, 12, 31), None, False),
}


def shipped():
    with TASKS_CSV.open(encoding="utf-8") as handle:
        return [(int(r["year"]), int(r["number"]), r["timeline"]) for r in csv.DictReader(handle)]


def test_the_expectations_cover_all_69_shipped_timelines():
    assert len(shipped()) == 69
    assert {(y, n) for y, n, _t in shipped()} == set(EXPECTED)


@pytest.mark.parametrize(("year", "number", "text"), shipped())
def test_each_shipped_timeline_parses_to_its_written_expectation(year, number, text):
    due, span, recurring = EXPECTED[(year, number)]
    parsed = parse(text, year)
    assert not parsed.unparsed
    assert parsed.due == due
    assert parsed.recurring is recurring
    if span:
        assert parsed.yearly and (parsed.span_start, parsed.span_end) == span


@pytest.mark.parametrize(("text", "due"), [
    ("Quý III", D(2016, 9, 30)), ("Quý III, IV", D(2016, 12, 31)), ("Quý  I ,  Quý IV", D(2016, 12, 31)),
    ("Hoàn thành chậm nhất quý III/2018", D(2018, 9, 30)), ("Từ 2017 – 2020", D(2020, 12, 31)),
    ("Giai đoạn 2016 - 2020", D(2020, 12, 31)), ("Trong năm 2017", D(2017, 12, 31)),
])
def test_odd_spacing_and_dashes_are_read_as_the_plain_forms(text, due):
    assert parse(text, 2016).due == due


def test_a_recurring_timeline_is_reported_yearly_to_the_programme_end():
    parsed = parse("Từ năm 2016 và các năm tiếp theo", 2016)
    assert parsed.recurring and parsed.yearly and (parsed.span_start, parsed.span_end) == (2016, 2020)


@pytest.mark.parametrize("text", ["Khi có hướng dẫn của Bộ", "", "Sau khi Đề án được duyệt"])
def test_what_matches_no_rule_is_kept_and_flagged_for_a_person(text):
    parsed = parse(text, 2016)
    assert parsed.unparsed and parsed.due is None
