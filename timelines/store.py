"""Home timelines in Redis: one sorted set per reader, and a recent-entries set per author.

Members are entry ids (a tweet, or a retweet's own row) and scores are the
same snowflake ids negated, so ranges by score are ranges by time, newest
first: a new entry goes in at the head of the set's skiplist, where Redis
finds its place in half the time it takes at the tail (docs/PERFORMANCE.md,
"Newest first"). A set only counts
once it has been fully built: a sentinel member at -inf marks it, so fan-out
can add to built sets without creating partial ones, and an empty set still
counts as built. A set being rebuilt holds a `pending` member (score +inf)
until the rebuild has written what it read from PostgreSQL: fan-out adds to
it meanwhile, so a post committed during a rebuild is never lost between
the rebuild's read and its write. Everything here can be rebuilt from
PostgreSQL; nothing here is the source of truth.

Every key carries a generation (`tl:home:<generation>:<reader>`). A Redis
that restarts, whatever it restored (nothing, or a snapshot from before
posts that were since fanned out), has a new run id; the first process to
notice moves every process to a new generation, in which no timeline is
built yet, so each is rebuilt from PostgreSQL on its next read. Processes
look at most `GENERATION_CHECK_SECONDS` apart (the worker before every
fan-out); old generations expire or are swept by `sweep_generations`.

Redis Cluster (REDIS_CLUSTER_URL): every key of one reader ends in a hash tag
of their id (`tl:home:<generation>:{42}`, `tl:celebrities:<generation>:{42}`),
so the page-read script's keys share a slot, and readers spread over every
master; the generation's keys share the tag `{gen}`. A fan-out to many
readers spans slots, so it runs the add script once per slot, in one
non-transactional pipeline that the client splits per node. On a cluster the
generation is tied to every master's run id: a master that restarts or fails
over to its replica (which may lack the last writes it was sent) starts a new
generation, so every timeline is rebuilt from PostgreSQL on its next read.
The generation's own keys carry the format of the sets (`v2`: negated scores),
so processes of another format, during a rolling deploy, keep their own
generation and never read or write sets of this one.
Renaming the keys left the old ones unread: the first process after the
change found no stored generation, began a new one, and readers' next pages
were misses rebuilt from PostgreSQL; the sweep unlinks the old keys.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Sequence

from django.conf import settings

from config.kernel.redis import get_redis, is_cluster

SENTINEL = "built"  # member at score -inf (before every entry): "this set is complete"
PENDING = "pending"  # member at score +inf (after every entry): "being rebuilt"; removed when the rebuild writes
MARKERS = {SENTINEL.encode(), PENDING.encode()}

# Two colons at most: the sweep matches "tl:*:*:*" (a timeline's key) and must not match these.
GENERATION_KEY = "tl:{gen}:v2"  # the current generation (a number that never repeats)
RUN_KEY = "tl:{gen}:v2-run"  # the run id of the Redis process (on a cluster: of every master) it belongs to
SWEEP_KEY = "tl:{gen}:v2-sweep"  # where the due sweep of old generations got to (SCAN cursors); none when not due
STATS_KEY = "tl:stats"  # hash: hit, miss, inserted, fanouts, fanout_ms (kept across generations)
GENERATION_CHECK_SECONDS = 1.0

# The generation for this Redis process: the stored one while the run id matches, else
# a new one (the stored number + 1, or the server's time in microseconds if larger, so
# that a Redis that lost everything never hands out a number an old process may hold).
# ARGV[1]: the run ids of a cluster's masters (the caller asks each), or '' for this server's.
_CHECK_GENERATION = """
local run = ARGV[1]
if run == '' then run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)') end
local stored = redis.call('GET', KEYS[2])
if stored and redis.call('GET', KEYS[1]) == run then
  return tonumber(stored)
