"""Side effects after a transaction commits, and scheduling background work, without failing the request.

A write that has committed must answer success whatever happens next: the
broker may be down, Redis may hang, a cache may be unreachable. Everything
that runs after commit goes through `after_commit` (or `enqueue_on_commit`),
which logs a failure instead of raising it; the periodic catch-up tasks redo
the work from PostgreSQL (see docs/DECISIONS.md, "Failures").
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection, transaction
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.kernel.redis import address_of, breaker, log_unavailable

logger = logging.getLogger(__name__)


def after_commit(func: Callable, *args, **kwargs) -> None:
    """`func(*args, **kwargs)` once the surrounding transaction commits (at once outside one).

    An exception is logged, never raised: `guarded` logs it with the call, and
    `robust=True` is Django's own net should anything escape that.
    """
    transaction.on_commit(lambda: guarded(func, *args, **kwargs), robust=True)


def guarded(func: Callable, *args, **kwargs) -> None:
    try:
        func(*args, **kwargs)
    except RedisError as error:
        log_unavailable(logger, error, "after-commit %s%r skipped", getattr(func, "__qualname__", func), args)
    except Exception:
        logger.warning("after-commit %s%r failed", getattr(func, "__qualname__", func), args, exc_info=True)


def task_named(name: str):
    """The registered task called `name`.

    Services sit below their app's tasks module (tasks call services), so a service
    names the task it schedules instead of importing it. The first lookup in a
    process that hasn't loaded every tasks module (a web process) has Celery's
    autodiscovery load them.
    """
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue_on_commit(task, *args) -> None:
    """`task.delay(*args)` once the surrounding transaction commits; `task` may be its name.

    If the broker can't take it (Redis away), the write that called this has
    already committed and must still succeed: the failure is logged, and the
    periodic catch-up tasks redo the work from PostgreSQL.
    """
    after_commit(enqueue, task, *args)


@cache
def _broker_address(url: str) -> str | None:
    """The broker's breaker key: Redis's own address (shared with the other Redis clients), or RabbitMQ's."""
    scheme = url.split("://")[0]
    if scheme in ("redis", "rediss", "redis+socket", "unix"):
        return address_of(url)
    if scheme in ("amqp", "amqps", "pyamqp"):
        parts = urlsplit(url.split(";")[0])  # the first of a failover list
        return f"{scheme}://{parts.hostname or '127.0.0.1'}:{parts.port or 5672}"
    return None


def publish_options() -> dict:
    """How long a publish may wait for RabbitMQ's confirm (Redis has no confirms)."""
    return {"confirm_timeout": settings.CELERY_CONFIRM_TIMEOUT} if settings.CELERY_BROKER_IS_AMQP else {}


def enqueue(task, *args) -> bool:
    """`task.delay(*args)`, logging rather than raising when the broker can't take it.

    While the broker (Redis or RabbitMQ) is known to be down (its breaker, from
    config/kernel/redis.py, is open), nothing is tried: publishing would only wait out its
    timeouts. With RabbitMQ the publish waits for the broker's confirm, at most
    settings.CELERY_CONFIRM_TIMEOUT.
    """
    if isinstance(task, str):
        task = task_named(task)
    address = _broker_address(settings.CELERY_BROKER_URL or "")
    if address is not None and breaker(address).is_open:
        logger.info("broker unavailable; not scheduling %s%r (caught up later)", task.name, args)
        return False
    try:
        task.apply_async(args, **publish_options())
    except Exception as error:
        unreachable = isinstance(error, (OperationalError, RedisConnectionError, RedisTimeoutError, OSError))
        if address is not None and unreachable and not settings.CELERY_TASK_ALWAYS_EAGER:
            breaker(address).trip(error)
        logger.warning("could not schedule %s%r", task.name, args, exc_info=True)
        return False
    return True


# --- how tasks behave under faults ----------------------------------------------------------

# For tasks that do one thing for one event (a fan-out, a thumbnail, an export): retried with
# backoff while Redis or PostgreSQL is away. The backoff stays below the broker's visibility
# timeout (settings.CELERY_VISIBILITY_TIMEOUT): a retry waiting longer than that would be
# handed to a second worker meanwhile.
RETRY_WHILE_AWAY = {
    "acks_late": True,
    "autoretry_for": (RedisError, DatabaseOperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 20,
    "retry_jitter": True,
    "max_retries": 8,
}


class Slice:
    """A time budget for a task that may have much to do (settings.TASK_SLICE_SECONDS).

    A task that runs past the broker's visibility timeout is handed to a second
    worker while the first still runs, so long work stops at the budget and
    carries on in the next run (or in a copy of itself it queues).
    """

    def __init__(self, seconds: float | None = None):
        self.deadline = time.monotonic() + (seconds or settings.TASK_SLICE_SECONDS)

    @property
    def over(self) -> bool:
        return time.monotonic() > self.deadline


@contextmanager
def single_flight(name: str, key: int) -> Iterator[bool]:
    """Whether this run may do the work for (name, key): at most one at a time, across workers.

    For work that may outlast the visibility timeout and can't be sliced (an
    export, an account deletion): a redelivered copy finds the first still
    running and stands down. A PostgreSQL advisory lock on this connection, so
    a worker that dies lets go of it at once.
    """
    digest = hashlib.blake2b(f"{name}:{key}".encode(), digest_size=8).digest()
    lock = int.from_bytes(digest, "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock])
        mine = bool(cursor.fetchone()[0])
    try:
        yield mine
    finally:
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
            except DatabaseError:  # the connection died, and the lock with it
                logger.warning("could not release %s:%s (connection lost)", name, key, exc_info=True)
