"""Rate-limit counters, kept in Redis.

Fixed windows: one INCR per check, with the window's expiry set on the first
hit: cheaper than keeping a list of timestamps per caller, and precise enough
for rate limits. `hit` answers whether the caller is still within the limit
and, if not, how many seconds until the window resets (for `Retry-After`).

Sliding logs (`log_hit`): a sorted set of timestamps per key, for the few
checks that must mean "in the last N minutes" exactly (the duplicate-text
flood check).

Redis going away must not stop people posting: a counter that can't be
reached allows the action (logged), like the other Redis-backed features.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from dataclasses import dataclass

from redis.exceptions import RedisError

from config.kernel.redis import get_redis, log_unavailable

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400,
         "day": 86400}  # fmt: skip


def now() -> float:
    """The clock every counter reads (tests move it)."""
    return time.time()


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        """ "300/3h", "20/hour", "10/m" -> Rate(limit, seconds)."""
        count, _, period = text.partition("/")
        digits = "".join(ch for ch in period if ch.isdigit())
        unit = period[len(digits) :]
        return cls(limit=int(count), window=int(digits or 1) * UNITS[unit])


@dataclass(frozen=True)
class Hit:
    """One limit's answer: its count in this window, and seconds until the window resets."""

    key: str
    rate: Rate
    count: int
    retry_after: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.rate.limit


def hit(key: str, rate: Rate, *, cost: int = 1) -> tuple[bool, int]:
    """Count a hit on `key`; (allowed, seconds until the window resets)."""
    return hit_many([(key, rate)], cost=cost)


def hit_many(limits: list[tuple[str, Rate]], *, cost: int = 1) -> tuple[bool, int]:
    """Count a hit on several limits at once (one round trip); allowed only if all allow it."""
    hits = count(limits, cost=cost)
    over = [h.retry_after for h in hits if not h.allowed]
    return not over, max([*over, 1])


def count(limits: list[tuple[str, Rate]], *, cost: int = 1, refund_refused: bool = False) -> list[Hit]:
    """Count a hit on each limit (one round trip) and answer for each.

    With `refund_refused`, a hit that any limit refuses is taken back from all
    of them, so a refused attempt uses up nobody's budget (a person at their
    own limit doesn't eat into the budget of others at the same address).
    """
    moment = int(now())
    buckets = []
    for key, rate in limits:
        window_start = moment // rate.window * rate.window
        buckets.append((f"rl:{key}:{window_start}", key, rate, window_start + rate.window - moment))
    try:
        counts = _increment([(bucket, rate.window + 1) for bucket, _, rate, _ in buckets], cost)
    except RedisError as error:
        log_unavailable(logger, error, "rate-limit counters unavailable; allowing %s", [key for key, _ in limits])
        return [Hit(key, rate, 0, retry) for _, key, rate, retry in buckets]
    hits = [Hit(key, rate, n, retry) for n, (_, key, rate, retry) in zip(counts, buckets, strict=True)]
    if refund_refused and not all(h.allowed for h in hits):
        try:
            _increment([(bucket, rate.window + 1) for bucket, _, rate, _ in buckets], -cost)
        except RedisError:
            logger.warning("could not refund a refused hit", exc_info=True)
    return hits


def _increment(buckets: list[tuple[str, int]], by: int) -> list[int]:
    with get_redis().pipeline(transaction=False) as pipe:
        for bucket, ttl in buckets:
            pipe.incrby(bucket, by)
            pipe.expire(bucket, ttl, nx=True)
        return pipe.execute()[::2]


def peek(key: str, rate: Rate) -> int:
    """How many hits the current window holds (for tests and admin views)."""
    window_start = int(now()) // rate.window * rate.window
    return int(get_redis().get(f"rl:{key}:{window_start}") or 0)


# --- sliding logs ---------------------------------------------------------------------


def log_hit(key: str, rate: Rate) -> tuple[bool, int, str | None]:
    """Record a hit on `key` if fewer than `rate.limit` fall in the last `rate.window` seconds.

    Answers (allowed, seconds until the oldest of them leaves the window, a
    token for `log_undo`). A refused hit is not recorded.
    """
    moment = now()
    bucket, token = f"rlog:{key}", f"{moment:.6f}:{uuid.uuid4().hex[:8]}"
    try:
        client = get_redis()
        with client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(bucket, "-inf", moment - rate.window)
            pipe.zadd(bucket, {token: moment})
            pipe.zcard(bucket)
            pipe.zrange(bucket, 0, 0, withscores=True)
            pipe.expire(bucket, rate.window + 1)
            _, _, size, oldest, _ = pipe.execute()
        if size <= rate.limit:
            return True, 1, token
        client.zrem(bucket, token)
    except RedisError as error:
        log_unavailable(logger, error, "rate-limit log unavailable; allowing %s", key)
        return True, 1, None
    return False, _seconds_left(oldest[0][1] if oldest else moment, rate, moment), None


def _seconds_left(oldest: float, rate: Rate, moment: float) -> int:
    return max(1, math.ceil(oldest + rate.window - moment))


def log_undo(key: str, token: str | None) -> None:
    """Take back a hit `log_hit` recorded (the action was then refused for another reason)."""
    if token is None:
        return
    try:
        get_redis().zrem(f"rlog:{key}", token)
    except RedisError:
        logger.warning("could not take back a rate-limit log entry", exc_info=True)
