"""Django's ASGI handler with the whole middleware chain and the view on one thread, in one hop.

Django's own handler builds an async chain. Our middleware (and WhiteNoise) are
sync-only, so every request went event loop -> thread (sync_to_async) -> event
loop (async_to_sync, for Django's async inner handler) -> the same thread again
(the view): two extra hops per request, and a fragile one. When a client went
away mid-request, Django cancelled that nest of hops and asgiref copied the
half-finished inner context back out, so the `request_finished` signal (which
returns the database connection to the pool) was sent to an executor that had
already quit. Each such request leaked a pooled connection until the pool was
empty and every request waited 30 s (seen under `make run` with clients timing
out). Built sync, the chain runs in one `sync_to_async` call; a disconnect
still cancels the wait for it, and `request_finished` then runs on the same
request thread once the view is done, so the connection always goes back.
"""

import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

from config.kernel.uploads import too_large_message


class BodyTooLarge(Exception):
    """The body went past REQUEST_MAX_BYTES while it was being read."""


class OneHopASGIHandler(ASGIHandler):
    """Also the edge of the upload limit: Django reads the whole body before any view runs.

    A body declared (Content-Length) past REQUEST_MAX_BYTES is refused with 413
    before a byte of it is read; one sent without a length (chunked) is
    counted as it arrives and refused as soon as it goes past. The body Django
    keeps spools to disk past FILE_UPLOAD_MAX_MEMORY_SIZE, never whole in memory.
    """

    async def handle(self, scope, receive, send):
        if declared_length(scope) > settings.REQUEST_MAX_BYTES:
            return await send_too_large(send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > settings.REQUEST_MAX_BYTES:
                raise BodyTooLarge
            return message

        try:
            return await super().handle(scope, counted, send)
        except BodyTooLarge:
            return await send_too_large(send)

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        # Thread-sensitive: the per-request ThreadSensitiveContext gives every request
        # one thread, shared with request_started/request_finished and response.close().
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def declared_length(scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


async def send_too_large(send) -> None:
    body = json.dumps({"error": too_large_message()}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the rest of the body is not read
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def application() -> OneHopASGIHandler:
    """Like django.core.asgi.get_asgi_application(), with our handler."""
    import django

    django.setup(set_prefix=False)
    return OneHopASGIHandler()
