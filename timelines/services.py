"""Writes to home timelines: fan-out, removal, syncs after follows, and the outbox (rebuilds: timelines/rebuild.py).

Every function here is safe to run twice (sorted-set adds and removes are
idempotent, syncs look at PostgreSQL as it is now), so Celery may redeliver
the tasks that call them and the catch-ups may run them again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, Q
from django.utils import timezone

from accounts.models import User
from config.kernel import ids
from config.kernel.sql import any_of, unique_or_none
from config.kernel.tasks import enqueue
from notifications import presence
from notifications.tasks import announce_entry
from social.graph.models import Block, Follow, Mute
from timelines import hooks, list_timelines
from timelines.models import TimelineChange
from timelines.rebuild import window_entries
from timelines.store import TimelineStore
from tweets.models import Tweet

logger = logging.getLogger(__name__)


def note_visit(user: User, store: TimelineStore | None = None) -> None:
    """Record a home-timeline visit (at most hourly). Someone back after the inactive
    window had no fan-out meanwhile, so their stale timeline is dropped to be rebuilt."""
    now = timezone.now()
    last = user.last_seen_at
    if last is not None and now - last < timedelta(hours=1):
        return
    User.objects.filter(pk=user.pk).update(last_seen_at=now)
    user.last_seen_at = now
    if last is not None and now - last > settings.TIMELINE_INACTIVE_AFTER:
        (store or TimelineStore()).drop_home(user.pk)


def forget_celebrities(user_id: int) -> None:
    """After a follow or unfollow, the reader's cached list of followed celebrities is stale."""
    TimelineStore().forget_celebrities(user_id)


def is_celebrity(followers_count: int) -> bool:
    return followers_count > settings.TIMELINE_FANOUT_MAX_FOLLOWERS


def _active_since():
    return timezone.now() - settings.TIMELINE_INACTIVE_AFTER


FOLLOWER_BATCH_SQL = """
SELECT f.id, f.follower_id FROM {follow} f
WHERE f.followee_id = %s AND f.id > %s {among}
  AND NOT EXISTS (SELECT 1 FROM {mute} m WHERE m.muter_id = f.follower_id AND m.muted_id = %s)
  AND NOT EXISTS (SELECT 1 FROM {block} b WHERE b.blocker_id = f.follower_id AND b.blocked_id = %s)
ORDER BY f.id LIMIT %s
"""


