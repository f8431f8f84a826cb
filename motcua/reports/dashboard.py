"""What the supervisors' screens and the open-data page show, assembled from `indicators` (never counted here):
figures with the previous period and the change, agency rows rolled up their subtree, and the dossiers behind."""
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import agency_q
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import visible_to
from motcua.reports.indicators import GROUPS, INDICATORS, PERM, Figure, Indicator, behind, breakdown, compute_many
from motcua.reports.periods import Period

# The columns of the agency and procedure tables, and the series of the month charts (all from the rollups).
TABLE_KEYS = ("dossiers.received", "dossiers.completed", "dossiers.on_time_rate", "dossiers.late",
              "dossiers.online_share", "dossiers.avg_handling_days")
MONTH_KEYS = ("dossiers.received", "dossiers.completed", "dossiers.late")
# What a procedure page shows: the dossier figures and the ratings, which can be narrowed to one procedure.
PROCEDURE_KEYS = tuple(k for k in INDICATORS if k.startswith(("dossiers.", "ratings.")))
PUBLIC_KEYS = tuple(k for k, i in INDICATORS.items() if i.public)
PUBLIC_AGENCY_KEYS = ("dossiers.received", "dossiers.completed", "dossiers.on_time_rate", "dossiers.online_share")


@dataclass(frozen=True)
class Line:
    """One indicator on a dashboard: this period, the previous one, and the change (points for a rate)."""

    indicator: Indicator
    figure: Figure
    previous: Figure | None
    change: float | None
    trend: str  # "better" | "worse" | "same" | ""

    @property
    def key(self) -> str:
        return self.indicator.key


def _change(indicator: Indicator, now: Figure, before: Figure | None) -> tuple[float | None, str]:
    if before is None or not (now.measured and before.measured) or now.value is None or before.value is None:
        return None, ""
    change = round(now.value - before.value, 2)
    if change == 0:
        return 0, "same"
    if indicator.unit == "count" and indicator.group == "intake":
        return change, ""  # more dossiers received is neither better nor worse
    return change, "better" if (change > 0) == indicator.higher_is_better else "worse"


def lines(period: Period, *, user, keys=None, agency_ids=None, procedure_codes=None, compare: bool = True
          ) -> list[Line]:
    """The indicators (all by default) for the period and, when `compare`, the previous period of the same length."""
    keys = list(INDICATORS) if keys is None else list(keys)
    scope = {"user": user, "agency_ids": agency_ids, "procedure_codes": procedure_codes}
    now = compute_many(keys, start=period.start, end=period.end, **scope)
    before = {}
    if compare:
        prev = period.previous()
        before = compute_many(keys, start=prev.start, end=prev.end, **scope)
    out = []
    for key in keys:
        indicator = INDICATORS[key]
        # "Open overdue" is a count at the moment of viewing: the previous period has no value of its own.
        previous = before.get(key) if key != "dossiers.open_overdue" else None
        change, trend = _change(indicator, now[key], previous)
        out.append(Line(indicator, now[key], previous, change, trend))
    return out


def grouped(items: list[Line]) -> list[tuple[str, str, list[Line]]]:
    """(group key, Vietnamese group name, lines) in the order of `indicators.GROUPS`."""
    return [(g, str(label), [line for line in items if line.indicator.group == g])
            for g, label in GROUPS.items() if any(line.indicator.group == g for line in items)]


# --- agencies ------------------------------------------------------------------------------------------------------

def agencies_in_reach(user) -> QuerySet[Agency]:
    return Agency.objects.filter(agency_q(user, PERM, ""))


def reach_roots(user) -> list[Agency]:
    """The highest agencies the user may report on (each one's subtree is in reach)."""
    reach = list(agencies_in_reach(user).only("pk", "path", "name", "kind"))
    paths = [a.path for a in reach]
    return [a for a in reach if not any(p != a.path and a.path.startswith(p) for p in paths)]


def subtree_ids(agency: Agency, user) -> list[int]:
    """The agency and everything under it that the user may report on."""
    return list(agencies_in_reach(user).filter(path__startswith=agency.path).values_list("pk", flat=True))


def children_in_reach(agency: Agency, user) -> list[Agency]:
    return list(agencies_in_reach(user).filter(parent=agency).exclude(kind=AgencyKind.DESK).order_by("name"))


@dataclass(frozen=True)
class Cell:
    """One figure in a table, with the name of the dossier list behind it."""

    key: str
    behind: str
    figure: Figure


def cells(figures: dict[str, Figure]) -> list[Cell]:
    return [Cell(k, INDICATORS[k].behind, f) for k, f in figures.items()]


@dataclass
class AgencyRow:
    agency: Agency
    figures: dict[str, Figure]
    has_children: bool

    @property
    def cells(self) -> list[Cell]:
        return cells(self.figures)

    @property
    def agency_param(self) -> str:
        return f"agency={self.agency.pk}"


def agency_rows(agencies, period: Period, *, user, keys=TABLE_KEYS) -> list[AgencyRow]:
    """One row per agency, its figures summed over its whole subtree (the rollups of children go up to parents)."""
    reach = list(agencies_in_reach(user).values_list("pk", "path"))  # read once, not once per row
    rows = []
    for agency in agencies:
        ids = [pk for pk, path in reach if path.startswith(agency.path)]
        figures = compute_many(keys, start=period.start, end=period.end, user=user, agency_ids=ids)
        rows.append(AgencyRow(agency, figures, len(ids) > 1))
    return rows


