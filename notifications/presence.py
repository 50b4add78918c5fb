"""Who has a live socket open right now, so live events are built only for them.

Each open socket has an entry of its own, scored by when its consumer last
refreshed it (every PRESENCE_REFRESH_EVERY seconds while the socket lives). A
person counts as online while any of their sockets refreshed within
PRESENCE_ONLINE_FOR seconds. A socket that closes removes its own entry, so
closing the last tab makes its owner offline at once; a socket whose server
died simply stops being refreshed and lapses. There is no counter for a
skipped close to corrupt.

Keys (all in one Redis Cluster slot, `{presence}`, so the scripts may touch them together):
- `presence`: user id -> newest refresh among their sockets (what `online()` reads);
- `{presence}:user:<id>`: socket id -> last refresh, one per user;
- `{presence}:sockets`: "<user id>:<socket id>" -> last refresh, every socket (for the metrics).

Counting someone online by mistake only costs an event nobody reads; missing
someone would lose their events, so every doubt falls on the side of online.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.conf import settings

from config.kernel.redis import get_redis

KEY = "presence"
SOCKETS_KEY = "{presence}:sockets"


def user_key(user_id: int) -> str:
    return f"{{presence}}:user:{user_id}"


def refresh_every() -> float:
    return settings.PRESENCE_REFRESH_EVERY


def online_for() -> float:
    return settings.PRESENCE_ONLINE_FOR


def _cutoff() -> float:
    return time.time() - online_for()


# KEYS: user key, KEY, SOCKETS_KEY. ARGV: user id, socket id, now, cutoff, limit (0: none), ttl.
# Returns 0 when the user already has `limit` live sockets (this one is not added), else 1.
_JOIN = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
local limit = tonumber(ARGV[5])
if limit > 0 and not redis.call('ZSCORE', KEYS[1], ARGV[2]) and redis.call('ZCARD', KEYS[1]) >= limit then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1] .. ':' .. ARGV[2])
return 1
"""

# KEYS: user key, KEY, SOCKETS_KEY. ARGV: user id, socket id, cutoff.
# The user's score becomes their newest remaining live socket's, or they go.
_LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1] .. ':' .. ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local newest = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if newest[2] then
  redis.call('ZADD', KEYS[2], newest[2], ARGV[1])
else
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('DEL', KEYS[1])
end
return #newest / 2
"""

# KEYS: KEY, SOCKETS_KEY. ARGV: cutoff, user key prefix, batch size.
# A user is only stale when their newest socket is, so all their sockets go with them.
_FORGET_STALE = """
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, user in ipairs(stale) do
  redis.call('ZREM', KEYS[1], user)
  redis.call('DEL', ARGV[2] .. user)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
return #stale
"""


def _run(script: str, keys: list[str], args: list) -> int:
    client = get_redis()
    return client.register_script(script)(keys=keys, args=args, client=client)


def connected(user_id: int, socket_id: str, limit: int = 0) -> bool:
    """A socket opened. False (and not counted) when the user already has `limit` live sockets."""
    ttl = int(online_for()) + 60  # a user key nobody refreshes goes by itself
    args = [user_id, socket_id, time.time(), _cutoff(), limit, ttl]
    return bool(_run(_JOIN, [user_key(user_id), KEY, SOCKETS_KEY], args))


def refresh(user_id: int, socket_id: str) -> None:
    """The socket is still open (its consumer says so, while it runs)."""
    connected(user_id, socket_id)


def disconnected(user_id: int, socket_id: str) -> None:
    """A socket closed: its owner is offline once it was their last live one."""
    _run(_LEAVE, [user_key(user_id), KEY, SOCKETS_KEY], [user_id, socket_id, _cutoff()])


def sockets_of(user_id: int) -> int:
    """How many live sockets the user has."""
    return get_redis().zcount(user_key(user_id), _cutoff(), "+inf")


def online(user_ids: Iterable[int]) -> list[int]:
    """Those of `user_ids` with a socket open."""
    user_ids = list(user_ids)
    if not user_ids:
        return []
    cutoff = _cutoff()
    try:
        scores = get_redis().zmscore(KEY, user_ids)
    except Exception:
        return user_ids  # can't tell: better an unread event than a lost one
    return [u for u, score in zip(user_ids, scores, strict=True) if score is not None and score > cutoff]


def everyone_online_if_fewer_than(count: int) -> set[int] | None:
    """Everyone with a socket open, when they are fewer than `count`; else None.

    A fan-out to `count` followers asks this once instead of asking `online`
    about each batch of 1,000 followers, whenever that is less to read.
    """
    client, cutoff = get_redis(), _cutoff()
    try:
        if client.zcount(KEY, cutoff, "+inf") >= count:
            return None
        return {int(u) for u in client.zrangebyscore(KEY, cutoff, "+inf")}
    except Exception:
        return None  # the caller asks batch by batch, which answers for a Redis away


def is_online(user_id: int) -> bool:
    return bool(online([user_id]))


def online_now(limit: int = 100_000) -> list[int]:
    """Everyone online, most recently refreshed first (for announcing a big account's posts)."""
    return [int(u) for u in get_redis().zrevrangebyscore(KEY, "+inf", _cutoff(), start=0, num=limit)]


def forget_stale(batch: int = 1000) -> int:
    """Drop those whose sockets all died without closing (their server went away)."""
    forgotten = 0
    while True:
        found = _run(_FORGET_STALE, [KEY, SOCKETS_KEY], [_cutoff(), user_key(""), batch])
        forgotten += found
        if found < batch:
            return forgotten
