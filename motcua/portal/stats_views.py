"""The open-data page (`/thong-ke/`): the province's public figures on handling administrative procedures, without
login, and the same as CSV and JSON (issue 9 §4; the law asks the results to be published). Aggregates only, read
through `reports.dashboard.public_data` (cached a few minutes)."""
import csv
import io

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.reports import dashboard, periods

KINDS = ("quarter", "year")


def _period(request) -> periods.Period:
    return periods.parse_period(request.GET, default=periods.year(periods.today().year), kinds=KINDS)


def _choices():
    return periods.choices(kinds=KINDS, quarters=8, years=5)


@require_GET
def stats(request):
    try:
        period = _period(request)
    except periods.PeriodError as error:
        return render(request, "portal/stats.html", {"error": str(error), "period_choices": _choices()}, status=400)
    data = dashboard.public_data(period)
    agency_keys = list(data["indicators"])
    return render(request, "portal/stats.html", {
        "period": period, "data": data, "period_choices": _choices(), "period_qs": urlencode(period.params()),
        "agency_columns": [(k, data["indicators"][k]) for k in agency_keys],
        "agency_rows": [(row, [row["figures"].get(k) for k in agency_keys]) for row in data["agencies"]],
    })


def _bad_request(error: periods.PeriodError, fmt: str):
    if fmt == "json":
        return JsonResponse({"error": str(error)}, status=400, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")


def _cacheable(response):
    response["Cache-Control"] = f"public, max-age={dashboard.PUBLIC_CACHE_SECONDS}"
    return response


@require_GET
def stats_json(request):
    try:
        period = _period(request)
    except periods.PeriodError as error:
        return _bad_request(error, "json")
    return _cacheable(JsonResponse(dashboard.public_data(period), json_dumps_params={"ensure_ascii": False}))


@require_GET
def stats_csv(request):
    try:
        period = _period(request)
    except periods.PeriodError as error:
        return _bad_request(error, "csv")
    data = dashboard.public_data(period)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Kỳ"), _("Phạm vi"), _("Mã cơ quan"), _("Cơ quan"), _("Mã chỉ tiêu"), _("Chỉ tiêu"),
                     _("Đơn vị"), _("Giá trị"), _("Tử số"), _("Mẫu số")])
    label = data["period"]["label"]
    province = _("Toàn tỉnh")
    for f in data["province"]:
        writer.writerow([label, "tinh", "", province, f["key"], f["name"], f["unit"], _num(f), f["numerator"],
                         f["denominator"]])
    for row in data["agencies"]:
        for key, f in row["figures"].items():
            writer.writerow([label, "co_quan", row["code"], row["name"], key, data["indicators"][key]["name"],
                             f["unit"], _num(f), f["numerator"], f["denominator"]])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"thong-ke-{period.token or 'ky'}.csv"
    response["Content-Disposition"] = content_disposition_header(False, name)
    return _cacheable(response)


def _num(figure: dict):
    if not figure["measured"]:
        return _("chưa đo")
    return "" if figure["value"] is None else figure["value"]
