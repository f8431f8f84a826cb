"""The QĐ 766/QĐ-TTg service index per agency and province for a month: five groups, 100 points.

Each sub-indicator reads one figure from `indicators` and earns its points in proportion to the value up to the
level that gives full points (LEGAL.md "Service index"). What the system has no data for is "not measured here"
(never zero): a group's score is scaled over its measured sub-indicators only, shown with the share measured.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from motcua.reports import indicators

NOT_MEASURED = "Chưa đo được tại hệ thống này"


@dataclass(frozen=True)
class Sub:
    key: str  # our id of the sub-indicator
    name: str
    points: float
    source: str | None  # an indicator key, a derived name ("satisfaction_766"), or None: not measured here
    full_at: float = 100.0  # the value that earns full points
    lower_is_better: bool = False  # points for 100 − value (a late rate)


# The sub-indicators and their points within each group. QĐ 766 fixes the group totals and names the
# sub-indicators; the split of a group's points among them is our choice (equal shares, rounded), so that every
# group adds up to its total. Full-points levels are those LEGAL.md gives (80% procedures online, 50% dossiers
# online, 80% digitised and reused, 90% satisfaction); for the others we chose 100%.
GROUPS: list[tuple[str, str, float, list[Sub]]] = [
    ("openness", "Công khai, minh bạch", 18, [
        Sub("published_on_portal", "Công bố, công khai thủ tục đúng hạn trên Cổng DVC", 6, None),
        Sub("progress_synced", "Đồng bộ trạng thái hồ sơ lên Cổng DVC quốc gia", 6, None),
        Sub("feedback_on_time", "Phản ánh, kiến nghị được xử lý đúng hạn", 6, "feedback.on_time_rate"),
    ]),
    ("progress", "Tiến độ, kết quả giải quyết", 20, [
        Sub("on_time", "Hồ sơ giải quyết đúng hạn", 8, "dossiers.on_time_rate"),
        Sub("time_used", "Thời gian giải quyết so với quy định", 6, "time_within_legal"),
        Sub("supplement_once", "Hồ sơ không phải bổ sung quá một lần", 6, "dossiers.supplement_more_share",
            full_at=0.0, lower_is_better=True),
    ]),
    ("digitisation", "Số hóa hồ sơ", 22, [
        Sub("digitised", "Hồ sơ được số hóa khi tiếp nhận", 8, None, full_at=80.0),
        Sub("electronic_result", "Hồ sơ có kết quả điện tử", 7, "dossiers.electronic_result_share", full_at=80.0),
        Sub("reuse", "Hồ sơ tái sử dụng dữ liệu đã số hóa", 7, "dossiers.reuse_share", full_at=80.0),
    ]),
    ("online", "Cung cấp dịch vụ công trực tuyến", 22, [
        Sub("procedures_online", "Thủ tục cung cấp trực tuyến", 6, "catalogue.online_share", full_at=80.0),
        Sub("dossiers_online", "Hồ sơ nộp trực tuyến", 6, "dossiers.online_share", full_at=50.0),
        Sub("paid_online", "Hồ sơ có phí thanh toán trực tuyến", 5, "dossiers.paid_online_share", full_at=50.0),
        Sub("full_online", "Hồ sơ giải quyết trực tuyến toàn trình", 5, "dossiers.full_online_share", full_at=50.0),
    ]),
    ("satisfaction", "Mức độ hài lòng", 18, [
        Sub("satisfaction_766", "Mức độ hài lòng (100% − tỷ lệ trễ hạn − tỷ lệ không hài lòng)", 12,
            "satisfaction_766", full_at=90.0),
        Sub("survey", "Chỉ số hài lòng khảo sát (SIPAS)", 6, "surveys.satisfaction_rate", full_at=90.0),
    ]),
]
KEYS = sorted({s.source for _g, _n, _p, subs in GROUPS for s in subs if s.source and "." in s.source}
              | {"dossiers.late_rate", "ratings.satisfaction_rate", "dossiers.avg_handling_days",
                 "dossiers.avg_legal_days"})


@dataclass
class SubScore:
    sub: Sub
    value: float | None
    points: float | None  # None: not measured here (or nothing to count in the month)
    note: str = ""


@dataclass
class GroupScore:
    key: str
    name: str
    max_points: float
    subs: list[SubScore]

    @property
    def measured_points(self) -> float:
        return sum(s.sub.points for s in self.subs if s.points is not None)

    @property
    def measured_share(self) -> float:
        return round(100 * self.measured_points / self.max_points, 1)

    @property
    def score(self) -> float | None:
        """Points earned, scaled from the measured sub-indicators to the group's total; None when none measured."""
        if not self.measured_points:
            return None
        return round(self.max_points * sum(s.points for s in self.subs if s.points is not None)
                     / self.measured_points, 2)


@dataclass
class Index:
    start: date
    end: date
    groups: list[GroupScore]

    @property
    def total(self) -> float | None:
        scores = [g.score for g in self.groups if g.score is not None]
        return round(sum(scores), 2) if scores else None

    @property
    def measured_share(self) -> float:
        return round(sum(g.measured_points for g in self.groups), 1)  # the groups' totals add up to 100


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def _derived(name: str, f: dict) -> tuple[float | None, str]:
    if name == "time_within_legal":
        spent, legal = f["dossiers.avg_handling_days"].value, f["dossiers.avg_legal_days"].value
        if spent is None or not legal:
            return None, ""
        return round(max(0.0, 100 * (1 - max(0.0, spent - legal) / legal)), 2), "100% khi không vượt thời hạn"
    if name == "satisfaction_766":
        late, happy = f["dossiers.late_rate"].value, f["ratings.satisfaction_rate"].value
        if late is None or happy is None:
            return None, ""
        return round(max(0.0, 100 - (late + (100 - happy))), 2), "tỷ lệ không hài lòng từ đánh giá"
    raise KeyError(name)


def _points(sub: Sub, value: float | None) -> float | None:
    if value is None:
        return None
    if sub.lower_is_better:
        return sub.points if value <= sub.full_at else round(sub.points * max(0.0, 100 - value) / 100, 2)
    return round(sub.points * min(1.0, value / sub.full_at), 2) if sub.full_at else sub.points


def index(*, user, year: int, month: int, agency_ids=None) -> Index:
    """The month's index in the viewer's scope (one agency with agency_ids=[id]; the province with None)."""
    start, end = month_bounds(year, month)
    f = indicators.compute_many(KEYS, start=start, end=end, user=user, agency_ids=agency_ids)
    groups = []
    for key, name, max_points, subs in GROUPS:
        scored = []
        for sub in subs:
            if sub.source is None:
                scored.append(SubScore(sub, None, None, NOT_MEASURED))
                continue
            if "." in sub.source:
                fig = f[sub.source]
                value, note = (fig.value, fig.note) if fig.measured else (None, fig.note or NOT_MEASURED)
            else:
                value, note = _derived(sub.source, f)
            if value is None and not note:
                note = "Không có hồ sơ để tính trong kỳ"
            scored.append(SubScore(sub, value, _points(sub, value), note))
        groups.append(GroupScore(key, name, max_points, scored))
    return Index(start, end, groups)
