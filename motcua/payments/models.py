"""Online payment orders and every gateway callback received (append-only)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.history import AppendOnlyModel


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Mới tạo")
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


class PaymentOrder(models.Model):
    """One attempt to pay some fees of a dossier through a gateway; `txn_ref` is our reference sent to it."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_orders")
    fees = models.ManyToManyField("dossiers.DossierFee", related_name="payment_orders")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    gateway = models.CharField(_("cổng thanh toán"), max_length=16)
    txn_ref = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    order_info = models.CharField(max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=PaymentStatus.choices,
                              default=PaymentStatus.CREATED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    transaction_no = models.CharField(_("số giao dịch tại cổng"), max_length=64, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=32, blank=True)
    response_code = models.CharField(max_length=8, blank=True)
    note = models.CharField(max_length=255, blank=True,
                            help_text="Set when money arrived but the fees could not be recorded (needs a person).")
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    callback_data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "paid_at"])]

    def __str__(self):
        return self.txn_ref


class PaymentCallback(AppendOnlyModel):
    """One server-to-server notification received from a gateway, verified or not, and what we answered."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="callbacks")
    gateway = models.CharField(max_length=16)
    received_at = models.DateTimeField(db_index=True)
    txn_ref = models.CharField(max_length=100, blank=True)
    params = models.JSONField(default=dict)
    verified = models.BooleanField(default=False)
    rsp_code = models.CharField(max_length=4)
    outcome = models.CharField(max_length=255)

    class Meta:
        ordering = ["id"]
