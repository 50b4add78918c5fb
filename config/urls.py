from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from config import metrics, views

admin.site.site_header = "Chirp moderation"
admin.site.site_title = "Chirp admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("config.api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),  # Prometheus; 404 unless allowed (config/metrics.py)
    path("favicon.ico", views.favicon),
    path("", include("timelines.urls")),
    path("", include("tweets.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("social.urls")),
    path("", include("accounts.urls")),
]

if settings.SERVE_MEDIA:
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.permission_denied"
