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

    def send():
        try:
            task.delay(*args)
        except Exception:
            logger.warning("could not schedule %s%r; the catch-up task will retry", task.name, args, exc_info=True)

    transaction.on_commit(send)
