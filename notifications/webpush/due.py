"""Pushes that must wait: the end of a grouping window, the next try after a 429 or a 5xx.

Not Celery countdowns: a message held past the broker's visibility timeout
(CELERY_VISIBILITY_TIMEOUT, 30 s) is handed to another worker meanwhile, so a
60 s window or a 10-minute backoff would be sent several times (docs/DECISIONS.md,
"Polls", met the same). Instead each waiting job is a member of one Redis sorted
set scored by when it is due; the beat task `webpush_due` (every few seconds)
claims what is due (ZREM: one claimer wins each) and queues a task for each.
Redis holds only what can be lost: a flushed Redis loses pushes, never
notifications.
"""

from __future__ import annotations

import json
import secrets
import time

from config.kernel.redis import get_redis

KEY = "push:due"
BATCH = 500


def add(job: dict, at: float) -> None:
    """`job` (JSON-able; made unique, so equal jobs don't merge) becomes due at `at` (a Unix time)."""
    member = json.dumps({**job, "nonce": secrets.token_hex(6)}, separators=(",", ":"))
    get_redis().zadd(KEY, {member: at})


def take(now: float | None = None, limit: int = BATCH) -> list[dict]:
    """The jobs due by `now`, each removed; a job another sweeper removed first is theirs."""
    redis = get_redis()
    due = redis.zrangebyscore(KEY, "-inf", time.time() if now is None else now, start=0, num=limit)
    if not due:
        return []
    pipe = redis.pipeline(transaction=False)
    for member in due:
        pipe.zrem(KEY, member)
    claimed = pipe.execute()
    jobs = []
    for member, mine in zip(due, claimed, strict=True):
        if mine:
            job = json.loads(member)
            job.pop("nonce", None)
            jobs.append(job)
    return jobs


def waiting() -> list[tuple[dict, float]]:
    """Every job with its time, soonest first (tests, and an operator's look)."""
    return [(json.loads(member), score) for member, score in get_redis().zrange(KEY, 0, -1, withscores=True)]
