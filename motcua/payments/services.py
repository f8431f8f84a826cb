"""Paying fees online: start an order, take the gateway's IPN (the only thing that changes state), read returns.

The IPN handler is idempotent and verified (DESIGN "Failure and scale"): a forged signature, an unknown reference or
a wrong amount is refused; a replay of a confirmed order is acknowledged without a second effect; the order row is
locked while the answer is decided, and the fees are recorded on the dossier in the same transaction.
"""
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q, user_can
from motcua.audit.services import audit_record
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_fees_paid
from motcua.dossiers.workflow import Status
from motcua.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from motcua.payments.gateways import available, get_gateway
from motcua.payments.gateways.vnpay import VN
from motcua.payments.models import PaymentCallback, PaymentOrder, PaymentStatus

logger = logging.getLogger(__name__)


# ---- Starting a payment ---------------------------------------------------------------------------------------


# Refused, withdrawn or stopped: nothing more is owed (a returned dossier may still settle fees due at return).
CLOSED_WITHOUT_RESULT = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


def gateway_for(requested: str = "") -> str:
    """The gateway a payer asked for, or the first configured one ("" when none is configured)."""
    names = [g.name for g in available()]
    return requested or (names[0] if names else "")


def may_pay(user, dossier) -> bool:
    """The citizen who filed the dossier online, or a desk officer of its desk."""
    if user is None or not user.is_authenticated:
        return False
    return dossier.citizen_id == user.id or user_can(user, Perm.DOSSIER_RECEIVE, dossier.desk)


def payable_dossier(user, code: str):
    """The dossier `code` if `user` may pay its fees (`may_pay`), else None: the one read behind the pay button."""
    dossier = Dossier.objects.filter(code=code).select_related("desk").first()
    return dossier if dossier is not None and may_pay(user, dossier) else None


def _new_txn_ref() -> str:
    stamp = clock.now().astimezone(VN).strftime("%y%m%d%H%M%S")
    return f"MC{stamp}{secrets.token_hex(3).upper()}"


@dataclass(frozen=True)
class Started:
    order: PaymentOrder
    url: str


@transaction.atomic
def payment_start(*, dossier, fee_ids: list[int] | None, gateway: str, return_url: str, client_ip: str,
                  actor) -> Started:
    """Create a payment order for unpaid fees of the dossier (`fee_ids=None`: all of them) and the gateway URL to
    send the payer to (`gateway` as `gateway_for` names it)."""
    if not may_pay(actor, dossier):
        raise PermissionDenied(_("Bạn không có quyền thanh toán phí cho hồ sơ này."))
    if dossier.status in CLOSED_WITHOUT_RESULT:
        raise Conflict(_("Hồ sơ %(code)s đã kết thúc (%(status)s): không còn phí cần thanh toán.")
                       % {"code": dossier.code, "status": dossier.get_status_display()})
    gw = get_gateway(gateway)
    if fee_ids is None:
        fee_ids = list(dossier.fees.filter(paid_at__isnull=True).values_list("id", flat=True))
    wanted = {int(i) for i in fee_ids}
    if not wanted:
        raise InvalidInput(_("Hãy chọn khoản phí cần thanh toán."))
    fees = list(dossier.fees.filter(id__in=wanted, paid_at__isnull=True))
    if {f.id for f in fees} != wanted:
        raise InvalidInput(_("Có khoản phí đã được thanh toán hoặc không thuộc hồ sơ này."))
    amount = sum(f.amount for f in fees)
    if amount <= 0:
        raise InvalidInput(_("Không có số tiền cần thanh toán."))
    order = PaymentOrder.objects.create(
        dossier=dossier, amount=amount, gateway=gw.name, txn_ref=_new_txn_ref(),
        order_info=f"Thanh toan phi le phi ho so {dossier.code}", created_by=actor, client_ip=client_ip or None,
        created_at=clock.now(),
    )
    order.fees.set(fees)
    url = gw.create_payment_url(order, return_url, client_ip)
    order.status = PaymentStatus.PENDING
    order.save(update_fields=["status"])
    audit_record(actor=actor, action="payments.start", obj=order,
                 summary=f"{dossier.code}: {amount} đồng qua {gw.name}", detail={"txn_ref": order.txn_ref})
    return Started(order=order, url=url)


