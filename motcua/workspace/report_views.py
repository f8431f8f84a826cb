"""The supervisors' area (issue 9 §4): the province dashboard, agency → procedure drill-down, and the dossiers behind
each number. Every figure comes from `reports.indicators` through `reports.dashboard`, computed for the signed-in
user (`reports.view` scope); nothing here counts dossiers itself."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.catalogue.models import Procedure
from motcua.reports import dashboard, periods
from motcua.reports.indicators import BEHIND_NAMES, INDICATORS
from motcua.workspace.access import staff_required

PAGE_SIZE = 50


class BadPeriod(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _period(request) -> periods.Period:
    try:
        return periods.parse_period(request.GET)
    except periods.PeriodError as error:
        raise BadPeriod(str(error)) from None


def _context(request, period, **extra) -> dict:
    return {
        "period": period, "previous": period.previous(), "period_choices": periods.choices(),
        "period_qs": urlencode(period.params()), "custom": period.kind == "custom", **extra,
    }


def _bad_period(request, error: BadPeriod):
    return render(request, "workspace/reports/bad_period.html", {
        "message": error.message, "period_choices": periods.choices(), "typed": request.GET,
    }, status=400)


def _agency_in_reach(request, pk: int) -> Agency:
    agency = get_object_or_404(Agency, pk=pk)
    if not user_can(request.user, Perm.REPORT_VIEW, agency):
        raise Http404(_("Không có cơ quan này trong phạm vi bạn được xem."))
    return agency


def _handled(view):
    """Turns a period that cannot be read into a 400 page that says why, with the period picker."""
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadPeriod as error:
            return _bad_period(request, error)
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@staff_required(Perm.REPORT_VIEW)
@require_GET
@_handled
def dashboard_view(request):
    """The province (or the viewer's part of it): every indicator with the previous period, months, agencies."""
    period = _period(request)
    user = request.user
    agencies, root = dashboard.table_rows(user)
    return render(request, "workspace/reports/dashboard.html", _context(
        request, period,
        groups=dashboard.grouped(dashboard.lines(period, user=user)),
        months=dashboard.month_rows(period, user=user),
        agency_rows=dashboard.agency_rows(agencies, period, user=user),
        root_row=dashboard.agency_rows([root], period, user=user)[0] if root else None,
        columns=[INDICATORS[k] for k in dashboard.TABLE_KEYS],
        month_columns=[INDICATORS[k] for k in dashboard.MONTH_KEYS],
        list_qs=urlencode(period.params()),
    ))


@staff_required(Perm.REPORT_VIEW)
@require_GET
@_handled
def agency_view(request, pk: int):
    """One agency with its subtree: figures, the agencies under it, its procedures and its months."""
    agency = _agency_in_reach(request, pk)
    period = _period(request)
    user = request.user
    ids = dashboard.subtree_ids(agency, user)
    return render(request, "workspace/reports/agency.html", _context(
        request, period, agency=agency, ancestors=_ancestors(agency, user),
        groups=dashboard.grouped(dashboard.lines(period, user=user, agency_ids=ids)),
        agency_rows=dashboard.agency_rows(dashboard.children_in_reach(agency, user), period, user=user),
        procedure_rows=dashboard.procedure_rows(period, user=user, agency_ids=ids),
        months=dashboard.month_rows(period, user=user, agency_ids=ids),
        columns=[INDICATORS[k] for k in dashboard.TABLE_KEYS],
        month_columns=[INDICATORS[k] for k in dashboard.MONTH_KEYS],
        list_qs=urlencode({**period.params(), "agency": agency.pk}),
    ))


@staff_required(Perm.REPORT_VIEW)
@require_GET
@_handled
def procedure_view(request, pk: int, code: str):
    """One procedure at one agency (with its subtree): figures and months."""
    agency = _agency_in_reach(request, pk)
    procedure = get_object_or_404(Procedure.objects.select_related("current"), code=code)
    period = _period(request)
    user = request.user
    ids = dashboard.subtree_ids(agency, user)
    scope = {"agency_ids": ids, "procedure_codes": [procedure.code]}
    return render(request, "workspace/reports/procedure.html", _context(
        request, period, agency=agency, procedure=procedure, ancestors=_ancestors(agency, user),
        groups=dashboard.grouped(dashboard.lines(period, user=user, keys=dashboard.PROCEDURE_KEYS, **scope)),
        months=dashboard.month_rows(period, user=user, **scope),
        month_columns=[INDICATORS[k] for k in dashboard.MONTH_KEYS],
        list_qs=urlencode({**period.params(), "agency": agency.pk, "procedure": procedure.code}),
    ))


def _ancestors(agency: Agency, user) -> list[Agency]:
    """The agencies above this one that the user may also open (for the breadcrumb)."""
    reach = dashboard.agencies_in_reach(user)
    prefixes = [agency.path[:i] for i in range(7, len(agency.path), 7)]
    return list(reach.filter(path__in=prefixes).order_by("depth"))


@staff_required(Perm.REPORT_VIEW)
@require_GET
@_handled
def dossiers_view(request, name: str):
    """The dossiers behind one number, for the same period, agency and procedure, a page at a time."""
    if name not in BEHIND_NAMES:
        raise Http404(_("Không có danh sách hồ sơ này."))
    period = _period(request)
    agency = procedure_code = None
    agency_ids = procedure_codes = None
    extra = {}
    if request.GET.get("agency"):
        try:
            agency = _agency_in_reach(request, int(request.GET["agency"]))
        except ValueError:
            raise Http404(_("Không có cơ quan này trong phạm vi bạn được xem.")) from None
        agency_ids = dashboard.subtree_ids(agency, request.user)
        extra["agency"] = agency.pk
    if request.GET.get("procedure"):
        procedure_code = request.GET["procedure"].strip()[:64]
        procedure_codes = [procedure_code]
        extra["procedure"] = procedure_code
    dossiers = dashboard.behind_dossiers(name, period, user=request.user, agency_ids=agency_ids,
                                         procedure_codes=procedure_codes)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/reports/dossiers.html", _context(
        request, period, name=name, title=dashboard.BEHIND_TITLES.get(name, name), page=page,
        agency=agency, procedure_code=procedure_code, now_based=name == "open_overdue",
        list_qs=urlencode({**period.params(), **extra}),
    ))
