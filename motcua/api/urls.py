"""Routes of API v1 and the OpenAPI schema."""
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from motcua.api import views

app_name = "api"

urlpatterns = [
    path("v1/procedures/", views.ProcedureList.as_view(), name="procedure-list"),
    path("v1/procedures/<str:code>/", views.ProcedureDetail.as_view(), name="procedure-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
