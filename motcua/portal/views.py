"""Public pages: home, the procedure catalogue with search and filters, a procedure's page, dossier tracking."""
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue import queries
from motcua.catalogue.models import Level, OnlineLevel
from motcua.portal.ratelimit import within_budget


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


def _allowed(request) -> bool:
    """At most TRACKING_ATTEMPTS lookups per client address per TRACKING_WINDOW_SECONDS (brute-force guard)."""
    return within_budget(request, scope="tracking", attempts=getattr(settings, "TRACKING_ATTEMPTS", 10),
                         window_seconds=getattr(settings, "TRACKING_WINDOW_SECONDS", 600))


@require_GET
def tracking(request):
    """`/tra-cuu/`: a dossier's progress from its code and the last four digits of the applicant's phone or ID."""
    from motcua.dossiers.models import StepState
    from motcua.dossiers.queries import initials, track

    code = request.GET.get("code", "").strip()[:64]
    digits = request.GET.get("so", "").strip()[:12]
    context = {"code": code, "digits": digits, "dossier": None, "searched": False}
    status = 200
    if code and digits:
        if not _allowed(request):
            context["error"] = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
            status = 429
        else:
            context["searched"] = True
            dossier = track(code=code, last_digits=digits)
            if dossier is not None:
                context["dossier"] = dossier
                context["initials"] = initials(dossier.applicant_name)
                steps = list(dossier.steps.all())  # a skipped step also has finished_at: it is not "done"
                context["steps"] = [s for s in steps if s.state == StepState.DONE]
                context["skipped"] = [s for s in steps if s.state == StepState.SKIPPED]
    return render(request, "portal/tracking.html", context, status=status)
