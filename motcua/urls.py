"""Top-level routes: the portal at /, the staff workspace at /workspace/, the API at /api/."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("motcua.portal.urls")),
    path("workspace/", include("motcua.workspace.urls")),
    path("api/", include("motcua.api.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]

# Under /api/ Django's own error answers use the API's one error shape; elsewhere its usual pages.
handler400 = "motcua.api.errors.bad_request"
handler403 = "motcua.api.errors.permission_denied"
handler404 = "motcua.api.errors.page_not_found"
handler500 = "motcua.api.errors.server_error"

admin.site.site_header = "Một Cửa – Quản trị hệ thống"
admin.site.site_title = "Một Cửa"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
