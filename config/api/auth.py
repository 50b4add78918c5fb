from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """Knox tokens (stored hashed, several per user) sent as `Authorization: Bearer`.

    The prefix comes from REST_KNOX["AUTH_HEADER_PREFIX"]; this subclass exists
    so the schema can name the scheme.
    """


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The token from /signup or /login."}
