from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua.payments"
    verbose_name = "Thanh toán trực tuyến"