end
local now = redis.call('TIME')
local generation = math.max(tonumber(stored or '0') + 1, tonumber(now[1]) * 1000000 + tonumber(now[2]))
redis.call('SET', KEYS[2], string.format('%.0f', generation))  -- not tostring: that would round
redis.call('SET', KEYS[1], run)
redis.call('SET', KEYS[3], '0')  -- a sweep of older generations is due, from the start
return generation
"""

# Add one entry to every listed set that is built or being rebuilt. Trimming back to the
# sentinel and the newest `max` (ranks 0 to max) happens once a set is `slack` over, so a
# full set isn't trimmed on every single insert. Answers how many entries were new.
_ADD_IF_BUILT = """
local keep = tonumber(ARGV[3]) + 1
local limit = keep + tonumber(ARGV[4])
local added = 0
for i, key in ipairs(KEYS) do
  -- The size first: a built set always holds the sentinel (one being rebuilt, the
  -- pending mark), so 0 means there is none and one read is all a follower without a
  -- timeline costs (adding, then deleting what that created, cost three calls and an
  -- allocation). For a built set it also says when to trim, without a second count.
  local size = redis.call('ZCARD', key)
  if size > 0 then
    local new = redis.call('ZADD', key, ARGV[1], ARGV[2])
    if size + new > limit then
      redis.call('ZREMRANGEBYRANK', key, keep, -1)
    end
    added = added + new
  end
end
return added
"""

# One round trip per page read: is the timeline built? If so, keep it alive,
# count a hit, and return a page with the cached list of followed celebrities
# (false when not cached); if not, count a miss. On a cluster the statistics live in
# another slot: the script is given no KEYS[3] and the caller counts.
_READ_PAGE = """
local key, celebrities, stats = KEYS[1], KEYS[2], KEYS[3]
if not redis.call('ZSCORE', key, 'built') then
  if stats then redis.call('HINCRBY', stats, 'miss', 1) end
  return false
end
if stats then redis.call('HINCRBY', stats, 'hit', 1) end
redis.call('EXPIRE', key, ARGV[3])
local ids = redis.call('ZRANGEBYSCORE', key, ARGV[1], '+inf', 'LIMIT', 0, ARGV[2])
return {ids, redis.call('ZCARD', key), redis.call('GET', celebrities)}
"""

# Bring one author's entries into (ARGV[1] = 'merge') or out of ('drop') one built
# timeline. -1: being rebuilt, try later (the rebuild may have read PostgreSQL before
# the change); 0: not built, nothing to do (it will be built from PostgreSQL); 1: done.
_SYNC = """
local key = KEYS[1]
if redis.call('ZSCORE', key, 'pending') then return -1 end
if not redis.call('ZSCORE', key, 'built') then return 0 end
if ARGV[1] == 'merge' then
  for i = 3, #ARGV do redis.call('ZADD', key, -tonumber(ARGV[i]), ARGV[i]) end
  redis.call('ZREMRANGEBYRANK', key, tonumber(ARGV[2]) + 1, -1)
else
  for i = 3, #ARGV do redis.call('ZREM', key, ARGV[i]) end
end
return 1
"""


# Each key ends in `{<user id>}`, a Redis Cluster hash tag: one person's keys share a slot.


def home_key(generation: int, user_id: int) -> str:
    return f"tl:home:{generation}:{{{user_id}}}"


def home_keys(generation: int, user_ids: Sequence[int]) -> list[str]:
    """`home_key` for many readers: a fan-out names 1,000 at a time, and a call per key was a
    tenth of the worker's CPU."""
    prefix = f"tl:home:{generation}:"
    return [f"{prefix}{{{user_id}}}" for user_id in user_ids]


def recent_key(generation: int, author_id: int) -> str:
    return f"tl:recent:{generation}:{{{author_id}}}"


def lock_key(generation: int, user_id: int) -> str:
    return f"tl:lock:{generation}:{{{user_id}}}"


def celebrities_key(generation: int, user_id: int) -> str:
    """The accounts too big to fan out that this reader follows, as "1,2,3" (a cache)."""
    return f"tl:celebrities:{generation}:{{{user_id}}}"


CELEBRITIES_TTL = 300  # seconds; a follow or unfollow clears it sooner
REBUILD_TTL = 120  # a rebuild that died leaves its pending set this long at most


def _capacity() -> int:
    return settings.TIMELINE_MAX_ENTRIES


def _ttl() -> int:
    return int(settings.TIMELINE_INACTIVE_AFTER.total_seconds())


def _ids(members) -> list[int]:
    return [int(m) for m in members if m not in MARKERS]


def below(before: int | None) -> str:
    """The score range's start for entries older than `before` (all, from the newest, when None)."""
    return "-inf" if before is None else f"({-before}"


def above(after: int) -> str:
    """The score range's start for entries newer than `after`, read from the oldest of them."""
    return f"({-after}"


# --- the generation ----------------------------------------------------------------------

