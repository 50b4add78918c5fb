"""Fixed-window counters for rate limits, kept in Redis (or the cache without it).

One INCR per check, with the window's expiry set on the first hit: cheaper
than keeping a list of timestamps per caller, and precise enough for abuse
limits. `hit` answers whether the caller is still within the limit and, if
not, how many seconds until the window resets (for `Retry-After`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from config.redis import get_redis

UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400,
         "day": 86400}  # fmt: skip


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


def hit(key: str, rate: Rate, *, cost: int = 1) -> tuple[bool, int]:
    """Count a hit on `key`; (allowed, seconds until the window resets)."""
    return hit_many([(key, rate)], cost=cost)


def hit_many(limits: list[tuple[str, Rate]], *, cost: int = 1) -> tuple[bool, int]:
    """Count a hit on several limits at once (one round trip); allowed only if all allow it."""
    now = int(time.time())
    buckets = []
    for key, rate in limits:
        window_start = now // rate.window * rate.window
        buckets.append((f"rl:{key}:{window_start}", rate, window_start + rate.window - now))
    client = get_redis()
    if client is not None:
        with client.pipeline(transaction=False) as pipe:
            for bucket, rate, _ in buckets:
                pipe.incrby(bucket, cost)
                pipe.expire(bucket, rate.window + 1, nx=True)
            counts = pipe.execute()[::2]
    else:
        counts = []
        for bucket, rate, _ in buckets:
            cache.add(bucket, 0, rate.window + 1)
            counts.append(cache.incr(bucket, cost))
    over = [retry for count, (_, rate, retry) in zip(counts, buckets, strict=True) if count > rate.limit]
    return not over, max([*over, 1])


def peek(key: str, rate: Rate) -> int:
    """How many hits the current window holds (for tests and admin views)."""
    window_start = int(time.time()) // rate.window * rate.window
    bucket = f"rl:{key}:{window_start}"
    client = get_redis()
    value = client.get(bucket) if client is not None else cache.get(bucket)
    return int(value or 0)
