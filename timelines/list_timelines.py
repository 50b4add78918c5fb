"""List timelines in Redis: one sorted set per list, filled by the same fan-out task as home timelines.

Keys and markers are the home timeline's (timelines/store.py): a set counts
once its sentinel is in, fan-out adds only to built sets, a set being rebuilt
holds the pending mark, and the key carries the Redis generation. The key
also carries the list's `version`, which every membership change moves on:
the old set is no longer read (and is unlinked after commit), and the next
read builds the new one from PostgreSQL. What a reader may see is decided at read time
(timelines/lists_selectors.py), so the set holds every member's entries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from config.kernel.routers import primary_reads
from notifications import catalogue, presence
from notifications.events import send_event_on_commit
from social.graph.models import Block, Follow
from social.graph.muted_words import spared
from timelines.models import List, ListMember
from timelines.store import SENTINEL, TimelineStore, _ids, above, below
from tweets.models import Tweet
from tweets.selectors import entry_for_muted_words

BATCH = 1000


def list_key(generation: int, list_id: int, version: int) -> str:
    return f"tl:list:{generation}:{list_id}.{version}"


def list_lock_key(generation: int, list_id: int, version: int) -> str:
    return f"tl:listlock:{generation}:{list_id}.{version}"


def _ttl() -> int:
    return int(settings.TIMELINE_INACTIVE_AFTER.total_seconds())


def key_of(store: TimelineStore, lst: List) -> str:
    return list_key(store.generation, lst.pk, lst.version)


# --- reading ---------------------------------------------------------------------------


def read_page(store: TimelineStore, lst: List, before: int | None, count: int) -> tuple[list[int], bool] | None:
    """(ids below `before`, newest first; whether the set was trimmed), or None when not built. One round trip."""
    key = key_of(store, lst)
    with store.redis.pipeline(transaction=False) as pipe:
        pipe.zscore(key, SENTINEL)
        pipe.zrangebyscore(key, below(before), "+inf", start=0, num=count + 1)
        pipe.zcard(key)
        pipe.expire(key, _ttl())  # a read keeps it alive
        built, members, size, _ = pipe.execute()
    if built is None:
        return None
    return _ids(members)[:count], size - 1 >= settings.TIMELINE_MAX_ENTRIES


def newer(store: TimelineStore, lst: List, after: int, count: int) -> list[int] | None:
    """Entries above `after`, oldest first, or None when the set isn't built."""
    key = key_of(store, lst)
    with store.redis.pipeline(transaction=False) as pipe:
        pipe.zscore(key, SENTINEL)
        pipe.zrevrangebyscore(key, above(after), "-inf", start=0, num=count + 1)
        built, members = pipe.execute()
    return None if built is None else _ids(members)[:count]


def member_entries(lst: List, *, before: int | None = None, after: int | None = None):
    """The members' entries (posts and retweets) as a queryset, for the rebuild and the SQL fallback."""
    entries = Tweet.objects.filter(author_id__in=ListMember.objects.filter(list_id=lst.pk).values("user_id"))
    if before is not None:
        entries = entries.filter(id__lt=before)
    if after is not None:
        entries = entries.filter(id__gt=after)
    return entries


def rebuild(store: TimelineStore, lst: List) -> bool:
    """Fill a missing list timeline from PostgreSQL under a lock; False when another request holds it.

    Marked as being rebuilt before PostgreSQL is read, so a post fanned out
    meanwhile is kept. No time window: the newest entries, however old.
    """
    lock = list_lock_key(store.generation, lst.pk, lst.version)
    if not store.redis.set(lock, "1", nx=True, ex=30):
        return False
    try:
        key = key_of(store, lst)
        store.begin_rebuild(key)
        with primary_reads():  # a fill outlives the request: not from a lagging replica (timelines/rebuild.py)
            newest = member_entries(lst).order_by("-id").values_list("id", flat=True)
            ids = list(newest[: settings.TIMELINE_MAX_ENTRIES])
        store.finish_rebuild(key, ids, _ttl())
    finally:
        store.redis.delete(lock)
    return True


def forget(list_id: int, version: int) -> None:
    """Unlink a set no longer read (after a membership change or a delete), so it doesn't wait for its TTL."""
    store = TimelineStore()
    store.redis.unlink(list_key(store.generation, list_id, version))


# --- writing (the fan-out task) --------------------------------------------------------


def _holding(author_id: int) -> Iterable[list[tuple[int, int, int]]]:
    """(list id, version, owner id) of the lists that hold this author, BATCH at a time."""
    rows = ListMember.objects.filter(user_id=author_id).order_by("list_id")
    last = 0
    while True:
        batch = list(rows.filter(list_id__gt=last).values_list("list_id", "list__version", "list__owner_id")[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        yield batch


def fan_out(store: TimelineStore, author_id: int, entry_id: int) -> int:
    """Add a new entry to the built timelines of every list holding its author, then tell owners
    with a page open who may see the author. Safe to run twice. Returns inserts."""
    inserted = 0
    for batch in _holding(author_id):
        keys = [list_key(store.generation, list_id, version) for list_id, version, _ in batch]
        inserted += store._add_if_built(keys, entry_id)
        owners = _may_see(author_id, presence.online(sorted({owner for _, _, owner in batch})))
        owners = set(spared(sorted(owners), "home", lambda: entry_for_muted_words(entry_id)))
        for list_id, _, owner_id in batch:
            if owner_id in owners:
                send_event_on_commit([owner_id], catalogue.timeline_new(entry_id, author_id, list_id=list_id))
    return inserted


def _may_see(author_id: int, user_ids: list[int]) -> set[int]:
    """Those of `user_ids` who may read the author's posts now (one query; the visibility rule of
    social/graph/visibility.py asked the other way round: for one author, many viewers)."""
    if not user_ids:
        return set()
    author = User.objects.filter(pk=author_id, is_active=True).values("is_private").first()
    if author is None:
        return set()
    blocked = Block.objects.filter(
        Q(blocker_id=author_id, blocked_id=OuterRef("pk")) | Q(blocker_id=OuterRef("pk"), blocked_id=author_id)
    )
    viewers = User.objects.filter(pk__in=user_ids).exclude(Exists(blocked))
    if author["is_private"]:
        follows = Follow.objects.filter(follower_id=OuterRef("pk"), followee_id=author_id)
        viewers = viewers.filter(Q(pk=author_id) | Exists(follows))
    return set(viewers.values_list("pk", flat=True))


def remove(store: TimelineStore, author_id: int, entry_ids: list[int]) -> None:
    """After a delete or an undone retweet: out of the lists holding the author."""
    if not entry_ids:
        return
    for batch in _holding(author_id):
        with store.redis.pipeline(transaction=False) as pipe:
            for list_id, version, _ in batch:
                pipe.zrem(list_key(store.generation, list_id, version), *entry_ids)
            pipe.execute()