_generations: dict[str, tuple[int, float]] = {}  # Redis address -> (generation, when checked)
_generations_lock = threading.Lock()


def _address(client) -> str:
    if is_cluster(client):
        return "cluster:" + ",".join(sorted(client.nodes_manager.startup_nodes))
    kwargs = client.connection_pool.connection_kwargs
    return f"{kwargs.get('path') or kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db', 0)}"


def generation(client, *, max_age: float = GENERATION_CHECK_SECONDS) -> int:
    """The current timeline generation of this Redis, asked at most every `max_age` seconds."""
    address = _address(client)
    found = _generations.get(address)
    now = time.monotonic()
    if found is not None and now - found[1] < max_age:
        return found[0]
    current = int(client.eval(_CHECK_GENERATION, 3, RUN_KEY, GENERATION_KEY, SWEEP_KEY, _run_ids(client)))
    with _generations_lock:
        _generations[address] = (current, now)
    return current


def _run_ids(client) -> str:
    """A cluster's masters' run ids, sorted ("" for a single Redis: the script reads its own)."""
    if not is_cluster(client):
        return ""
    answers = client.info("server", target_nodes=client.PRIMARIES)
    return ",".join(sorted(answer["run_id"] for answer in answers.values()))


def forget_generations() -> None:
    """Ask Redis afresh on next use (tests empty Redis between tests)."""
    with _generations_lock:
        _generations.clear()


