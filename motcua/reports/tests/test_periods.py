"""Periods read from query parameters: month, quarter, year and custom dates, their labels and the period before."""
from datetime import date

import pytest
import time_machine

from motcua.dossiers.tests.conftest import local
from motcua.reports.periods import PeriodError, choices, parse_period


def test_a_month_a_quarter_and_a_year_with_their_labels():
    december = parse_period({"period": "2026-12"})
    assert (december.start, december.end, december.label) == (date(2026, 12, 1), date(2026, 12, 31), "Tháng 12/2026")
    q4 = parse_period({"period": "2026-Q4"})
    assert (q4.start, q4.end, q4.label) == (date(2026, 10, 1), date(2026, 12, 31), "Quý IV/2026")
    year = parse_period({"period": "2026"})
    assert (year.start, year.end, year.label) == (date(2026, 1, 1), date(2026, 12, 31), "Năm 2026")
    assert parse_period({"period": "2028-02"}).end == date(2028, 2, 29)  # a leap year


def test_custom_dates_in_day_month_year():
    period = parse_period({"from": "15/11/2026", "to": "14/12/2026", "period": "2026"})  # the dates win
    assert (period.kind, period.start, period.end) == ("custom", date(2026, 11, 15), date(2026, 12, 14))
    assert period.label == "Từ 15/11/2026 đến 14/12/2026"
    assert period.params() == {"from": "15/11/2026", "to": "14/12/2026"}


def test_the_previous_period_has_the_same_length():
    assert parse_period({"period": "2026-01"}).previous().label == "Tháng 12/2025"
    assert parse_period({"period": "2026-Q1"}).previous().label == "Quý IV/2025"
    assert parse_period({"period": "2026-Q3"}).previous().label == "Quý II/2026"
    assert parse_period({"period": "2026"}).previous().label == "Năm 2025"
    custom = parse_period({"from": "11/12/2026", "to": "20/12/2026"}).previous()
    assert (custom.start, custom.end) == (date(2026, 12, 1), date(2026, 12, 10))


def test_the_default_is_the_current_quarter():
    with time_machine.travel(local(2026, 12, 3, 9, 0), tick=False):
        assert parse_period({}).label == "Quý IV/2026"
        assert parse_period({"period": ""}, default=parse_period({"period": "2026"})).label == "Năm 2026"
        groups = dict(choices())
    assert groups["Tháng"][0] == ("2026-12", "Tháng 12/2026")
    assert groups["Quý"][:2] == [("2026-Q4", "Quý IV/2026"), ("2026-Q3", "Quý III/2026")]
    assert groups["Năm"][0] == ("2026", "Năm 2026")


@pytest.mark.parametrize(("params", "says"), [
    ({"period": "2026-13"}, "Tháng phải từ 1 đến 12"),
    ({"period": "2026-Q5"}, "không hợp lệ"),
    ({"period": "quy 4"}, "không hợp lệ"),
    ({"period": "1899"}, "nằm ngoài khoảng"),
    ({"from": "31/12/2026"}, "cả ngày bắt đầu và ngày kết thúc"),
    ({"from": "2026-12-01", "to": "31/12/2026"}, "ngày/tháng/năm"),
    ({"from": "31/02/2026", "to": "31/12/2026"}, "ngày/tháng/năm"),
    ({"from": "31/12/2026", "to": "01/12/2026"}, "phải trước hoặc bằng"),
    ({"from": "01/01/2020", "to": "31/12/2026"}, "tối đa 3 năm"),
])
def test_bad_input_says_what_is_wrong(params, says):
    with pytest.raises(PeriodError, match=says):
        parse_period(params)


def test_a_page_may_allow_only_some_kinds():
    with pytest.raises(PeriodError, match="quý hoặc năm"):
        parse_period({"period": "2026-12"}, kinds=("quarter", "year"))
    with pytest.raises(PeriodError, match="quý hoặc năm"):
        parse_period({"from": "01/12/2026", "to": "31/12/2026"}, kinds=("quarter", "year"))
