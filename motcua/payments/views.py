"""Payment pages: start, the gateways' IPN, the return page, the sandbox bank, receipts and reconciliation."""
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.roles import Perm
from motcua.client import client_address
from motcua.errors import DomainError, NotFound, PermissionDenied
from motcua.payments import services
from motcua.payments.gateways import get_gateway
from motcua.payments.gateways.sandbox import BANK_NAME, SandboxGateway
from motcua.payments.models import PaymentOrder
from motcua.workspace.access import staff_required


def _client_ip(request) -> str:
    return client_address(request) or "127.0.0.1"


@require_POST
def start(request, code):
    """Pay the chosen unpaid fees (default: all of them) of a dossier; redirects to the gateway."""
    if not request.user.is_authenticated:  # the payer is usually the citizen who filed: the portal's login
        return redirect_to_login(request.get_full_path(), settings.PORTAL_LOGIN_URL)
    dossier = services.payable_dossier(request.user, code)
    if dossier is None:
        raise Http404
    gateway = services.gateway_for(request.POST.get("gateway", ""))
    fee_ids = request.POST.getlist("fee") or None
    try:
        get_gateway(gateway)  # none configured, or one not enabled: refused before its return address is built
        started = services.payment_start(
            dossier=dossier, fee_ids=fee_ids, gateway=gateway, client_ip=_client_ip(request), actor=request.user,
            return_url=request.build_absolute_uri(reverse("payments:return", args=[gateway])),
        )
    except (DomainError, ValueError) as exc:
        return HttpResponseBadRequest(getattr(exc, "message", str(exc)))
    return redirect(started.url)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ipn(request, gateway):
    """The gateway's server-to-server notification (VNPay sends a GET); answers VNPay's JSON."""
    params = request.GET.dict() if request.method == "GET" else (request.POST.dict() or request.GET.dict())
    try:
        answer = services.payment_ipn(gateway_name=gateway, params=params)
    except NotFound:
        raise Http404
    return JsonResponse(answer.as_json())


def payment_result(request, gateway):
    try:
        result = services.payment_return(gateway_name=gateway, params=request.GET.dict())
    except NotFound:
        raise Http404
    order = result.order
    can_receipt = bool(order and request.user.is_authenticated and result.state == "paid")
    return render(request, "payments/return.html", {
        "result": result, "order": order, "amount": services.money(order.amount) if order else "",
        "can_receipt": can_receipt,
    })


@require_http_methods(["GET", "POST"])
def sandbox_bank(request, txn_ref):
    """The sandbox 'bank': shows the order and lets the payer accept or refuse (signed request required)."""
    try:
        gw = get_gateway("sandbox")
    except NotFound:
        raise Http404
    assert isinstance(gw, SandboxGateway)
    params = request.GET.dict()
    if not gw.signature_ok(params) or params.get("vnp_TxnRef") != txn_ref:
        return HttpResponseBadRequest("Yêu cầu thanh toán không hợp lệ (sai chữ ký).")
    if request.method == "POST":
        approve = request.POST.get("decision") == "approve"
        outcome = gw.outcome_params(params, approve=approve)
        services.payment_ipn(gateway_name=gw.name, params=outcome)  # as the bank's server would
        return redirect(gw.return_location(params["vnp_ReturnUrl"], outcome))
    amount = int(params["vnp_Amount"]) // 100
    order = PaymentOrder.objects.select_related("dossier").filter(txn_ref=txn_ref).first()
    return render(request, "payments/sandbox.html", {
        "bank": BANK_NAME, "amount": services.money(amount), "txn_ref": txn_ref, "order": order,
        "info": params.get("vnp_OrderInfo", ""), "action": request.get_full_path(),
    })


def receipt(request, txn_ref):
    from motcua.documents.pdf import render_pdf

    try:
        order = services.paid_order_for(user=request.user, txn_ref=txn_ref)
    except NotFound:
        raise Http404
    fees = list(order.fees.all())
    pdf = render_pdf("payments/receipt.html", {
        "order": order, "dossier": order.dossier,
        "items": [{"name": f.name, "amount": services.money(f.amount)} for f in fees],
        "amount": services.money(order.amount), "paid_at": services.local_time(order.paid_at),
        "gateway_label": _gateway_label(order.gateway),
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{order.txn_ref}.pdf"'
    return response


def _gateway_label(name: str) -> str:
    return {"vnpay": "VNPAY", "sandbox": "Cổng thử nghiệm"}.get(name, name)


def _parse_day(raw: str | None, default: date) -> date:
    if not raw:
        return default
    return datetime.strptime(raw.strip(), "%d/%m/%Y").date()


@staff_required(Perm.REPORT_VIEW)
def reconciliation_view(request):
    today = timezone.localdate()
    try:
        date_from = _parse_day(request.GET.get("from"), today.replace(day=1))
        date_to = _parse_day(request.GET.get("to"), today)
        rows = services.reconciliation(date_from=date_from, date_to=date_to, user=request.user)
    except ValueError:
        return HttpResponseBadRequest("Ngày phải có dạng dd/mm/yyyy.")
    except PermissionDenied:
        raise Http404
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    if request.GET.get("format") == "xlsx":
        content = services.reconciliation_xlsx(rows, date_from=date_from, date_to=date_to)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = (
            f'attachment; filename="doi-soat-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"')
        return response
    return render(request, "payments/reconciliation.html", {
        "rows": [{"day": r.day, "gateway": r.gateway, "count": r.count, "total": services.money(r.total)}
                 for r in rows],
        "count": sum(r.count for r in rows), "total": services.money(sum(r.total for r in rows)),
        "date_from": date_from, "date_to": date_to,
    })
