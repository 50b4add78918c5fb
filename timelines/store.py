"""Home timelines in Redis: one sorted set per reader, and a recent-entries set per author.

Members are entry ids (a tweet, or a retweet's own row) and scores are the
same snowflake ids, so ranges by score are ranges by time. A timeline only
exists once it has been fully built: a sentinel member at +inf marks it, so
fan-out can add to built timelines without creating partial ones, and an
empty timeline still counts as built. Everything here can be rebuilt from
PostgreSQL; nothing here is the source of truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings

from config.redis import get_redis

SENTINEL = "built"  # member at score +inf: "this timeline is complete"

# Add one entry to every listed home timeline that exists. Trimming back to the
# newest `max` (plus the sentinel) happens once a set is `slack` over, so a full
# timeline isn't trimmed on every single insert.
_ADD_IF_BUILT = """
local keep = tonumber(ARGV[3]) + 1
local limit = keep + tonumber(ARGV[4])
local added = 0
for i, key in ipairs(KEYS) do
  -- Add first and undo if that created the set: a built timeline always holds the
  -- sentinel, so a size of 1 means there was no timeline. Saves an EXISTS per key.
  redis.call('ZADD', key, ARGV[1], ARGV[2])
  local size = redis.call('ZCARD', key)
  if size == 1 then
    redis.call('DEL', key)
  else
    if size > limit then
      redis.call('ZREMRANGEBYRANK', key, 0, -(keep + 1))
    end
    added = added + 1
  end
end
return added
"""


# One round trip per page read: is the timeline built? If so, keep it alive,
# count a hit, and return a page with the cached list of followed celebrities
# (false when not cached); if not, count a miss.
_READ_PAGE = """
local key, stats, celebrities = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', key) == 0 then
  redis.call('HINCRBY', stats, 'miss', 1)
  return false
