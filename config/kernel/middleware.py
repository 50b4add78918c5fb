"""Request-level middleware of our own."""

import logging
import time

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>`: the time Django spent on the request.

    Browsers' developer tools show it, and the benchmark reads it to report
    server-side latency apart from the network and the load generator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response


class RetryReadMiddleware:
    """Runs a GET or HEAD view once more when its database connection died under it.

    A backend terminated (a failover, an operator's pg_terminate_backend, a
    restart) fails the query that was using it. The pool checks connections
    as it hands them out, so the retry gets a live one. Only safe methods are
    retried, and only when the connection itself is broken (not for an error
    in the SQL, or a statement timeout), outside any transaction. Placed last
    in MIDDLEWARE so that its process_exception is asked first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Not process_view running the view itself: then any exception of a GET view (allauth's
        # ReauthenticationRequired, say) skipped every other middleware's process_exception.
        if request.method not in ("GET", "HEAD") or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        lost = _lost_connections()
        if not lost or getattr(request, "_read_retried", False):
            return None
        logger.warning("database connection lost during %s %s; retrying once", request.method, request.path,
                       exc_info=exception)  # fmt: skip
        for wrapper in lost:
            wrapper.close()  # back to the pool, which discards it; the retry checks out a live one
        request._read_retried = True
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)


def _lost_connections() -> list:
    """The connections (default, replica) whose server went away, unless one is inside a transaction."""
    lost = []
    for wrapper in connections.all(initialized_only=True):
        if wrapper.in_atomic_block:
            return []
        raw = wrapper.connection
        if raw is not None and (raw.closed or getattr(raw, "broken", False)):
            lost.append(wrapper)
    return lost
