"""Public pages: home, the procedure catalogue with search and filters, and a procedure's page."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue import queries
from motcua.catalogue.models import Level, OnlineLevel


@require_GET
def home(request):
    return render(request, "portal/home.html", {"fields": queries.fields_in_use()})


@require_GET
def procedure_list(request):
    params = {key: request.GET.get(key, "").strip() for key in ("q", "field", "agency", "level", "online")}
    results = queries.procedure_search(**params)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "params": params,
        "fields": queries.fields_in_use(),
        "agencies": Agency.objects.active().filter(
            kind__in=[AgencyKind.PROVINCE, AgencyKind.DEPARTMENT, AgencyKind.DISTRICT]
        ).order_by("path"),
        "levels": Level.choices,
        "online_levels": OnlineLevel.choices,
        "querystring": request.GET.copy(),
    }
    context["querystring"].pop("page", None)
    return render(request, "portal/procedure_list.html", context)


@require_GET
def procedure_detail(request, code):
    version = queries.procedure_detail(code)
    if version is None:
        raise Http404("Không tìm thấy thủ tục.")
    return render(request, "portal/procedure_detail.html", {"version": version})