end
redis.call('HINCRBY', stats, 'hit', 1)
redis.call('EXPIRE', key, ARGV[3])
local ids = redis.call('ZREVRANGEBYSCORE', key, ARGV[1], '-inf', 'LIMIT', 0, ARGV[2])
return {ids, redis.call('ZCARD', key), redis.call('GET', celebrities)}
"""


def home_key(user_id: int) -> str:
    return f"tl:home:{user_id}"


def recent_key(author_id: int) -> str:
    return f"tl:recent:{author_id}"


def lock_key(user_id: int) -> str:
    return f"tl:lock:{user_id}"


def celebrities_key(user_id: int) -> str:
    """The accounts too big to fan out that this reader follows, as "1,2,3" (a cache)."""
    return f"tl:celebrities:{user_id}"


CELEBRITIES_TTL = 300  # seconds; a follow or unfollow clears it sooner


STATS_KEY = "tl:stats"  # hash: hit, miss, inserted


def _capacity() -> int:
    return settings.TIMELINE_MAX_ENTRIES


def _ttl() -> int:
    return int(settings.TIMELINE_INACTIVE_AFTER.total_seconds())


class TimelineStore:
    """Named operations on the timeline keys; callers never build keys by hand."""

    def __init__(self, redis=None):
        self.redis = redis if redis is not None else get_redis()
        self._add_script = self.redis.register_script(_ADD_IF_BUILT)
        self._read_script = self.redis.register_script(_READ_PAGE)

    # --- writing ------------------------------------------------------------------

    def add_to_homes(self, user_ids: Sequence[int], entry_id: int) -> int:
        """Add an entry to the built timelines among `user_ids`; one round trip."""
        if not user_ids:
            return 0
        args = [entry_id, entry_id, _capacity(), settings.TIMELINE_TRIM_SLACK]
        added = self._add_script(keys=[home_key(u) for u in user_ids], args=args)
        self.redis.hincrby(STATS_KEY, "inserted", added)
        return added

    def remove_from_homes(self, user_ids: Sequence[int], entry_ids: Sequence[int]) -> None:
        if not user_ids or not entry_ids:
            return
        with self.redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                pipe.zrem(home_key(user_id), *entry_ids)
            pipe.execute()

    def add_recent(self, author_id: int, entry_id: int) -> None:
        """The author's own recent entries: read by the celebrity merge, rebuilt on demand."""
        key = recent_key(author_id)
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {entry_id: entry_id})
            pipe.zremrangebyrank(key, 0, -(_capacity() + 1))
            pipe.execute()

    def remove_recent(self, author_id: int, entry_ids: Sequence[int]) -> None:
        if entry_ids:
            self.redis.zrem(recent_key(author_id), *entry_ids)

    def merge_into_home(self, user_id: int, entry_ids: Iterable[int]) -> None:
        """Add several entries to one built timeline (after a follow, unmute or unblock)."""
        entry_ids = list(entry_ids)
        key = home_key(user_id)
        if not entry_ids or not self.redis.exists(key):
            return
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {e: e for e in entry_ids})
            pipe.zremrangebyrank(key, 0, -(_capacity() + 2))
            pipe.execute()

    def replace_home(self, user_id: int, entry_ids: Iterable[int]) -> None:
        """Write a whole timeline at once, sentinel and expiry included."""
        key = home_key(user_id)
        members = {e: e for e in entry_ids}
        members[SENTINEL] = float("inf")
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.zadd(key, members)
            pipe.expire(key, _ttl())
            pipe.execute()

    def replace_recent(self, author_id: int, entry_ids: Iterable[int]) -> None:
        key = recent_key(author_id)
        members = {e: e for e in entry_ids}
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if members:
                pipe.zadd(key, members)
            pipe.execute()

    def drop_home(self, user_id: int) -> None:
        self.redis.delete(home_key(user_id))

    # --- reading ------------------------------------------------------------------------

    def home_exists(self, user_id: int) -> bool:
        return bool(self.redis.exists(home_key(user_id)))

    def touch(self, user_id: int) -> None:
        """A visit keeps the timeline alive for TIMELINE_INACTIVE_AFTER more."""
        self.redis.expire(home_key(user_id), _ttl())

    def read_home(self, user_id: int, before: int | None, count: int):
        """(ids, full, celebrities or None) as `home_page` gives them, or None when not built (a miss)."""
        top = f"({before}" if before is not None else "+inf"
        keys = [home_key(user_id), STATS_KEY, celebrities_key(user_id)]
        found = self._read_script(keys=keys, args=[top, count + 1, _ttl()])
        if found is None:
            return None
        members, size, celebrities = found
        ids = [int(m) for m in members if m != SENTINEL.encode()][:count]
        if celebrities is not None:
            celebrities = [int(c) for c in celebrities.split(b",") if c]
        return ids, size - 1 >= _capacity(), celebrities

    def cache_celebrities(self, user_id: int, author_ids: list[int]) -> None:
        self.redis.set(celebrities_key(user_id), ",".join(map(str, author_ids)), ex=CELEBRITIES_TTL)

    def forget_celebrities(self, user_id: int) -> None:
        self.redis.delete(celebrities_key(user_id))

    def home_page(self, user_id: int, before: int | None, count: int) -> tuple[list[int], bool]:
        """Up to `count` entry ids below `before`, newest first, and whether the set is full (trimmed)."""
        key = home_key(user_id)
        top = f"({before}" if before is not None else "+inf"
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrevrangebyscore(key, top, "-inf", start=0, num=count + 1)
            pipe.zcard(key)
            members, size = pipe.execute()
        ids = [int(m) for m in members if m != SENTINEL.encode()][:count]
        return ids, size - 1 >= _capacity()

    def newer(self, user_id: int, after: int, count: int) -> list[int]:
        """Entries above `after` (what a "new posts" banner loads), oldest first."""
        members = self.redis.zrangebyscore(home_key(user_id), f"({after}", "+inf", start=0, num=count + 1)
        return [int(m) for m in members if m != SENTINEL.encode()][:count]

    def recent_newer(self, author_ids: Sequence[int], after: int, count: int) -> list[int]:
        if not author_ids:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            for author_id in author_ids:
                pipe.zrangebyscore(recent_key(author_id), f"({after}", "+inf", start=0, num=count)
            return [int(m) for members in pipe.execute() for m in members]

    def recent_pages(self, author_ids: Sequence[int], before: int | None, count: int) -> list[int]:
        """Entries below `before` from several authors' recent sets, in one round trip."""
        if not author_ids:
            return []
        top = f"({before}" if before is not None else "+inf"
        with self.redis.pipeline(transaction=False) as pipe:
            for author_id in author_ids:
                pipe.zrevrangebyscore(recent_key(author_id), top, "-inf", start=0, num=count)
            results = pipe.execute()
        return [int(m) for members in results for m in members]

    def missing_recent(self, author_ids: Sequence[int]) -> list[int]:
        with self.redis.pipeline(transaction=False) as pipe:
            for author_id in author_ids:
                pipe.exists(recent_key(author_id))
            flags = pipe.execute()
        return [a for a, present in zip(author_ids, flags, strict=True) if not present]

    def acquire_rebuild_lock(self, user_id: int) -> bool:
        """One rebuild per reader at a time: SET NX with a short expiry."""
        return bool(self.redis.set(lock_key(user_id), "1", nx=True, ex=30))

    def release_rebuild_lock(self, user_id: int) -> None:
        self.redis.delete(lock_key(user_id))

    def oldest_entry(self, user_id: int) -> int | None:
        found = self.redis.zrange(home_key(user_id), 0, 0)
        return int(found[0]) if found and found[0] != SENTINEL.encode() else None

    # --- statistics ---------------------------------------------------------------------

    def count(self, outcome: str) -> None:
        self.redis.hincrby(STATS_KEY, outcome, 1)

    def count_fanout(self, seconds: float) -> None:
        """Time spent fanning out (with `inserted`, a worker's inserts per second)."""
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.hincrby(STATS_KEY, "fanouts", 1)
            pipe.hincrbyfloat(STATS_KEY, "fanout_ms", seconds * 1000)
            pipe.execute()

    def stats(self) -> dict[str, int]:
        return {k.decode(): float(v) if b"." in v else int(v) for k, v in self.redis.hgetall(STATS_KEY).items()}
