"""Reads from a PostgreSQL replica, where that is safe (DATABASE_REPLICA_URL turns it on).

A replica lags the primary by a little (milliseconds usually, more under load
or after a network hiccup), so a read from it may miss what was just written.
The rules keep that from showing where it would matter (docs/OPERATIONS.md,
"Read replica", has the table of which reads go where):

- Every write goes to "default", the primary.
- Reads go to "replica" only inside a *read context*: a GET or HEAD request
  (`ReplicaMiddleware`), or code that asks for it with `replica_reads()`
  (a slow report, a task that only reads). Everything else reads the
  primary: POSTs, Celery tasks (they run right after the write that queued
  them), management commands, WebSocket consumers and the event stream.
- Read-your-writes: once anything is written (through the ORM, or hand-written
  SQL on the primary's connection), the rest of the request reads the
  primary, and so does *the person* for DATABASE_REPLICA_PIN_SECONDS
  afterwards, whichever device or client they use: the pin is kept in Redis
  under their user id (an API client sends no cookies, a phone and a browser
  share no session). The browser also gets a cookie, which covers what
  happens before anyone is signed in (a sign-up, then the first page).
  Who the person is becomes known only once authentication has run (the
  session's user id, or the user DRF's token or OAuth authentication found),
  so the router asks at each replica read until it knows.
- Inside `transaction.atomic()` every read uses the primary: it must see the
  transaction's own writes and take its locks.
- Sessions and tokens (knox's and OAuth's, with OAuth's applications and
  grants) are always read from the primary, so a fresh login, token or app
  works on the very next request.
- What fills a cache that outlives the request (a Redis timeline rebuilt on a
  cold read) reads the primary, `primary_reads()`: a fill from a lagging
  replica would keep the lag for as long as the cache lives.
- Hand-written SQL reads on the connection the router names for its model
  (`read_connection`), so it follows the same rules as the ORM.

What is left: other people see a new post, like or follow a replica's lag
late. If Redis can't be asked whether a person wrote lately, their reads go to
the primary (correct, and only for as long as Redis is away).
"""

from __future__ import annotations

import contextlib
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.utils.functional import LazyObject, empty
from redis.exceptions import RedisError

from config.kernel.redis import get_redis, log_unavailable

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "chirp_wrote"  # when this browser last wrote (epoch seconds); the value is only a hint
# Used at once after they are made: a login, a token, an app registered and then sent to /oauth/authorize.
PRIMARY_ONLY = frozenset(
    {
        "sessions.session",
        "knox.authtoken",
        "oauth2_provider.application",
        "oauth2_provider.accesstoken",
        "oauth2_provider.refreshtoken",
        "oauth2_provider.grant",
        "oauth2_provider.idtoken",
        "oauth2_provider.devicegrant",
    }
)
READ_METHODS = frozenset({"GET", "HEAD"})
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")


@dataclass
class _ReadContext:
    """Mutable, so a write seen in a thread the request hopped to (ASGI) is seen by the request too."""

    replica: bool = True  # may read from the replica
    wrote: bool = False
    request: object | None = None  # the request, whose person becomes known once authentication has run
    person: int | None = None  # their user id, once known and checked against the pins


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


@contextlib.contextmanager
def primary_reads():
    """The reads in this block use the primary: for what fills a cache that outlives the request."""
    token = _context.set(None)
    try:
        yield
    finally:
        _context.reset(token)


def read_connection(model):
    """The connection the ORM would read `model` from now: for hand-written SQL that reads."""
    return connections[router.db_for_read(model)]


# --- the person's pin ------------------------------------------------------------------


def pin_key(user_id: int) -> str:
    return f"replica:wrote:{user_id}"


def pin_person(user_id: int) -> None:
    """`user_id` reads the primary for the next DATABASE_REPLICA_PIN_SECONDS, on every device."""
    try:
        get_redis().set(pin_key(user_id), 1, ex=settings.DATABASE_REPLICA_PIN_SECONDS)
    except RedisError as error:  # their next reads find no pin, and Redis away: they read the primary anyway
        log_unavailable(logger, error, "Redis unavailable; could not pin %s to the primary", user_id)


def person_pinned(user_id: int) -> bool:
    try:
        return bool(get_redis().exists(pin_key(user_id)))
    except RedisError as error:
        log_unavailable(logger, error, "Redis unavailable; %s reads the primary", user_id)
        return True  # can't tell whether they just wrote: the primary has everything


def person_of(request) -> int | None:
    """The signed-in person's id, if authentication has found them, without a query of its own.

    DRF's authentication puts the user it found (a token's, an OAuth token's) on
    the Django request; a session's person is in the session (read from the primary).
    """
    user = request.__dict__.get("user")
    if isinstance(user, LazyObject):  # AuthenticationMiddleware's, or DRF's session authentication's
        user = user._wrapped if user._wrapped is not empty else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    session = request.__dict__.get("session")
    if session is None:
        return None
    try:
        return int(session.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


def _pinned_now(reads: _ReadContext) -> bool:
    """Whether the context's person (found at the first read that can tell) wrote lately."""
    if reads.person is None and reads.request is not None:
        reads.person = person_of(reads.request)
        if reads.person is not None and person_pinned(reads.person):
            reads.replica = False
    return not reads.replica


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _context.get()
        if reads is None or not reads.replica or reads.wrote or model._meta.label_lower in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block or _pinned_now(reads):
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


class _WriteWatch:
    """Sees writes that bypass the router: hand-written INSERTs and UPDATEs on the primary's connection."""

    def __init__(self, reads: _ReadContext):
        self.reads = reads

    def __call__(self, execute, sql, params, many, context):
        if not self.reads.wrote and _writes(sql):
            self.reads.wrote = True
        return execute(sql, params, many, context)


def _writes(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    if head.startswith(WRITES):
        return True
    # WITH ... INSERT/UPDATE/DELETE: a word match, so a read-only CTE naming such a word pins needlessly (safe)
    return head.startswith("WITH") and any(f"{word} " in sql.upper() for word in WRITES)


class ReplicaMiddleware:
    """Opens a read context for GET and HEAD requests, and pins a person (and browser) that wrote to the primary."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        reads = _ReadContext(replica=request.method in READ_METHODS and not _wrote_recently(request), request=request)
        token = _context.set(reads)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_WriteWatch(reads)):
                response = self.get_response(request)
        finally:
            _context.reset(token)
        if reads.wrote:
            person = person_of(request)
            if person is not None:
                pin_person(person)
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time())),
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