def table_rows(user) -> tuple[list[Agency], Agency | None]:
    """The agencies of the province table: the roots of the user's reach, or the children of the only root
    (with that root returned, to show its total)."""
    roots = reach_roots(user)
    if len(roots) == 1:
        return children_in_reach(roots[0], user), roots[0]
    return sorted(roots, key=lambda a: a.name), None


# --- procedures and months -----------------------------------------------------------------------------------------

@dataclass
class ProcedureRow:
    code: str
    label: str
    figures: dict[str, Figure]

    @property
    def cells(self) -> list[Cell]:
        return cells(self.figures)


@dataclass
class MonthRow:
    month: object  # the first day of the month
    label: str
    figures: dict[str, Figure]

    @property
    def cells(self) -> list[Cell]:
        return cells(self.figures)


def procedure_rows(period: Period, *, user, agency_ids=None, keys=TABLE_KEYS) -> list[ProcedureRow]:
    rows = breakdown(keys, "procedure", start=period.start, end=period.end, user=user, agency_ids=agency_ids)
    codes = dict(Procedure.objects.filter(pk__in=[r.id for r in rows]).values_list("pk", "code"))
    return [ProcedureRow(codes.get(r.id, ""), r.label, r.figures) for r in rows]


def month_rows(period: Period, *, user, agency_ids=None, procedure_codes=None, keys=MONTH_KEYS):
    """The rollup figures month by month, oldest first (the months without any dossier are left out)."""
    rows = breakdown(keys, "month", start=period.start, end=period.end, user=user, agency_ids=agency_ids,
                     procedure_codes=procedure_codes)
    return [MonthRow(r.id, r.label, r.figures) for r in sorted(rows, key=lambda r: r.id)]


# --- the dossiers behind a number ---------------------------------------------------------------------------------

def behind_dossiers(name: str, period: Period, *, user, agency_ids=None, procedure_codes=None) -> QuerySet[Dossier]:
    """The dossiers a figure counts: the user's dossiers (`dossiers.queries.visible_to`) filtered as the indicator
    counts them (`indicators.behind`) and scoped like the figures (lead agency in reach for `reports.view`)."""
    qs = (visible_to(user).filter(behind(name, start=period.start, end=period.end))
          .filter(agency_q(user, PERM, "agency")))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if procedure_codes is not None:
        qs = qs.filter(procedure_version__procedure__code__in=procedure_codes)
    return (qs.distinct().select_related("agency", "procedure_version")
            .order_by("-received_at", "-pk"))


BEHIND_TITLES = {
    "received": _("Hồ sơ tiếp nhận"), "received_online": _("Hồ sơ nộp trực tuyến"),
    "reused": _("Hồ sơ tái sử dụng giấy tờ đã số hóa"), "completed": _("Hồ sơ đã giải quyết"),
    "on_time": _("Hồ sơ giải quyết đúng và trước hạn"), "early": _("Hồ sơ giải quyết trước hạn"),
    "late": _("Hồ sơ giải quyết quá hạn"), "completed_no_supplement": _("Hồ sơ không phải bổ sung"),
    "completed_supplement": _("Hồ sơ phải bổ sung"), "full_online": _("Hồ sơ giải quyết toàn trình"),
    "paid_online": _("Hồ sơ thanh toán trực tuyến"), "electronic_result": _("Hồ sơ có kết quả điện tử"),
    "returned": _("Hồ sơ đã trả kết quả"), "refused": _("Hồ sơ không được tiếp nhận"), "withdrawn": _("Hồ sơ rút"),
    "apologised": _("Hồ sơ có thư xin lỗi"), "open_overdue": _("Hồ sơ đang quá hạn"),
}


# --- the open-data page ---------------------------------------------------------------------------------------------

PUBLIC_CACHE_SECONDS = 300


def _plain(figure: Figure) -> dict:
    return {"value": figure.value, "numerator": figure.numerator, "denominator": figure.denominator,
            "unit": figure.unit, "measured": figure.measured, "note": figure.note}


def _public_data(period: Period) -> dict:
    figures = compute_many(PUBLIC_KEYS, start=period.start, end=period.end, user=None)
    province = [{"key": k, "name": str(INDICATORS[k].name), "source": INDICATORS[k].source, **_plain(f)}
                for k, f in figures.items()]
    rows = breakdown(PUBLIC_AGENCY_KEYS, "agency", start=period.start, end=period.end, user=None)
    codes = dict(Agency.objects.filter(pk__in=[r.id for r in rows]).values_list("pk", "code"))
    agencies = [{"code": codes.get(r.id, ""), "name": r.label,
                 "figures": {k: _plain(f) for k, f in r.figures.items()}} for r in rows]
    return {
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "token": period.token},
        "indicators": {k: {"name": str(INDICATORS[k].name), "unit": INDICATORS[k].unit} for k in PUBLIC_AGENCY_KEYS},
        "province": province,
        "agencies": agencies,
    }


def public_data(period: Period) -> dict:
    """The province's public figures for a quarter or a year (`public=True` indicators, the whole province) and the
    main ones per agency; aggregates only, no personal data. Kept in the cache for a few minutes: the page, the CSV
    and the JSON read the same answer."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = f"reports:public:{get_language()}:{period.start:%Y%m%d}:{period.end:%Y%m%d}"
    return cache.get_or_set(key, lambda: _public_data(period), PUBLIC_CACHE_SECONDS)
