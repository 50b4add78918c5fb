"""Side effects after a transaction commits, and scheduling background work, without failing the request.

A write that has committed must answer success whatever happens next: the
broker may be down, Redis may hang, a cache may be unreachable. Everything
that runs after commit goes through `after_commit` (or `enqueue_on_commit`),
which logs a failure instead of raising it; the periodic catch-up tasks redo
the work from PostgreSQL (see docs/DECISIONS.md, "Failures").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.redis import address_of, breaker

logger = logging.getLogger(__name__)


def after_commit(func: Callable, *args) -> None:
    """`func(*args)` once the surrounding transaction commits; an exception is logged, never raised."""
    transaction.on_commit(lambda: guarded(func, *args))


def guarded(func: Callable, *args) -> None:
    try:
        func(*args)
    except Exception:
        logger.warning("after-commit %s%r failed", getattr(func, "__qualname__", func), args, exc_info=True)


def enqueue_on_commit(task, *args) -> None:
    """`task.delay(*args)` once the surrounding transaction commits.

    If the broker can't take it (Redis away), the write that called this has
    already committed and must still succeed: the failure is logged, and the
    periodic catch-up tasks redo the work from PostgreSQL.
    """
    transaction.on_commit(lambda: enqueue(task, *args))


@cache
def _broker_address(url: str) -> str | None:
    return address_of(url) if url.split("://")[0] in ("redis", "rediss", "redis+socket", "unix") else None


def enqueue(task, *args) -> bool:
    """`task.delay(*args)`, logging rather than raising when the broker can't take it.

    While the broker's Redis is known to be down (the breaker of config/redis.py
    is open), nothing is tried: publishing would only wait out its timeouts.
    """
    address = _broker_address(settings.CELERY_BROKER_URL or "")
    if address is not None and breaker(address).is_open:
        logger.info("broker unavailable; not scheduling %s%r (caught up later)", task.name, args)
        return False
    try:
        task.delay(*args)
    except Exception as error:
        unreachable = isinstance(error, (OperationalError, RedisConnectionError, RedisTimeoutError, OSError))
        if address is not None and unreachable and not settings.CELERY_TASK_ALWAYS_EAGER:
            breaker(address).trip(error)
        logger.warning("could not schedule %s%r", task.name, args, exc_info=True)
        return False
    return True
