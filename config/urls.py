from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from accounts.views import LoginView, MFAAuthenticateView
from config import i18n_views, metrics, views
from config.kernel.ranges import ranged
from config.kernel.url_prefixes import include_by_prefix

# The admin's own login had no failed-login limit: staff sign in through the site's login instead.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Chirp moderation"
admin.site.site_title = "Chirp admin"

urlpatterns = [
    # Reports and the moderation log moved from the `social` app to `moderation`: old bookmarks still work.
    re_path(
        r"^admin/social/(?P<rest>(?:report|moderationaction)/.*)$",
        RedirectView.as_view(url="/admin/moderation/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="account_login"),  # before allauth's: 429 when limited
    # Before allauth's: the second step answers 429 past the wrong-code limits; 2FA's overview is Settings > Security.
    path("accounts/2fa/authenticate/", MFAAuthenticateView.as_view(), name="mfa_authenticate"),
    path("accounts/2fa/", RedirectView.as_view(pattern_name="settings-security"), name="mfa_index"),
    path("accounts/2fa/webauthn/", RedirectView.as_view(url="/settings/security#passkeys"), name="mfa_list_webauthn"),
    path("accounts/", include("allauth.urls")),
    # Mastodon's client API; shared paths go by the token. Paths none of its routes start like skip it.
    include_by_prefix("api/", "social.mastodon.urls"),
    path("api/v1/", include("config.api_urls")),
    path("", include("accounts.oauth_urls")),  # /oauth/... and /.well-known/oauth-authorization-server
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),  # Prometheus; 404 unless allowed (config/metrics.py)
    path("favicon.ico", views.favicon),
    path("jsi18n/<str:language>.js", i18n_views.catalog, name="javascript-catalog"),  # static/js's words
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the footer's switch for visitors
    path("", include("notifications.webpush.urls")),  # /sw.js, /manifest.webmanifest, push settings
    path("", include("timelines.urls")),
    path("", include("tweets.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("social.graph.urls")),
    path("", include("social.messages.urls")),
    path("", include("social.moderation.urls")),
    path("", include("accounts.urls")),
]

if settings.SERVE_MEDIA:
    prefix = settings.MEDIA_URL.lstrip("/")

    def serve_media(request, path):
        """Public media from local storage, with byte ranges so a video can be seeked before it has loaded."""
        return ranged(request, serve(request, path, document_root=settings.MEDIA_ROOT))

    urlpatterns.append(re_path(rf"^{prefix}(?P<path>.*)$", serve_media))

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.permission_denied"