class TimelineStore:
    """Named operations on the timeline keys; callers never build keys by hand.

    The generation is read on first use (so a Redis that is down fails the
    caller's first operation, inside its own error handling) and kept for the
    store's life, so one page reads one generation. `fresh=True` asks Redis
    rather than the per-process cache (the worker, before each fan-out).
    """

    def __init__(self, redis=None, *, fresh: bool = False):
        self.redis = redis if redis is not None else get_redis()
        self._fresh = fresh
        self._generation: int | None = None
        self._scripts = {}

    @property
    def generation(self) -> int:
        if self._generation is None:
            self._generation = generation(self.redis, max_age=0 if self._fresh else GENERATION_CHECK_SECONDS)
        return self._generation

    def home_key(self, user_id: int) -> str:
        return home_key(self.generation, user_id)

    def recent_key(self, author_id: int) -> str:
        return recent_key(self.generation, author_id)

    def _eval(self, script: str, keys: list[str], args: list) -> object:
        # EVALSHA, loading the script on first use (or after a restart emptied the script cache).
        found = self._scripts.get(script)
        if found is None:
            found = self._scripts[script] = self.redis.register_script(script)
        return found(keys=keys, args=args)

    # --- writing ------------------------------------------------------------------

    def _add_if_built(self, keys: list[str], entry_id: int) -> int:
        args = [-entry_id, entry_id, _capacity(), settings.TIMELINE_TRIM_SLACK]
        if len(keys) > 1 and is_cluster(self.redis):
            return self._add_per_slot(keys, args)
        return self._eval(_ADD_IF_BUILT, keys, args)

    def _add_per_slot(self, keys: list[str], args: list) -> int:
        """The add script once per hash slot, all in one pipeline (the cluster client sends each node
        its share at once). Not a transaction: each script is atomic on its own keys, and a fan-out
        that fails part way is run again by its task (adding is idempotent)."""
        by_slot: dict[int, list[str]] = {}
        for key in keys:
            by_slot.setdefault(self.redis.keyslot(key), []).append(key)
        with self.redis.pipeline(transaction=False) as pipe:
            for slot_keys in by_slot.values():
                pipe.execute_command("EVAL", _ADD_IF_BUILT, len(slot_keys), *slot_keys, *args)
            return sum(pipe.execute())

    def add_to_homes(self, user_ids: Sequence[int], entry_id: int) -> int:
        """Add an entry to the built timelines among `user_ids`; one round trip. Returns new entries."""
        if not user_ids:
            return 0
        added = self._add_if_built(home_keys(self.generation, user_ids), entry_id)
        if added:
            self.redis.hincrby(STATS_KEY, "inserted", added)
        return added

    def remove_from_homes(self, user_ids: Sequence[int], entry_ids: Sequence[int]) -> None:
        if not user_ids or not entry_ids:
            return
        with self.redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                pipe.zrem(self.home_key(user_id), *entry_ids)
            pipe.execute()

    def add_recent(self, author_id: int, entry_id: int) -> None:
        """The author's own recent entries, if their set is built (read by the celebrity merge)."""
        self._add_if_built([self.recent_key(author_id)], entry_id)

    def remove_recent(self, author_id: int, entry_ids: Sequence[int]) -> None:
        if entry_ids:
            self.redis.zrem(self.recent_key(author_id), *entry_ids)

    def sync_author(self, user_id: int, entry_ids: Sequence[int], *, keep: bool) -> int:
        """Merge (`keep`) or drop one author's entries in a built timeline: 1 done, 0 not built, -1 rebuilding."""
        args = ["merge" if keep else "drop", _capacity(), *entry_ids]
        return int(self._eval(_SYNC, [self.home_key(user_id)], args))

    def merge_into_home(self, user_id: int, entry_ids: Iterable[int]) -> None:
        """Add several entries to one built timeline."""
        self.sync_author(user_id, list(entry_ids), keep=True)

    def begin_rebuild(self, key: str) -> None:
        """Empty the set but for the pending mark: fan-out adds to it while PostgreSQL is read."""
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.zadd(key, {PENDING: float("inf")})
            pipe.expire(key, REBUILD_TTL)
            pipe.execute()

    def finish_rebuild(self, key: str, entry_ids: Iterable[int], ttl: int | None) -> None:
        """Write what was read, mark the set built, and keep the newest entries (with what arrived meanwhile)."""
        members = {e: -e for e in entry_ids}
        members[SENTINEL] = float("-inf")
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, members)
            pipe.zrem(key, PENDING)
            pipe.zremrangebyrank(key, _capacity() + 1, -1)
            if ttl:
                pipe.expire(key, ttl)
            else:
                pipe.persist(key)
            pipe.execute()

    def replace_home(self, user_id: int, entry_ids: Iterable[int]) -> None:
        """Write a whole timeline at once, sentinel and expiry included."""
        key = self.home_key(user_id)
        self.begin_rebuild(key)
        self.finish_rebuild(key, entry_ids, _ttl())

    def replace_recent(self, author_id: int, entry_ids: Iterable[int]) -> None:
        key = self.recent_key(author_id)
        self.begin_rebuild(key)
        self.finish_rebuild(key, entry_ids, None)

    def drop_home(self, user_id: int) -> None:
        self.redis.delete(self.home_key(user_id))

    # --- reading ------------------------------------------------------------------------

    def home_state(self, user_id: int) -> str | None:
        """ "built", "pending" (being rebuilt) or None (no timeline)."""
        with self.redis.pipeline(transaction=False) as pipe:
            key = self.home_key(user_id)
            pipe.zscore(key, PENDING)
            pipe.zscore(key, SENTINEL)
            pending, built = pipe.execute()
        return "pending" if pending is not None else "built" if built is not None else None

    def home_exists(self, user_id: int) -> bool:
        """Built (complete); a timeline being rebuilt doesn't count."""
        return self.redis.zscore(self.home_key(user_id), SENTINEL) is not None

    def touch(self, user_id: int) -> None:
        """A visit keeps the timeline alive for TIMELINE_INACTIVE_AFTER more."""
        self.redis.expire(self.home_key(user_id), _ttl())

    def read_home(self, user_id: int, before: int | None, count: int):
        """(ids, full, celebrities or None) as `home_page` gives them, or None when not built (a miss)."""
        keys = [self.home_key(user_id), celebrities_key(self.generation, user_id)]
        cluster = is_cluster(self.redis)
        found = self._eval(_READ_PAGE, keys if cluster else [*keys, STATS_KEY], [below(before), count + 1, _ttl()])
        if cluster:
            self.count("miss" if found is None else "hit")
        if found is None:
            return None
        members, size, celebrities = found
        ids = _ids(members)[:count]
        if celebrities is not None:
            celebrities = [int(c) for c in celebrities.split(b",") if c]
        return ids, size - 1 >= _capacity(), celebrities

    def cache_celebrities(self, user_id: int, author_ids: list[int]) -> None:
        key = celebrities_key(self.generation, user_id)
        self.redis.set(key, ",".join(map(str, author_ids)), ex=CELEBRITIES_TTL)

    def forget_celebrities(self, user_id: int) -> None:
        self.redis.delete(celebrities_key(self.generation, user_id))

    def home_page(self, user_id: int, before: int | None, count: int) -> tuple[list[int], bool]:
        """Up to `count` entry ids below `before`, newest first, and whether the set is full (trimmed)."""
        key = self.home_key(user_id)
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrangebyscore(key, below(before), "+inf", start=0, num=count + 1)
            pipe.zcard(key)
            members, size = pipe.execute()
        return _ids(members)[:count], size - 1 >= _capacity()

    def newer(self, user_id: int, after: int, count: int) -> list[int]:
        """Entries above `after` (what a "new posts" banner loads), oldest first."""
        members = self.redis.zrevrangebyscore(self.home_key(user_id), above(after), "-inf", start=0, num=count + 1)
        return _ids(members)[:count]

    def recent_newer(self, author_ids: Sequence[int], after: int, count: int) -> list[int]:
        if not author_ids:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            for author_id in author_ids:
                pipe.zrevrangebyscore(self.recent_key(author_id), above(after), "-inf", start=0, num=count + 1)
            return [i for members in pipe.execute() for i in _ids(members)]

    def recent_pages(self, author_ids: Sequence[int], before: int | None, count: int) -> list[int]:
        """Entries below `before` from several authors' recent sets, in one round trip."""
        if not author_ids:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            for author_id in author_ids:
                pipe.zrangebyscore(self.recent_key(author_id), below(before), "+inf", start=0, num=count + 1)
            results = pipe.execute()
        return [i for members in results for i in _ids(members)[:count]]

    def missing_recent(self, author_ids: Sequence[int]) -> list[int]:
        """Authors whose recent set isn't built (never, or not in this generation, or being rebuilt)."""
        with self.redis.pipeline(transaction=False) as pipe:
            for author_id in author_ids:
                pipe.zscore(self.recent_key(author_id), SENTINEL)
            flags = pipe.execute()
        return [a for a, score in zip(author_ids, flags, strict=True) if score is None]

    def acquire_rebuild_lock(self, user_id: int) -> bool:
        """One rebuild per reader at a time: SET NX with a short expiry."""
        return bool(self.redis.set(lock_key(self.generation, user_id), "1", nx=True, ex=30))

    def release_rebuild_lock(self, user_id: int) -> None:
        self.redis.delete(lock_key(self.generation, user_id))

    def oldest_entry(self, user_id: int) -> int | None:
        found = self.redis.zrevrangebyscore(self.home_key(user_id), "(0", "-inf", start=0, num=1)
        return int(found[0]) if found and found[0] not in MARKERS else None

    # --- old generations ----------------------------------------------------------------

    def sweep_generations(self, *, budget: float = 10.0, batch: int = 1000) -> int:
        """Unlink keys of past generations, `batch` at a time, for up to `budget` seconds. Returns how many.

        Only after a new generation began (it leaves a cursor in `tl:sweep`), and
        resuming where the last sweep stopped; a finished sweep removes the cursor.
        """
        current = str(self.generation)
        found = self.redis.get(SWEEP_KEY)
        if found is None:
            return 0  # no new generation since the last complete sweep
        # One SCAN cursor per server: {"host:port": cursor} on a cluster (each master scanned in turn,
        # a finished one dropped), a plain number on a single Redis ("0": from the start, everywhere).
        if is_cluster(self.redis):
            nodes = {node.name: self.redis.get_redis_connection(node) for node in self.redis.get_primaries()}
        else:
            nodes = {"": self.redis}
        cursors = json.loads(found) if found.startswith(b"{") else dict.fromkeys(nodes, int(found))
        deadline = time.monotonic() + budget
        removed = 0
        for name, cursor in list(cursors.items()):
            server = nodes.get(name)  # None: a master that has gone (failed over); its replica is listed
            while server is not None and time.monotonic() <= deadline:
                cursor, keys = server.scan(cursor, match="tl:*:*:*", count=batch)
                stale = [k for k in keys if k.split(b":")[2].decode() != current]
                if stale:
                    removed += self.redis.unlink(*stale)  # the cluster client splits these per slot
                if cursor == 0:
                    server = None  # this one is done
            if server is None:
                del cursors[name]
            else:
                cursors[name] = cursor
        if not cursors:
            self.redis.delete(SWEEP_KEY)
        elif len(nodes) == 1 and "" in cursors:
            self.redis.set(SWEEP_KEY, cursors[""])
        else:
            self.redis.set(SWEEP_KEY, json.dumps(cursors))
        return removed

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
