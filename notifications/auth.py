"""WebSocket authentication: a bearer token (API clients) or the session cookie (pages).

Browsers can't set headers on a WebSocket, so pages use their cookie, and
such sockets must come from an allowed origin (or any site could open one
with the visitor's cookie). API clients send `Authorization: Bearer <token>`
on the handshake and need not send an Origin: a first-party (knox) token, or an
OAuth token granted `read` or `read:notifications` (one acting for no one,
from client credentials, is refused: a socket is somebody's).

The middleware only finds out who is asking and puts it in the scope; the
consumer accepts every handshake and then closes refused ones with a code,
since a close before the accept reaches a client as a bare HTTP 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlsplit

from channels.auth import get_user
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain
from rest_framework.exceptions import AuthenticationFailed

from config.kernel.api.auth import BearerTokenAuthentication, oauth_token_user
from notifications.events import session_fingerprint

FOREIGN_ORIGIN = 4403  # a cookie socket from a page of another site: retrying won't help


@dataclass(frozen=True)
class Credentials:
    """What a socket signed in with: a bearer token, or a session key (from the cookie)."""

    kind: str  # "token" or "session"
    secret: str

    @property
    def fingerprint(self) -> str:
        return session_fingerprint(self.secret)


def credentials_of(scope) -> Credentials | None:
    headers = dict(scope.get("headers", []))
    scheme, _, token = headers.get(b"authorization", b"").partition(b" ")
    if scheme.lower() == b"bearer" and token.strip():
        return Credentials("token", token.strip().decode("latin1"))
    cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin1"))
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    return Credentials("session", session_key) if session_key else None


async def user_for(credentials: Credentials | None):
    """The active user the credentials stand for now (read from the database), or AnonymousUser."""
    if credentials is None:
        return AnonymousUser()
    if credentials.kind == "token":
        return await _user_for_token(credentials.secret)
    session = import_module(settings.SESSION_ENGINE).SessionStore(credentials.secret)
    # Django's own checks: the session exists, names an allowed backend and an active
    # user, and carries the hash of that user's current password.
    return await get_user({"session": session})


SOCKET_SCOPE = "read:notifications"  # `read` covers it


@database_sync_to_async
def _user_for_token(token: str):
    try:
        user, _ = BearerTokenAuthentication().authenticate_credentials(token.encode("latin1"))
    except AuthenticationFailed:
        # Not a knox token: an OAuth one? Its expiry, revocation and scope are checked again at each recheck.
        return oauth_token_user(token, SOCKET_SCOPE) or AnonymousUser()
    return user


def _origin(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) with the scheme's default port filled in."""
    try:
        parts = urlsplit(url.strip().lower())
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port


def _allowed_hosts() -> list[str]:
    hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]  # as Django's request.get_host()
    return hosts


def _own_origin(scope) -> tuple[str, str, int | None] | None:
    """The origin this socket's page would have if served from here: ws -> http, wss -> https, the Host header."""
    host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin1")
    domain, _ = split_domain_port(host)
    if not domain or not validate_host(domain, _allowed_hosts()):
        return None
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    return _origin(f"{scheme}://{host}")


def _trusted(origin: tuple[str, str, int | None]) -> bool:
    """In CSRF_TRUSTED_ORIGINS (Django's list; `https://*.example.com` covers subdomains)."""
    scheme, host, port = origin
    for entry in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = "://*." in entry
        trusted = _origin(entry.replace("://*.", "://", 1))
        if trusted is None or trusted[0] != scheme or trusted[2] != port:
            continue
        if trusted[1] == host or (wildcard and is_same_domain(host, "." + trusted[1])):
            return True
    return False


def origin_allowed(scope) -> bool:
    """The Origin header names this site (scheme, host and port) or a trusted origin."""
    raw = dict(scope.get("headers", [])).get(b"origin")
    origin = _origin(raw.decode("latin1")) if raw else None
    if origin is None:
        return False
    return origin == _own_origin(scope) or _trusted(origin)


class TokenOrSessionAuth:
    """Puts `user`, `credentials` and, for a foreign origin, `refusal` into the scope."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        credentials = credentials_of(scope)
        refusal = None
        if credentials is not None and credentials.kind == "session" and not origin_allowed(scope):
            credentials, refusal = None, FOREIGN_ORIGIN
        user = await user_for(credentials)
        scope = {**scope, "user": user, "credentials": credentials, "refusal": refusal}
        return await self.inner(scope, receive, send)
