from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions

TOKEN_FIELDS = ["digest", "token_key", "user_id", "expiry"]


class BearerTokenAuthentication(TokenAuthentication):
    """Knox tokens (stored hashed, several per user) sent as `Authorization: Bearer`.

    Every API call pays for this, so it is one hand-written query (the token
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
        user_model = get_user_model()
        user_fields = user_model._meta.concrete_fields
        user_columns = [field.attname for field in user_fields]
        sql = (
            f"SELECT {', '.join('t.' + f for f in TOKEN_FIELDS)}, {', '.join('u.' + c for c in user_columns)} "  # noqa: S608
            f"FROM {AuthToken._meta.db_table} t JOIN {user_model._meta.db_table} u ON u.id = t.user_id "
            "WHERE t.token_key = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [token_text[: CONSTANTS.TOKEN_KEY_LENGTH]])
            rows = cursor.fetchall()
        for row in rows:
            if not compare_digest(digest, row[0]):
                continue
            auth_token = AuthToken.from_db(connection.alias, TOKEN_FIELDS, row[: len(TOKEN_FIELDS)])
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                break
            values = [
                field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
                for field, value in zip(user_fields, row[len(TOKEN_FIELDS) :], strict=True)
            ]  # what the ORM would do for us: JSON columns arrive as text
            auth_token.user = user_model.from_db(connection.alias, user_columns, values)
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed("Invalid token.")


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.kernel.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The token from /signup or /login."}
