"""WebSocket authentication: a bearer token (API clients) or the session cookie (pages).

Browsers can't set headers on a WebSocket, so pages use their cookie, and
such sockets must come from an allowed origin (or any site could open one
with the visitor's cookie). API clients send `Authorization: Bearer <token>`
on the handshake and need not send an Origin.
"""

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import AuthenticationFailed

from config.api.auth import BearerTokenAuthentication


@database_sync_to_async
def _user_for_token(token: bytes):
    try:
        user, _ = BearerTokenAuthentication().authenticate_credentials(token)
    except AuthenticationFailed:
        return AnonymousUser()
    return user


class TokenOrSessionAuth:
    def __init__(self, inner):
        self.inner = inner
        self.with_session = AllowedHostsOriginValidator(AuthMiddlewareStack(inner))

    async def __call__(self, scope, receive, send):
        authorization = dict(scope.get("headers", [])).get(b"authorization", b"")
        scheme, _, token = authorization.partition(b" ")
        if scheme.lower() == b"bearer" and token:
            user = await _user_for_token(token.strip())
            return await self.inner({**scope, "user": user}, receive, send)
        return await self.with_session(scope, receive, send)
