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

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class OneHopASGIHandler(ASGIHandler):
    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        # Thread-sensitive: the per-request ThreadSensitiveContext gives every request
        # one thread, shared with request_started/request_finished and response.close().
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def application() -> OneHopASGIHandler:
    """Like django.core.asgi.get_asgi_application(), with our handler."""
    import django

    django.setup(set_prefix=False)
    return OneHopASGIHandler()
