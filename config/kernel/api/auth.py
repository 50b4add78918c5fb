from hmac import compare_digest

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
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
