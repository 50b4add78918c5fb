from hmac import compare_digest

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions


class BearerTokenAuthentication(TokenAuthentication):
    """Knox tokens (stored hashed, several per user) sent as `Authorization: Bearer`.

    One query per request: knox's own check also walks every other token the
    person holds to expire old ones, which our tokens (no expiry) never need.
    """

    def authenticate_credentials(self, token: bytes):
        token_text = token.decode("utf-8", errors="replace")
        candidates = AuthToken.objects.filter(token_key=token_text[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for auth_token in candidates:
            try:
                digest = hash_token(token_text)
            except (TypeError, ValueError):  # not a token we could have made
                break
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                break
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed("Invalid token.")


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The token from /signup or /login."}
