"""Who has a live socket open right now, so live-only events go only to them.

A sorted set of user ids scored by their last heartbeat; someone counts as
online for ONLINE_FOR seconds after it. Sockets ping every 30 s. Without
Redis (the embedded default, one process) a dictionary does the same.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from config.redis import get_redis

KEY = "presence"
ONLINE_FOR = 90  # seconds: three missed heartbeats and you are offline

_local: dict[int, float] = {}


def mark_online(user_id: int) -> None:
    client = get_redis()
    if client is None:
        _local[user_id] = time.time()
    else:
        client.zadd(KEY, {user_id: time.time()})


def mark_offline(user_id: int) -> None:
    """Called when a socket closes; another open socket re-marks at its next heartbeat."""
    client = get_redis()
    if client is None:
        _local.pop(user_id, None)
    else:
        client.zrem(KEY, user_id)


def online(user_ids: Iterable[int]) -> list[int]:
    """Those of `user_ids` with a socket open (heartbeat within ONLINE_FOR seconds)."""
    user_ids = list(user_ids)
    if not user_ids:
        return []
    cutoff = time.time() - ONLINE_FOR
    client = get_redis()
    if client is None:
        return [u for u in user_ids if _local.get(u, 0) > cutoff]
    scores = client.zmscore(KEY, user_ids)
    return [u for u, score in zip(user_ids, scores, strict=True) if score is not None and score > cutoff]


def online_now(limit: int = 100_000) -> list[int]:
    """Everyone online, newest heartbeat first (for announcing a big account's posts)."""
    cutoff = time.time() - ONLINE_FOR
    client = get_redis()
    if client is None:
        return [u for u, seen in _local.items() if seen > cutoff][:limit]
    return [int(u) for u in client.zrevrangebyscore(KEY, "+inf", cutoff, start=0, num=limit)]


def forget_stale() -> int:
    client = get_redis()
    if client is None:
        return 0
    return client.zremrangebyscore(KEY, "-inf", time.time() - ONLINE_FOR)
