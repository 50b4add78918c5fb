"""The pages' side of Web Push: the service worker, the web app manifest, and the settings partial."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.kernel.errors import NotFound
from config.kernel.http import safe_next
from notifications.webpush import keys, subscriptions
from notifications.webpush.labels import browser_label, endpoint_host

THEME_COLOUR = "#1d9bf0"
WORKER = settings.BASE_DIR / "static" / "js" / "sw.js"


@require_GET
def service_worker(request):
    """/sw.js from the site's root, so its scope is the whole site; never cached for long, so a new
    version reaches browsers at once (they also check it at least daily)."""
    response = HttpResponse(WORKER.read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """The web app manifest: what lets the site be installed as an app."""
    body = {
        "name": "Chirp",
        "short_name": "Chirp",
        "description": "Short posts, follows and messages.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for size in (192, 512)
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def push_settings_context(request) -> dict:
    """What `notifications/_push_settings.html` needs, under `push` (the settings page adds it to its own)."""
    found = subscriptions.of_user(request.user)
    for row in found:
        row.browser = browser_label(row.user_agent)
        row.endpoint_host = endpoint_host(row.endpoint)
    return {
        "push": {
            "available": bool(keys.public_key()),
            "vapid_public_key": keys.public_key(),
            "subscribe_url": reverse("api-push-subscriptions"),
            "subscriptions": found,
        }
    }


@login_required
@require_POST
def remove(request, subscription_id: int):
    """The partial's Remove button (works without JavaScript)."""
    try:
        subscriptions.unsubscribe(user=request.user, subscription_id=subscription_id)
    except NotFound:
        raise Http404("No such push subscription.") from None
    messages.success(request, _("Push notifications turned off for that browser."))
    return redirect(safe_next(request, reverse("settings-notifications")))
