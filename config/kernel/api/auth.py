"""API authentication: first-party knox tokens, then OAuth 2 access tokens (both `Authorization: Bearer`)."""

import hashlib
from datetime import timedelta
from hmac import compare_digest

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request as OAuthlibRequest
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

from config.kernel.api.endpoint_scopes import CLOSED, OPEN, SAFE_METHODS, scope_needed
from config.kernel.api.oauth_scopes import SCOPES, covers
from config.kernel.sql import select_rows

# Every OAuth access and refresh token starts with this (accounts/oauth.py makes them), so a
# bearer value without it is refused without an OAuth lookup.
OAUTH_TOKEN_PREFIX = "chirp_oat_"  # noqa: S105 (a prefix, not a secret)
OAUTH_REFRESH_PREFIX = "chirp_ort_"
LAST_USED_EVERY = timedelta(minutes=5)


class _NotAKnoxToken(exceptions.AuthenticationFailed):
    """No knox token has this value: it may be an OAuth token, which the next class tries."""


class BearerTokenAuthentication(TokenAuthentication):
    """Knox tokens (stored hashed, several per user) sent as `Authorization: Bearer`.

    Every API call pays for this, so it is one query written once (the token
    and its user together) rather than knox's two ORM queries; knox's second
    walks the person's other tokens to expire old ones, which ours (no
    expiry) never need. A bearer value that isn't a knox token falls through
    to OAuthTokenAuthentication (both use `Authorization: Bearer`), which
    answers 401 if it isn't an OAuth token either.
    """

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except _NotAKnoxToken:
            return None

    def authenticate_header(self, request):
        # knox reads its header prefix from here too, so the error is added only once a token was refused
        # (RFC 6750 §3); a call without one gets the plain challenge.
        if getattr(request, "bearer_refused", False):
            return 'Bearer error="invalid_token"'
        return "Bearer"

    def authenticate_credentials(self, token: bytes):
        token_text = token.decode("utf-8", errors="replace")
        if len(token_text) != _knox_length():  # OAuth tokens are shorter: skip the query
            raise _NotAKnoxToken("Invalid token.")
        try:
            digest = hash_token(token_text)
        except (TypeError, ValueError):  # not a token we could have made
            raise _NotAKnoxToken("Invalid token.") from None
        for auth_token in select_rows(AuthToken, "user", token_key=token_text[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                break
            return self.validate_user(auth_token)
        raise _NotAKnoxToken("Invalid token.")


class OAuthTokenAuthentication(OAuth2Authentication):
    """OAuth 2 access tokens (django-oauth-toolkit), held to their scopes on every view.

    The scope check lives here, where the token is found, rather than in each
    view's permission classes (which views set themselves): a view can't be
    forgotten, and one missing from ENDPOINT_SCOPES is closed to apps.
    A token for no one (client credentials) may only read what anyone may.

    The token is looked up with DOT's own validator, from the header only:
    DOT's `verify_request` would also read the body (a form-encoded token),
    parsing every upload before its view could refuse it.
    """

    def authenticate(self, request):
        token = _bearer_token(request)
        if token is None:
            return None
        access_token = None
        if token.startswith(OAUTH_TOKEN_PREFIX):  # else neither knox's nor ours: no query needed
            access_token = valid_access_token(token, request.build_absolute_uri(request.path))
        if access_token is None:  # neither knox nor OAuth knows it: revoked, expired or made up
            request.bearer_refused = True
            raise exceptions.AuthenticationFailed("Invalid token.")
        user = access_token.user
        if user is not None and not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        view = (getattr(request, "parser_context", None) or {}).get("view")
        require_scope(access_token, type(view) if view is not None else None, request.method)
        if user is None and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("This token acts for no one: it may only read public data.")
        _mark_used(access_token)
        return (user or AnonymousUser(), access_token)


def _mark_used(access_token) -> None:
    """Note the token's use in `updated` (at most every few minutes): Connected apps shows it as last use."""
    now = timezone.now()
    if access_token.updated is None or now - access_token.updated > LAST_USED_EVERY:
        type(access_token).objects.filter(pk=access_token.pk).update(updated=now)


def valid_access_token(token: str, uri: str):
    """The OAuth access token with this value if it is valid now (not expired, its app usable), else None.

    A person's token, the common case, is one query written once (token and user together, as for
    knox's); DOT's own validator answers the rest (app-only tokens, resource-bound ones), by the
    same checksum, so the checks are DOT's either way.
    """
    checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
    for access_token in select_rows(get_access_token_model(), "user", token_checksum=checksum):
        # The default Application's is_usable() is always true, and a token goes with its app.
        if not access_token.resource:
            return access_token if access_token.is_valid() else None
    request = OAuthlibRequest(uri)
    if not oauth2_settings.OAUTH2_VALIDATOR_CLASS().validate_bearer_token(token, [], request):
        return None
    return request.access_token


def token_scopes(token) -> set[str]:
    return set((token.scope or "").split())


def require_scope(token, view_class, method: str) -> None:
    """PermissionDenied unless the OAuth token may call `method` on this view."""
    needed = scope_needed(view_class, method)
    if needed == OPEN:
        return
    if needed == CLOSED:
        raise exceptions.PermissionDenied("Apps can't use this endpoint; only the person, signed in, can.")
    if not covers(token_scopes(token), needed):
        raise exceptions.PermissionDenied(f"This token lacks the scope {needed}.")


def _knox_length() -> int:
    return knox_settings.AUTH_TOKEN_CHARACTER_LENGTH + len(knox_settings.TOKEN_PREFIX)


def _bearer_token(request) -> str | None:
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return None  # no bearer token (knox has refused a malformed header already)
    return parts[1].decode("latin1")


def is_oauth_token(auth) -> bool:
    return isinstance(auth, get_access_token_model())


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.kernel.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The token from /signup or /login."}


class OAuthTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.kernel.api.auth.OAuthTokenAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema):
        """Each operation names the one scope it needs (from the same table the check reads)."""
        needed = scope_needed(type(auto_schema.view), auto_schema.method)
        if needed == CLOSED:
            return None  # apps can't call it at all
        return {self.name: [] if needed == OPEN else [needed]}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "An app's access token, sent as `Authorization: Bearer`. docs/API.md lists "
            "the scope each endpoint needs; without it the answer is 403 naming the scope.",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "/oauth/authorize",
                    "tokenUrl": "/oauth/token",
                    "refreshUrl": "/oauth/token",
                    "scopes": SCOPES,
                },
                "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": SCOPES},
            },
        }


def oauth_token_user(token: str, needed: str):
    """The active user an OAuth access token acts for, if it is valid now and covers `needed`; else None.

    For sockets, which have no DRF request.
    """
    if not token.startswith(OAUTH_TOKEN_PREFIX):
        return None
    access_token = valid_access_token(token, "/ws/")
    user = access_token.user if access_token is not None else None
    if user is None or not user.is_active or not covers(token_scopes(access_token), needed):
        return None
    return user
