"""Routes of the public portal."""
from django.urls import path

from motcua.portal import rating_views, verify_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure-list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure-detail"),
    path("tra-cuu/", views.tracking, name="tracking"),
    path("xac-thuc/", verify_views.verify, name="verify"),
    path("danh-gia/ho-so/<str:code>/", rating_views.rate_own, name="rating-own"),
    path("danh-gia/<str:token>/", rating_views.rate_by_link, name="rating-link"),
]