def follower_batches(
    author_id: int, batch_size: int | None = None, among: list[int] | None = None
) -> Iterator[list[int]]:
    """Followers who haven't muted or blocked the author, 1,000 at a time, in follow-id order.

    One query per batch, the mute and block checks being anti-joins in it.
    Hand-written because fan-out is measured in inserts per second: the
    covering index (followee, id) INCLUDE (follower) answers it from the index.
    Who has been away is not asked here: a timeline expires after the inactive
    window unread, and only built timelines are written to, so the store skips
    them (a join to the user table for it cost 3x the query; docs/PERFORMANCE.md).
    """
    batch_size = batch_size or settings.TIMELINE_FANOUT_BATCH
    among_sql, among_params = any_of("f.follower_id", among) if among else ("", [])
    sql = FOLLOWER_BATCH_SQL.format(
        follow=Follow._meta.db_table, mute=Mute._meta.db_table, block=Block._meta.db_table,
        among=f"AND {among_sql}" if among_sql else "",
    )  # fmt: skip
    last_id = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [author_id, last_id, *among_params, author_id, author_id, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return
            last_id = rows[-1][0]
            yield [follower_id for _, follower_id in rows]


def fan_out(entry_id: int, store: TimelineStore | None = None) -> int:
    """Put a new tweet or retweet into its author's followers' timelines. Returns inserts.

    Followers with a page open are also told, live, that something is new.
    """
    # The generation is asked afresh: a Redis that restarted since this process last looked
    # must not have this post written into timelines of the generation it restored.
    store = store or TimelineStore(fresh=True)
    entry = unique_or_none(
        Tweet.objects.filter(pk=entry_id).values("author_id", "author__followers_count", "fanned_out")
    )
    if entry is None:
        return 0  # deleted before we got to it
    author_id = entry["author_id"]
    celebrity = is_celebrity(entry["author__followers_count"])
    started = time.perf_counter()
    store.add_recent(author_id, entry_id)
    inserted = store.add_to_homes([author_id], entry_id)
    online: list[int] = []
    if celebrity:
        online = _online_followers(author_id, celebrity=True)
    else:
        # Redis writes batches while PostgreSQL reads the next; two writers, so one packs its
        # 1,000 keys while Redis runs the other's script (the Python was a third of the wall time).
        everyone_online = presence.everyone_online_if_fewer_than(entry["author__followers_count"])
        with ThreadPoolExecutor(max_workers=2) as writer:
            writes = [
                writer.submit(_deliver, store, batch, entry_id, everyone_online)
                for batch in follower_batches(author_id)
            ]
            for write in writes:
                added, batch_online = write.result()
                inserted += added
                online += batch_online
    inserted += list_timelines.fan_out(store, author_id, entry_id)  # lists holding the author, same task
    Tweet.objects.filter(pk=entry_id, fanned_out=False).update(fanned_out=True)
    store.count_fanout(time.perf_counter() - started)
    _announce(entry_id, author_id, online)
    if not entry["fanned_out"]:  # once, not again for a redelivered task
        hooks.delivered(entry_id=entry_id)
    return inserted


def _deliver(
    store: TimelineStore, batch: list[int], entry_id: int, everyone_online: set[int] | None
) -> tuple[int, list[int]]:
    online = presence.online(batch) if everyone_online is None else [u for u in batch if u in everyone_online]
    return store.add_to_homes(batch, entry_id), online


def _online_followers(author_id: int, celebrity: bool) -> list[int]:
    """Followers with a socket open; for big accounts, asked the other way round (online first)."""
    if celebrity:
        candidates = presence.online_now()
        followers = follower_batches(author_id, among=candidates) if candidates else ()
    else:
        followers = follower_batches(author_id)
    return [user_id for batch in followers for user_id in presence.online(batch)]


def _announce(entry_id: int, author_id: int, user_ids: list[int]) -> None:

    if user_ids:
        enqueue(announce_entry, entry_id, author_id, user_ids)  # a live hint: lost if the broker is away


FAN_OUT_CATCH_UP_AFTER = timedelta(seconds=20)  # a queued fan-out takes well under a second


def fan_out_pending(
    *,
    older_than: timedelta = FAN_OUT_CATCH_UP_AFTER,
    window: timedelta = timedelta(days=1),
    budget: float | None = None,
) -> int:
    """Retry entries whose fan-out never completed (Redis, the broker or a worker was away).

    Works for up to `budget` seconds, oldest first; the next run carries on.
    Returns how many were done.
    """
    now = timezone.now()
    pending = Tweet.objects.filter(
        fanned_out=False, id__gte=ids.id_at(now - window), id__lt=ids.id_at(now - older_than)
    ).values_list("id", flat=True)
    deadline = time.monotonic() + (budget or settings.TASK_SLICE_SECONDS)
    done = 0
    for entry_id in pending.order_by("id")[:10_000]:
        fan_out(entry_id)
        done += 1
        if time.monotonic() > deadline:
            break
    return done


def remove_everywhere(author_id: int, entry_ids: list[int], store: TimelineStore | None = None) -> None:
    """After a delete or an undone retweet: out of the author's and followers' timelines."""
    store = store or TimelineStore()
    if not entry_ids:
        return
    store.remove_recent(author_id, entry_ids)
    store.remove_from_homes([author_id], entry_ids)
    list_timelines.remove(store, author_id, entry_ids)
    followers = Follow.objects.filter(followee_id=author_id).order_by("id").values_list("id", "follower_id")
    last_id = 0
    while True:
        rows = list(followers.filter(id__gt=last_id)[: settings.TIMELINE_FANOUT_BATCH])
        if not rows:
            return
        last_id = rows[-1][0]
        store.remove_from_homes([f for _, f in rows], entry_ids)


def should_see(reader_id: int, author_id: int) -> bool:
    """Whether the author's posts belong in the reader's home timeline now: followed, not muted, no block."""
    followed = Follow.objects.filter(follower_id=reader_id, followee_id=author_id)
    muted = Mute.objects.filter(muter_id=reader_id, muted_id=author_id)
    blocked = Block.objects.filter(
        Q(blocker_id=reader_id, blocked_id=author_id) | Q(blocker_id=author_id, blocked_id=reader_id)
    )
    found = (
        User.objects.filter(pk=reader_id)
        .annotate(followed=Exists(followed), muted=Exists(muted), blocked=Exists(blocked))
        .values("followed", "muted", "blocked")
        .first()
    )
    return bool(found and found["followed"] and not found["muted"] and not found["blocked"])


def sync_author(reader_id: int, author_id: int, store: TimelineStore | None = None) -> bool:
    """After a follow, unfollow, block, mute or unmute: the reader's timeline holds the author's
    recent entries if and only if the reader may see them now, as PostgreSQL says.

    State-based, so the order in which syncs of one pair run, and how often,
    doesn't matter: after writing, the state is read again, and a change in
    between is applied too. Returns False when the timeline is being rebuilt
    (its rebuild may have read PostgreSQL before the change): try again later.
    """
    store = store or TimelineStore()
    store.forget_celebrities(reader_id)
    wanted = should_see(reader_id, author_id)
    for _ in range(3):
        if not _apply_sync(store, reader_id, author_id, wanted):
            return False
        now = should_see(reader_id, author_id)
        if now == wanted:
            return True
        wanted = now
    return False


def _apply_sync(store: TimelineStore, reader_id: int, author_id: int, keep: bool) -> bool:
    state = store.home_state(reader_id)
    if state != "built":
        return state is None  # not built: it will be, from PostgreSQL; being rebuilt: later
    oldest = store.oldest_entry(reader_id)
    if keep:
        author = unique_or_none(User.objects.filter(pk=author_id).values("followers_count"))
        if author is None or is_celebrity(author["followers_count"]):
            return True  # celebrities are merged at read time
        since = oldest or ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
        entries = window_entries(author_id, since)
    else:
        entries = window_entries(author_id, oldest) if oldest is not None else []
    return store.sync_author(reader_id, entries, keep=keep) >= 0


# --- the outbox (timelines.models.TimelineChange) -------------------------------------------

CHANGES_CATCH_UP_AFTER = timedelta(seconds=30)  # rows older than this are the catch-up's


def changes_for_sync(pairs: list[tuple[int, int]]) -> list[int]:
    """Outbox rows for (reader, author) pairs, in the caller's transaction; their ids for the task."""
    rows = TimelineChange.objects.bulk_create(
        [TimelineChange(kind=TimelineChange.Kind.SYNC, reader_id=r, author_id=a) for r, a in dict.fromkeys(pairs)]
    )
    return [row.pk for row in rows]


def changes_for_removal(author_id: int, entry_ids: list[int]) -> list[int]:
    row = TimelineChange.objects.create(kind=TimelineChange.Kind.REMOVE, author_id=author_id, entry_ids=entry_ids)
    return [row.pk]


def apply_changes(change_ids: list[int] | None = None, *, older_than: timedelta | None = None,
                  budget: float | None = None) -> tuple[int, int]:  # fmt: skip
    """Apply outbox rows (these ids, or all older than `older_than`), oldest first, deleting each once applied.

    A sync whose timeline is being rebuilt stays for a later run. Works for
    up to `budget` seconds. Returns (applied, left).
    """
    rows = TimelineChange.objects.order_by("id")
    if change_ids is not None:
        rows = rows.filter(pk__in=change_ids)
    if older_than is not None:
        rows = rows.filter(created_at__lt=timezone.now() - older_than)
    store = TimelineStore()
    deadline = time.monotonic() + (budget or settings.TASK_SLICE_SECONDS)
    applied = left = 0
    for change in rows[:10_000]:
        if change.kind == TimelineChange.Kind.REMOVE:
            remove_everywhere(change.author_id, change.entry_ids, store)
            done = True
        else:
            done = sync_author(change.reader_id, change.author_id, store)
        if done:
            TimelineChange.objects.filter(pk=change.pk).delete()
            applied += 1
        else:
            left += 1
        if time.monotonic() > deadline:
            break
    return applied, left
