"""Who is asking, for code far from the view: the request id (logs, Celery tasks) and the client address (abuse limits).

The middleware sets both for the length of a request; outside one (tasks,
the shell) they are None. Context variables, so threads and async tasks
each see their own request.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from django.conf import settings

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)

_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")  # a caller's X-Request-ID is kept only if it looks like one


def address_of(request) -> str:
    """The client's address: REMOTE_ADDR, or with NUM_PROXIES trusted proxies, the one they saw."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class RequestContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and records the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        id_token, ip_token = request_id.set(request.id), client_ip.set(address_of(request))
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(id_token)
            client_ip.reset(ip_token)
        response["X-Request-ID"] = request.id
        return response
