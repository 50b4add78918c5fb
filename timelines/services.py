"""Writes to home timelines: fan-out, removal, merges after follows, rebuilds.

Every function here is safe to run twice (sorted-set adds and removes are
idempotent), so Celery may redeliver the tasks that call them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from config.sql import any_of
from notifications import presence
from social.models import Block, Follow, Mute
from timelines.store import TimelineStore
from tweets import ids
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
SELECT f.id, f.follower_id FROM {follow} f JOIN {user} u ON u.id = f.follower_id
WHERE f.followee_id = %s AND f.id > %s AND u.last_seen_at >= %s {among}
  AND NOT EXISTS (SELECT 1 FROM {mute} m WHERE m.muter_id = f.follower_id AND m.muted_id = %s)
  AND NOT EXISTS (SELECT 1 FROM {block} b WHERE b.blocker_id = f.follower_id AND b.blocked_id = %s)
ORDER BY f.id LIMIT %s
"""


def follower_batches(
    author_id: int, batch_size: int | None = None, among: list[int] | None = None
) -> Iterator[list[int]]:
    """Active followers who haven't muted or blocked the author, 1,000 at a time, in follow-id order.

    One query per batch, the mute and block checks being anti-joins in it.
    Hand-written because fan-out is measured in inserts per second: the
    covering index (followee, id) INCLUDE (follower) answers it from the index.
    """
    batch_size = batch_size or settings.TIMELINE_FANOUT_BATCH
    among_sql, among_params = any_of("f.follower_id", among) if among else ("", [])
    sql = FOLLOWER_BATCH_SQL.format(
        follow=Follow._meta.db_table, user=User._meta.db_table, mute=Mute._meta.db_table, block=Block._meta.db_table,
        among=f"AND {among_sql}" if among_sql else "",
    )  # fmt: skip
    since, last_id = _active_since(), 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [author_id, last_id, since, *among_params, author_id, author_id, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return
            last_id = rows[-1][0]
            yield [follower_id for _, follower_id in rows]


def fan_out(entry_id: int, store: TimelineStore | None = None) -> int:
    """Put a new tweet or retweet into its author's followers' timelines. Returns inserts.

    Followers with a page open are also told, live, that something is new.
    """
    store = store or TimelineStore()
    entry = Tweet.objects.filter(pk=entry_id).values("author_id", "author__followers_count", "fanned_out").first()
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
        # Redis writes one batch (and finds who of it is online) while PostgreSQL reads the next.
        with ThreadPoolExecutor(max_workers=1) as writer:
            writes = [writer.submit(_deliver, store, batch, entry_id) for batch in follower_batches(author_id)]
            for write in writes:
                added, batch_online = write.result()
                inserted += added
                online += batch_online
    Tweet.objects.filter(pk=entry_id, fanned_out=False).update(fanned_out=True)
    store.count_fanout(time.perf_counter() - started)
    _announce(entry_id, author_id, online)
    return inserted


def _deliver(store: TimelineStore, batch: list[int], entry_id: int) -> tuple[int, list[int]]:
    return store.add_to_homes(batch, entry_id), presence.online(batch)


def _online_followers(author_id: int, celebrity: bool) -> list[int]:
    """Followers with a socket open; for big accounts, asked the other way round (online first)."""
    if celebrity:
        candidates = presence.online_now()
        followers = follower_batches(author_id, among=candidates) if candidates else ()
    else:
        followers = follower_batches(author_id)
    return [user_id for batch in followers for user_id in presence.online(batch)]


def _announce(entry_id: int, author_id: int, user_ids: list[int]) -> None:
    from notifications.tasks import announce_entry

    if user_ids:
        announce_entry.delay(entry_id, author_id, user_ids)


def fan_out_pending(*, older_than: timedelta = timedelta(seconds=30), window: timedelta = timedelta(days=1)) -> int:
    """Retry entries whose fan-out never completed (Redis was away). Returns how many."""
    now = timezone.now()
    pending = Tweet.objects.filter(
        fanned_out=False, id__gte=ids.id_at(now - window), id__lt=ids.id_at(now - older_than)
    ).values_list("id", flat=True)
    done = 0
    for entry_id in pending.order_by("id")[:10_000]:
        fan_out(entry_id)
        done += 1
    return done


def remove_everywhere(author_id: int, entry_ids: list[int], store: TimelineStore | None = None) -> None:
    """After a delete or an undone retweet: out of the author's and followers' timelines."""
    store = store or TimelineStore()
    if not entry_ids:
        return
    store.remove_recent(author_id, entry_ids)
    store.remove_from_homes([author_id], entry_ids)
    followers = Follow.objects.filter(followee_id=author_id).order_by("id").values_list("id", "follower_id")
    last_id = 0
    while True:
        rows = list(followers.filter(id__gt=last_id)[: settings.TIMELINE_FANOUT_BATCH])
        if not rows:
            return
        last_id = rows[-1][0]
        store.remove_from_homes([f for _, f in rows], entry_ids)


def _window_entries(author_id: int, since_id: int) -> list[int]:
    return list(
        Tweet.objects.filter(author_id=author_id, id__gte=since_id)
        .order_by("-id")
        .values_list("id", flat=True)[: settings.TIMELINE_MAX_ENTRIES]
    )


def merge_author(reader_id: int, author_id: int, store: TimelineStore | None = None) -> None:
    """After follow, unmute or unblock: the author's recent entries join the reader's timeline."""
    store = store or TimelineStore()
    if not store.home_exists(reader_id):
        return
    author = User.objects.filter(pk=author_id).values("followers_count").first()
    if author is None or is_celebrity(author["followers_count"]):
        return  # celebrities are merged at read time
    oldest = store.oldest_entry(reader_id) or ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
    store.merge_into_home(reader_id, _window_entries(author_id, oldest))


def drop_author(reader_id: int, author_id: int, store: TimelineStore | None = None) -> None:
    """After unfollow, block or mute: the author's entries leave the reader's timeline."""
    store = store or TimelineStore()
    if not store.home_exists(reader_id):
        return
    oldest = store.oldest_entry(reader_id)
    if oldest is not None:
        store.remove_from_homes([reader_id], _window_entries(author_id, oldest))


def rebuild_home(user_id: int, store: TimelineStore | None = None) -> list[int]:
    """The newest entries of the people the reader follows (celebrities aside) and their own."""
    store = store or TimelineStore()
    followed = Follow.objects.filter(
        follower_id=user_id, followee__followers_count__lte=settings.TIMELINE_FANOUT_MAX_FOLLOWERS
    )
    muted = Mute.objects.filter(muter_id=user_id).values("muted_id")
    since = ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
    entries = list(
        Tweet.objects.filter(Q(author_id=user_id) | Q(author_id__in=followed.values("followee_id")), id__gte=since)
        .exclude(author_id__in=muted)
        .order_by("-id")
        .values_list("id", flat=True)[: settings.TIMELINE_MAX_ENTRIES]
    )
    store.replace_home(user_id, entries)
    return entries


def rebuild_recent(author_id: int, store: TimelineStore | None = None) -> None:
    store = store or TimelineStore()
    since = ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
    store.replace_recent(author_id, _window_entries(author_id, since))
