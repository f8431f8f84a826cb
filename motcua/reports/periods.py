"""The period a report is about: parsed from query parameters (month, quarter, year or custom dates), its Vietnamese
label and the previous period of the same length (for comparisons)."""
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from motcua import clock
from motcua.workcal.services import to_local

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")
YEAR_RE = re.compile(r"^(\d{4})$")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DAYS = 3 * 366 + 1  # a custom period of at most about three years


class PeriodError(ValueError):
    """A period that cannot be read; the message is for the person who typed it (Vietnamese)."""


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "quarter" | "year" | "custom"
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Tháng %(m)02d/%(y)s") % {"m": self.start.month, "y": self.start.year}
        if self.kind == "quarter":
            return _("Quý %(q)s/%(y)s") % {"q": ROMAN[(self.start.month - 1) // 3 + 1], "y": self.start.year}
        if self.kind == "year":
            return _("Năm %(y)s") % {"y": self.start.year}
        return _("Từ %(start)s đến %(end)s") % {"start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}

    @property
    def token(self) -> str:
        """The `period` parameter that names it ("" for a custom period, which travels as from/to)."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def params(self) -> dict[str, str]:
        """Query parameters that give this period back through `parse_period`."""
        if self.kind == "custom":
            return {"from": f"{self.start:%d/%m/%Y}", "to": f"{self.end:%d/%m/%Y}"}
        return {"period": self.token}

    def previous(self) -> "Period":
        """The period of the same length just before: the month, quarter or year before, or as many days."""
        if self.kind == "month":
            return month(*(_shift_month(self.start.year, self.start.month, -1)))
        if self.kind == "quarter":
            y, m = _shift_month(self.start.year, self.start.month, -3)
            return quarter(y, (m - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period("custom", end - timedelta(days=self.days - 1), end)


def _shift_month(y: int, m: int, by: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + by
    return index // 12, index % 12 + 1


def _check_year(y: int) -> None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise PeriodError(_("Năm %(y)s nằm ngoài khoảng %(lo)s–%(hi)s.") % {"y": y, "lo": MIN_YEAR, "hi": MAX_YEAR})


def month(y: int, m: int) -> Period:
    _check_year(y)
    if not 1 <= m <= 12:
        raise PeriodError(_("Tháng phải từ 1 đến 12."))
    return Period("month", date(y, m, 1), date(y, m, monthrange(y, m)[1]))


def quarter(y: int, q: int) -> Period:
    _check_year(y)
    if not 1 <= q <= 4:
        raise PeriodError(_("Quý phải từ I đến IV."))
    first = 3 * (q - 1) + 1
    return Period("quarter", date(y, first, 1), date(y, first + 2, monthrange(y, first + 2)[1]))


def year(y: int) -> Period:
    _check_year(y)
    return Period("year", date(y, 1, 1), date(y, 12, 31))


def custom(start: date, end: date) -> Period:
    if start > end:
        raise PeriodError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
    _check_year(start.year)
    _check_year(end.year)
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(_("Khoảng ngày tự chọn dài tối đa 3 năm."))
    return Period("custom", start, end)


def parse_token(token: str) -> Period:
    """"2026-12" (month), "2026-Q4" (quarter) or "2026" (year)."""
    token = (token or "").strip()
    if m := MONTH_RE.match(token):
        return month(int(m[1]), int(m[2]))
    if m := QUARTER_RE.match(token):
        return quarter(int(m[1]), int(m[2]))
    if m := YEAR_RE.match(token):
        return year(int(m[1]))
    raise PeriodError(_("Kỳ “%(value)s” không hợp lệ: hãy chọn tháng (2026-12), quý (2026-Q4) hoặc năm (2026).")
                      % {"value": token[:20]})


def parse_date(value: str, what: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise PeriodError(_("%(what)s “%(value)s” không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.")
                          % {"what": what, "value": value[:20]}) from None


def today() -> date:
    return to_local(clock.now()).date()


def current_quarter(on: date | None = None) -> Period:
    on = on or today()
    return quarter(on.year, (on.month - 1) // 3 + 1)


def parse_period(params, *, default: Period | None = None, kinds=("month", "quarter", "year", "custom")) -> Period:
    """The period named by `params` (a QueryDict or dict): `from`/`to` (dd/mm/yyyy) when either is given, else
    `period` ("2026-12", "2026-Q4", "2026"), else `default` (the current quarter). Raises PeriodError."""
    start_text, end_text = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if start_text or end_text:
        if "custom" not in kinds:
            raise PeriodError(_("Trang này chỉ xem theo quý hoặc năm."))
        if not (start_text and end_text):
            raise PeriodError(_("Hãy nhập cả ngày bắt đầu và ngày kết thúc."))
        return custom(parse_date(start_text, _("Từ ngày")), parse_date(end_text, _("Đến ngày")))
    token = (params.get("period") or "").strip()
    if not token:
        return default or current_quarter()
    period = parse_token(token)
    if period.kind not in kinds:
        raise PeriodError(_("Trang này chỉ xem theo quý hoặc năm."))
    return period


def choices(on: date | None = None, *, months: int = 12, quarters: int = 8, years: int = 4,
            kinds=("month", "quarter", "year")) -> list[tuple[str, list[tuple[str, str]]]]:
    """Recent periods for a <select>, grouped: (group label, [(token, label)]), newest first."""
    on = on or today()
    groups = []
    if "month" in kinds:
        items = [month(*_shift_month(on.year, on.month, -i)) for i in range(months)]
        groups.append((_("Tháng"), [(p.token, p.label) for p in items]))
    if "quarter" in kinds:
        first = current_quarter(on)
        items = [first]
        for _i in range(quarters - 1):
            items.append(items[-1].previous())
        groups.append((_("Quý"), [(p.token, p.label) for p in items]))
    if "year" in kinds:
        groups.append((_("Năm"), [(str(on.year - i), _("Năm %(y)s") % {"y": on.year - i}) for i in range(years)]))
    return groups
