"""Reads from a PostgreSQL replica, where that is safe (DATABASE_REPLICA_URL turns it on).

A replica lags the primary by a little (milliseconds usually, more under load
or after a network hiccup), so a read from it may miss what was just written.
The rules keep that from showing where it would matter:

- Every write goes to "default", the primary.
- Reads go to "replica" only inside a *read context*: a GET or HEAD request
  (`ReplicaMiddleware`), or code that asks for it with `replica_reads()`
  (a slow report, a task that only reads). Everything else reads the
  primary: POSTs, Celery tasks (they run right after the write that queued
  them), management commands, WebSocket consumers.
- Within a read context, once anything is written, the rest of it reads the
  primary, and so does the same browser for DATABASE_REPLICA_PIN_SECONDS
  afterwards (a cookie), so "post, then see the page with your post" holds.
- Inside `transaction.atomic()` every read uses the primary: it must see the
  transaction's own writes and take its locks.
- Sessions and API tokens are always read from the primary, so a fresh login
  or token works on the very next request.

What is left: other people see a new post, like or follow a replica's lag
late, and an API client that sends no cookies may not find, on a GET right
after its POST, what it just made (the POST's own answer has it).
"""

from __future__ import annotations

import contextlib
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "chirp_wrote"  # when this browser last wrote (epoch seconds); the value is only a hint
PRIMARY_ONLY = frozenset({"sessions.session", "knox.authtoken"})  # logins and tokens are used at once
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class _ReadContext:
    """Mutable, so a write seen in a thread the request hopped to (ASGI) is seen by the request too."""

    replica: bool = True  # may read from the replica
    wrote: bool = False


_context: ContextVar[_ReadContext | None] = ContextVar("replica_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads():
    """Let the reads in this block go to the replica (under the rules above). Also a decorator."""
    token = _context.set(_ReadContext())
    try:
        yield
    finally:
        _context.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _context.get()
        if reads is None or not reads.replica or reads.wrote or model._meta.label_lower in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        reads = _context.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica gets the schema by replication


def _wrote_recently(request) -> bool:
    try:
        return time.time() - float(request.COOKIES.get(PIN_COOKIE, "")) < settings.DATABASE_REPLICA_PIN_SECONDS
    except ValueError:
        return False


class ReplicaMiddleware:
    """Opens a read context for GET and HEAD requests, and pins a browser that wrote to the primary."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        reads = _ReadContext(replica=request.method in READ_METHODS and not _wrote_recently(request))
        token = _context.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _context.reset(token)
        if reads.wrote:
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time())),
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
