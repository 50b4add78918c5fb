"""Who has a live socket open right now, so live events are built only for them.

A sorted set of user ids scored by when a socket of theirs last said it was
alive: the consumer refreshes it every REFRESH_EVERY seconds while the socket
is open, and someone counts as online for ONLINE_FOR seconds after that, so a
server that dies without closing its sockets stops counting within that
time. A hash counts each user's open sockets, so closing one of two tabs
leaves them online.

Counting someone online by mistake only costs an event nobody reads; missing
someone would lose their events, so every doubt falls on the side of online.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from config.redis import get_redis

KEY = "presence"
SOCKETS_KEY = "presence:sockets"
REFRESH_EVERY = 30  # seconds
ONLINE_FOR = 90  # three missed refreshes and you are offline


def connected(user_id: int) -> None:
    with get_redis().pipeline(transaction=False) as pipe:
        pipe.hincrby(SOCKETS_KEY, user_id, 1)
        pipe.zadd(KEY, {user_id: time.time()})
        pipe.execute()


def refresh(user_id: int) -> None:
    get_redis().zadd(KEY, {user_id: time.time()})


def disconnected(user_id: int) -> None:
    """A socket closed: offline once it was their last one."""
    client = get_redis()
    if client.hincrby(SOCKETS_KEY, user_id, -1) <= 0:
        with client.pipeline(transaction=False) as pipe:
            pipe.hdel(SOCKETS_KEY, user_id)
            pipe.zrem(KEY, user_id)
            pipe.execute()


def online(user_ids: Iterable[int]) -> list[int]:
    """Those of `user_ids` with a socket open."""
    user_ids = list(user_ids)
    if not user_ids:
        return []
    cutoff = time.time() - ONLINE_FOR
    try:
        scores = get_redis().zmscore(KEY, user_ids)
    except Exception:
        return user_ids  # can't tell: better an unread event than a lost one
    return [u for u, score in zip(user_ids, scores, strict=True) if score is not None and score > cutoff]


def is_online(user_id: int) -> bool:
    return bool(online([user_id]))


def online_now(limit: int = 100_000) -> list[int]:
    """Everyone online, most recently refreshed first (for announcing a big account's posts)."""
    cutoff = time.time() - ONLINE_FOR
    return [int(u) for u in get_redis().zrevrangebyscore(KEY, "+inf", cutoff, start=0, num=limit)]


def forget_stale() -> int:
    """Drop those whose sockets died without closing (their server went away)."""
    client = get_redis()
    stale = client.zrangebyscore(KEY, "-inf", time.time() - ONLINE_FOR)
    if not stale:
        return 0
    with client.pipeline(transaction=False) as pipe:
        pipe.zrem(KEY, *stale)
        pipe.hdel(SOCKETS_KEY, *stale)
        pipe.execute()
    return len(stale)
