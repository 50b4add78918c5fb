"""Mastodon's app registration: POST /api/v1/apps and GET /api/v1/apps/verify_credentials.

The app is a DOT Application plus a DeveloperApp with api="mastodon" (accounts.oauth.app_create),
belonging to no one, as Mastodon's apps do. Its secret is shown in this answer only.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import oauth
from config.kernel.api.auth import is_oauth_token
from config.kernel.errors import ServiceError
from social.mastodon.base import MastodonView

PARSERS = [JSONParser, FormParser, MultiPartParser]  # Mastodon's clients send forms as often as JSON


def _values(data, name: str) -> list[str]:
    """A field given as a string (space- or newline-separated), an array, or a form's repeated `name[]`."""
    if hasattr(data, "getlist"):
        many = data.getlist(name) or data.getlist(f"{name}[]")
    else:
        value = data.get(name)
        many = value if isinstance(value, list) else [value] if value is not None else []
    words: list[str] = []
    for item in many:
        if not isinstance(item, str):
            raise ServiceError(f"{name} is a string or an array of strings.")
        words.extend(item.split())
    return words


def _text(data, name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ServiceError(f"{name} is a string.")
    return value.strip()


def application_json(app, details, *, secret: str | None = None) -> dict:
    """Mastodon's Application entity; with the credentials only when just registered."""
    uris = app.redirect_uris.split()
    body = {
        "id": str(app.pk),
        "name": app.name,
        "website": (details.website if details else "") or None,
        "scopes": details.scope_list if details else [],
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": settings.VAPID_PUBLIC_KEY or "",
    }
    if secret is not None:
        body.update(client_id=app.client_id, client_secret=secret, client_secret_expires_at=0)
    return body


class AppsView(MastodonView):
    """Anyone may register an app, as on Mastodon (the API's throttles limit how often)."""

    oauth_scopes = "open"
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = PARSERS

    def post(self, request):
        data = request.data
        name = _text(data, "client_name")
        if not name:
            raise ServiceError("client_name can't be blank.")
        uris = _values(data, "redirect_uris")
        if not uris:
            raise ServiceError("redirect_uris can't be blank.")
        scopes = _values(data, "scopes") or ["read"]
        app, secret = oauth.app_create(user=None, name=name, redirect_uris=uris, scopes=scopes,
                                       website=_text(data, "website"), api="mastodon")  # fmt: skip
        return Response(application_json(app, app.chirp, secret=secret))


class AppVerifyView(MastodonView):
    """The app behind the caller's OAuth token (an app-only token or a person's)."""

    oauth_scopes = "open"  # any token of the app's, whatever its scopes

    def get(self, request):
        if not is_oauth_token(request.auth) or request.auth.application is None:
            raise exceptions.NotAuthenticated("The access token is invalid")
        app = request.auth.application
        return Response(application_json(app, getattr(app, "chirp", None)))  # an app made in the admin has none
