"""PostgreSQL backends terminated under the app: the pool hands out only live connections, reads are retried.

Backends are really terminated (`pg_terminate_backend`) from a connection of
the test's own, as a failover or an operator would.
"""

import time

import psycopg
import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from config.kernel.middleware import RetryReadMiddleware
from tests.services import database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def terminate_backends(*, keep: int | None = None) -> int:
    """Terminate every backend on the test database but the one doing it (and `keep`). Returns how many."""
    from django.conf import settings

    with psycopg.connect(database_url(settings.DATABASES["default"]), autocommit=True) as killer:
        rows = killer.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
            [keep or 0],
        ).fetchall()
    return len(rows)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_connections_that_died_idle_in_the_pool_are_not_handed_out_nor_waited_for():
    first = backend_pid()
    connection.close()  # back to the pool, idle
    pool = connection.pool
    held = [pool.getconn() for _ in range(4)]
    for conn in held:
        pool.putconn(conn)  # four idle connections...
    assert terminate_backends() >= 4  # ...all dead
    started = time.monotonic()
    assert backend_pid() != first  # the pool's check found them dead and made another
    # psycopg_pool alone waits 1 s, 2 s, 4 s between failed checks: seconds for a few dead ones.
    assert time.monotonic() - started < 0.5


def _view_losing_its_connection_once():
    calls = []

    def view(request):
        calls.append(backend_pid())
        if len(calls) == 1:
            terminate_backends()  # the backend serving this request dies under it
            backend_pid()
        return HttpResponse("ok")

    return view, calls


def _through(middleware, request, view):
    """As Django's handler runs a view: its exception goes to the middleware's process_exception."""
    request.resolver_match = ResolverMatch(view, (), {})
    try:
        return view(request)
    except Exception as error:
        answer = middleware.process_exception(request, error)
        if answer is None:
            raise
        return answer


def test_a_read_whose_connection_dies_is_run_again_on_a_live_one():
    view, calls = _view_losing_its_connection_once()
    middleware = RetryReadMiddleware(lambda request: None)
    response = _through(middleware, RequestFactory().get("/"), view)
    assert response.status_code == 200
    assert len(calls) == 2 and calls[0] != calls[1]


def test_a_write_whose_connection_dies_is_not_run_again():
    view, calls = _view_losing_its_connection_once()
    middleware = RetryReadMiddleware(lambda request: None)
    with pytest.raises(OperationalError):
        _through(middleware, RequestFactory().post("/"), view)  # left to the view's own error handling
    assert len(calls) == 1
    connection.close()