# ---- The IPN ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IpnAnswer:
    rsp_code: str
    message: str

    def as_json(self) -> dict:
        return {"RspCode": self.rsp_code, "Message": self.message}

    @property
    def acknowledged(self) -> bool:
        """00 (confirmed now) and 02 (already confirmed) both tell the gateway we hold the outcome."""
        return self.rsp_code in ("00", "02")


CONFIRMED = IpnAnswer("00", "Confirm Success")
ORDER_NOT_FOUND = IpnAnswer("01", "Order not found")
ALREADY_CONFIRMED = IpnAnswer("02", "Order already confirmed")
INVALID_AMOUNT = IpnAnswer("04", "Invalid amount")
INVALID_CHECKSUM = IpnAnswer("97", "Invalid Checksum")
UNKNOWN_ERROR = IpnAnswer("99", "Unknown error")


def _plain(params: dict) -> dict:
    return {str(k): str(v) for k, v in params.items()}


def _decide(gw, params: dict) -> tuple[IpnAnswer, PaymentOrder | None, bool, str]:
    """(answer, order, verified, outcome) for one IPN; runs inside the caller's transaction, order row locked."""
    result = gw.verify(params)
    if not result.ok:
        return INVALID_CHECKSUM, None, False, "chữ ký không hợp lệ"
    order = (PaymentOrder.objects.select_for_update()
             .filter(txn_ref=result.txn_ref, gateway=gw.name).first())
    if order is None:
        return ORDER_NOT_FOUND, None, True, "không có giao dịch này"
    if result.amount != order.amount:
        return INVALID_AMOUNT, order, True, f"số tiền {result.amount} khác {order.amount}"
    if order.status != PaymentStatus.PENDING:
        return ALREADY_CONFIRMED, order, True, f"lặp lại (giao dịch đã {order.status})"
    now = clock.now()
    order.transaction_no = result.transaction_no[:64]
    order.bank_code = result.bank_code[:32]
    order.response_code = result.response_code[:8]
    order.callback_data = params
    if not result.succeeded:
        order.status = PaymentStatus.CANCELLED if result.response_code == "24" else PaymentStatus.FAILED
        order.save()
        return CONFIRMED, order, True, f"không thành công (mã {result.response_code})"
    order.status, order.paid_at = PaymentStatus.PAID, now
    fee_ids = list(order.fees.values_list("id", flat=True))
    outcome = "đã thanh toán, đã ghi nhận phí vào hồ sơ"
    try:
        with transaction.atomic():
            dossier_fees_paid(dossier=order.dossier, fee_ids=fee_ids, reference=order.txn_ref, actor=None)
    except DomainError as exc:
        # The money was taken: keep it visible for a person (refund or desk reconciliation), still acknowledge.
        order.note = f"Tiền đã nhận nhưng không ghi nhận được phí: {exc.message}"[:255]
        outcome = order.note
        logger.warning("payment %s paid but fees not recorded: %s", order.txn_ref, exc.message)
    order.save()
    audit_record(actor=None, action="payments.paid", obj=order, summary=f"{order.dossier.code}: {order.amount} đồng",
                 detail={"txn_ref": order.txn_ref, "transaction_no": order.transaction_no, "note": order.note})
    return CONFIRMED, order, True, outcome


def payment_ipn(*, gateway_name: str, params: dict) -> IpnAnswer:
    """Handle a gateway's server-to-server notification; every call leaves one PaymentCallback row."""
    gw = get_gateway(gateway_name)
    params = _plain(params)
    txn_ref = params.get("vnp_TxnRef", "")[:100]
    try:
        with transaction.atomic():
            answer, order, verified, outcome = _decide(gw, params)
            PaymentCallback.objects.create(
                order=order, gateway=gw.name, received_at=clock.now(), txn_ref=txn_ref, params=params,
                verified=verified, rsp_code=answer.rsp_code, outcome=outcome[:255],
            )
        return answer
    except Exception:
        logger.exception("payment IPN failed (%s %s)", gateway_name, txn_ref)
        PaymentCallback.objects.create(
            gateway=gw.name, received_at=clock.now(), txn_ref=txn_ref, params=params, verified=False,
            rsp_code=UNKNOWN_ERROR.rsp_code, outcome="lỗi khi xử lý",
        )
        return UNKNOWN_ERROR


