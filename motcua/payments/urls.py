"""Mounted at /thanh-toan/ by the root URLconf."""
from django.urls import path

from motcua.payments import views

app_name = "payments"

urlpatterns = [
    path("bat-dau/<str:code>/", views.start, name="start"),
    path("ipn/<slug:gateway>/", views.ipn, name="ipn"),
    path("ket-qua/<slug:gateway>/", views.payment_result, name="return"),
    path("sandbox/<str:txn_ref>/", views.sandbox_bank, name="sandbox"),
    path("bien-lai/<str:txn_ref>.pdf", views.receipt, name="receipt"),
    path("doi-soat/", views.reconciliation_view, name="reconciliation"),
]
