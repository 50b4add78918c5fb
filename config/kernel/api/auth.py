from datetime import timedelta
from hmac import compare_digest

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions

from config.kernel.sql import select_rows


class BearerTokenAuthentication(TokenAuthentication):
    """Knox tokens (stored hashed, several per user) sent as `Authorization: Bearer`.

    Every API call pays for this, so it is one query written once (the token
    and its user together) rather than knox's two ORM queries; knox's second
    walks the person's other tokens to expire old ones, which ours (no
    expiry) never need.
    """

    def authenticate_credentials(self, token: bytes):
        token_text = token.decode("utf-8", errors="replace")
        try:
            digest = hash_token(token_text)
        except (TypeError, ValueError):  # not a token we could have made
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        for auth_token in select_rows(AuthToken, "user", token_key=token_text[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                break
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed("Invalid token.")


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.kernel.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The token from /signup or /login."}


# Every OAuth access and refresh token starts with this (accounts/oauth.py makes them), so the
# OAuth check is skipped, without a query, for the site's own knox tokens.
OAUTH_TOKEN_PREFIX = "chirp_oat_"  # noqa: S105 (a prefix, not a secret)
OAUTH_REFRESH_PREFIX = "chirp_ort_"
LAST_USED_EVERY = timedelta(minutes=5)


class OAuthTokenAuthentication(OAuth2Authentication):
    """OAuth 2 access tokens (django-oauth-toolkit) sent as `Authorization: Bearer`.

    A token that isn't (or no longer is) valid is passed over, so knox's class
    after this one answers the 401; the challenge stays the plain `Bearer`
    unless the token was an OAuth one, when it says `error="invalid_token"`.
    Each use marks the token's `updated` (at most every few minutes), which is
    what "Connected apps" shows as its last use.
    """

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer " + OAUTH_TOKEN_PREFIX):
            return None
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        now = timezone.now()
        if token.updated is None or now - token.updated > LAST_USED_EVERY:
            type(token).objects.filter(pk=token.pk).update(updated=now)
        # An app-only token (client credentials) has no person: it reads as an anonymous visitor would.
        return (user if user is not None else AnonymousUser()), token

    def authenticate_header(self, request):
        if getattr(request, "oauth2_error", None):
            return super().authenticate_header(request)
        return "Bearer"