# ---- The browser's return (read only) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnView:
    verified: bool
    order: PaymentOrder | None
    gateway_says_paid: bool
    response_code: str

    @property
    def state(self) -> str:
        """paid | confirming | failed | invalid: what the return page tells the payer."""
        if not self.verified or self.order is None:
            return "invalid"
        if self.order.status == PaymentStatus.PAID:
            return "paid"
        if self.order.status == PaymentStatus.PENDING and self.gateway_says_paid:
            return "confirming"  # the IPN has not arrived yet; it, not this page, will complete the payment
        return "failed"


def payment_return(*, gateway_name: str, params: dict) -> ReturnView:
    """Verify what the browser brings back and read the order; never changes anything."""
    gw = get_gateway(gateway_name)
    result = gw.verify(_plain(params))
    if not result.ok:
        return ReturnView(False, None, False, "")
    order = (PaymentOrder.objects.select_related("dossier").filter(txn_ref=result.txn_ref, gateway=gw.name)
             .first())
    return ReturnView(True, order, result.succeeded, result.response_code)


# ---- Receipts and reconciliation ----------------------------------------------------------------------------


def paid_order_for(*, user, txn_ref: str) -> PaymentOrder:
    """A paid order whose receipt `user` may read (owner, or staff who see the dossier); NotFound otherwise."""
    from motcua.dossiers.queries import visible_to

    order = (PaymentOrder.objects.select_related("dossier").prefetch_related("fees")
             .filter(txn_ref=txn_ref, status=PaymentStatus.PAID).first())
    if order is None or user is None or not user.is_authenticated:
        raise NotFound(_("Không tìm thấy biên lai."))
    if order.dossier.citizen_id != user.id and not visible_to(user).filter(pk=order.dossier_id).exists():
        raise NotFound(_("Không tìm thấy biên lai."))
    return order


@dataclass(frozen=True)
class ReconRow:
    day: date
    gateway: str
    count: int
    total: int


def reconciliation(*, date_from: date, date_to: date, user=None) -> list[ReconRow]:
    """Paid orders by local day of payment and gateway, within [date_from, date_to]; scoped to `user` if given."""
    if date_to < date_from:
        raise InvalidInput(_("Ngày kết thúc phải sau ngày bắt đầu."))
    start = datetime.combine(date_from, time.min, tzinfo=VN)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN)
    qs = PaymentOrder.objects.filter(status=PaymentStatus.PAID, paid_at__gte=start, paid_at__lt=end)
    if user is not None:
        if not user_can(user, Perm.REPORT_VIEW):
            raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
        qs = qs.filter(agency_q(user, Perm.REPORT_VIEW, "dossier__desk"))
    rows = (qs.annotate(day=TruncDate("paid_at", tzinfo=VN)).values("day", "gateway")
            .annotate(n=Count("id"), total=Sum("amount")).order_by("day", "gateway"))
    return [ReconRow(r["day"], r["gateway"], r["n"], r["total"] or 0) for r in rows]


def reconciliation_xlsx(rows: list[ReconRow], *, date_from: date, date_to: date) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Doi soat")
    ws.append([f"Đối soát thanh toán trực tuyến từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}"])
    ws.append(["Ngày", "Cổng thanh toán", "Số giao dịch", "Tổng tiền (đồng)"])
    for r in rows:
        ws.append([r.day.strftime("%d/%m/%Y"), r.gateway, r.count, r.total])
    ws.append(["Tổng cộng", "", sum(r.count for r in rows), sum(r.total for r in rows)])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def money(amount: int) -> str:
    """75000 → "75.000" (Vietnamese thousands separator)."""
    return f"{int(amount):,}".replace(",", ".")


def local_time(moment) -> datetime:
    return timezone.localtime(moment, VN)
