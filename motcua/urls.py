"""Top-level routes: the portal at /, the staff workspace at /workspace/, the API at /api/."""
from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """`/favicon.ico`, asked for by browsers and tools that ignore `<link rel="icon">`: the SVG icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static_url("motcua/favicon.svg")


urlpatterns = [
    path("", include("motcua.portal.urls")),
    path("workspace/", include("motcua.workspace.urls")),
    path("api/", include("motcua.api.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view()),
]

admin.site.site_header = "Một Cửa – Quản trị hệ thống"
admin.site.site_title = "Một Cửa"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The project's own error pages (motcua/error_pages.py), in Vietnamese and the site's layout; under /api/ the API's
# one error shape (motcua/api/errors.py).
handler400 = "motcua.error_pages.bad_request"
handler403 = "motcua.error_pages.permission_denied"
handler404 = "motcua.error_pages.page_not_found"
handler500 = "motcua.error_pages.server_error"
