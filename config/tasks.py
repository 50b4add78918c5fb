"""Scheduling background work after a transaction commits, without failing the request."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """`task.delay(*args)` once the surrounding transaction commits.

    If the broker can't take it (Redis away), the write that called this has
    already committed and must still succeed: the failure is logged, and the
    periodic catch-up tasks redo the work from PostgreSQL.
    """
    transaction.on_commit(lambda: enqueue(task, *args))


def enqueue(task, *args) -> bool:
    """`task.delay(*args)`, logging rather than raising when the broker can't take it."""
    try:
        task.delay(*args)
    except Exception:
        logger.warning("could not schedule %s%r", task.name, args, exc_info=True)
        return False
    return True
