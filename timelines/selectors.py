"""Reading the home timeline: Redis first, merged with followed celebrities, SQL when it must.

A page is built from entry ids below the cursor: the reader's own sorted set
plus the recent sets of the celebrities they follow (authors too big to fan
out), merged by id. Ids are hydrated in a fixed number of queries; entries
the viewer may no longer see drop out and the page keeps filling from older
ids. With Redis failing, while the timeline is being rebuilt by another
request, or with TIMELINE_READ_FROM_SQL set, the same page comes from SQL.
"""

from __future__ import annotations

import logging
import math

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from redis.exceptions import RedisError

from config.kernel.api.pagination import PageRequest, keyset_page
from config.kernel.redis import log_unavailable
from config.kernel.routers import primary_reads
from social.graph.models import Follow
from timelines import rebuild
from timelines.store import TimelineStore
from tweets.models import Tweet
from tweets.selectors import hydrate, load_cards, tweets_with_authors

logger = logging.getLogger(__name__)

KINDS = ("media", "replies", "retweets")
RANKS = ("latest", "top")
TOP_WINDOW = 200  # "Top" reorders this many of the newest entries
MAX_ROUNDS = 3  # refills per page when entries drop out


def home_timeline(viewer, page: PageRequest, *, kind: str | None = None, rank: str = "latest"):
    """(entries, next_cursor) for the viewer's home. `kind` narrows to media, replies or retweets."""
    if rank == "top":
        return _top(viewer, page, kind)
    if not settings.TIMELINE_READ_FROM_SQL:
        try:
            found = _from_redis(TimelineStore(), viewer, page, kind)
            if found is not None:
                return found
        except RedisError as error:
            log_unavailable(logger, error, "Redis unavailable; home timeline for %s read from SQL", viewer.pk)
    return home_from_sql(viewer, page, kind=kind)


# --- SQL ---------------------------------------------------------------------------------


def _kind_filter(kind: str | None) -> Q:
    if kind == "media":
        return Q(has_media=True) | Q(retweet_of__has_media=True)
    if kind == "replies":
        return Q(reply_to__isnull=False, retweet_of__isnull=True)
    if kind == "retweets":
        return Q(retweet_of__isnull=False)
    return Q()


def home_from_sql(viewer, page: PageRequest, *, kind: str | None = None):
    """The viewer's own entries and those of the people they follow, newest first."""
    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    queryset = tweets_with_authors().filter(Q(author=viewer) | Q(author_id__in=followed)).filter(_kind_filter(kind))
    rows, next_cursor = keyset_page(queryset, page)
    return _grouped(hydrate(rows, viewer, hide_muted=True, muted_in="home")), next_cursor


# --- Redis ----------------------------------------------------------------------------


def celebrities_followed(user_id: int) -> list[int]:
    """The accounts too big to fan out that this reader follows (read from the database)."""
    return list(
        Follow.objects.filter(
            follower_id=user_id, followee__followers_count__gt=settings.TIMELINE_FANOUT_MAX_FOLLOWERS
        ).values_list("followee_id", flat=True)
    )


def _rebuild(store: TimelineStore, user_id: int) -> bool:
    """Rebuild a missing timeline under a lock; False when another request holds it."""
    if not store.acquire_rebuild_lock(user_id):
        return False  # someone else is building it; this reader gets SQL meanwhile
    try:
        rebuild.rebuild_home(user_id, store)
    finally:
        store.release_rebuild_lock(user_id)
    return True


def _from_redis(store: TimelineStore, viewer, page: PageRequest, kind: str | None):
    entries: list[Tweet] = []
    cursor = page.cursor
    exhausted = trimmed = False
    celebrities: list[int] = []
    for round_number in range(MAX_ROUNDS):
        # A little slack covers entries that drop out; filters need more.
        want = (page.limit - len(entries)) * (4 if kind else 1) + 5
        if round_number == 0:
            found = store.read_home(viewer.pk, cursor, want)
            if found is None:
                if not _rebuild(store, viewer.pk):
                    return None
                found = (*store.home_page(viewer.pk, cursor, want), None)
            home_ids, trimmed, cached = found
            if cached is None:
                with primary_reads():  # cached past the request: not from a lagging replica
                    cached = celebrities_followed(viewer.pk)
                store.cache_celebrities(viewer.pk, cached)
            celebrities = cached
            for author_id in store.missing_recent(celebrities) if celebrities else ():
                rebuild.rebuild_recent(author_id, store)
        else:
            home_ids, trimmed = store.home_page(viewer.pk, cursor, want)
        merged = sorted(set(home_ids) | set(store.recent_pages(celebrities, cursor, want)), reverse=True)[:want]
        if merged:
            cursor = merged[-1]
            fresh = hydrate(load_cards(merged), viewer, hide_muted=True, muted_in="home")
            entries = _grouped(entries + [e for e in fresh if _matches(e, kind)])
        if len(merged) < want:
            exhausted = True
            break
        if len(entries) >= page.limit:
            break

    if len(entries) > page.limit:
        entries = entries[: page.limit]
        return entries, entries[-1].pk
    if not exhausted:
        return entries, cursor  # the page came up short of fresh entries; carry on from here
    if trimmed:
        # The sorted set holds only the newest entries; older pages continue in SQL.
        more, next_cursor = home_from_sql(
            viewer, PageRequest(cursor=cursor, limit=page.limit - len(entries)), kind=kind
        )
        return _grouped(entries + more), next_cursor
    return entries, None


def _matches(entry: Tweet, kind: str | None) -> bool:
    if kind == "media":
        return entry.original.has_media
    if kind == "replies":
        return entry.retweet_of_id is None and entry.reply_to_id is not None
    if kind == "retweets":
        return entry.retweet_of_id is not None
    return True


def _grouped(entries: list[Tweet]) -> list[Tweet]:
    """One card per post: later retweets of a post already on the page join its card."""
    shown: dict[int, Tweet] = {}
    result = []
    for entry in entries:
        original_id = entry.original.pk
        first = shown.get(original_id)
        if first is None:
            entry.retweeters = [entry.author] if entry.retweet_of_id else []
            shown[original_id] = entry
            result.append(entry)
        elif entry.retweet_of_id and entry.author not in first.retweeters:
            first.retweeters.append(entry.author)
    return result


# --- Top ------------------------------------------------------------------------------


def engagement_score(tweet: Tweet, now=None) -> float:
    """Engagement with time decay: fresh posts with some likes beat old ones with many."""
    now = now or timezone.now()
    hours = max((now - tweet.created_at).total_seconds() / 3600, 0)
    weight = 1 + tweet.like_count + 2 * tweet.retweet_count + 1.5 * tweet.reply_count + 2 * tweet.quote_count
    return math.log1p(weight) / (hours + 2) ** 1.5


def _top(viewer, page: PageRequest, kind: str | None):
    """The newest entries, reordered by score; the cursor is a position in that order."""
    window, _ = home_timeline(viewer, PageRequest(cursor=None, limit=TOP_WINDOW), kind=kind)
    now = timezone.now()
    ranked = sorted(window, key=lambda e: engagement_score(e.original, now), reverse=True)
    start = page.cursor or 0
    chunk = ranked[start : start + page.limit]
    next_cursor = start + page.limit if start + page.limit < len(ranked) else None
    return chunk, next_cursor


def home_newer(viewer, after: int, limit: int = 50) -> list[Tweet]:
    """Entries newer than `after`, newest first: what the "Show N new posts" banner brings in."""
    if not settings.TIMELINE_READ_FROM_SQL:
        store = TimelineStore()
        try:
            if store.home_exists(viewer.pk):
                celebrities = celebrities_followed(viewer.pk)
                found = set(store.newer(viewer.pk, after, limit)) | set(store.recent_newer(celebrities, after, limit))
                newest = sorted(found)[:limit]  # the oldest of the new first, so nothing is skipped
                cards = load_cards(sorted(newest, reverse=True))
                return _grouped(hydrate(cards, viewer, hide_muted=True, muted_in="home"))
        except RedisError as error:
            log_unavailable(logger, error, "Redis unavailable; new entries for %s read from SQL", viewer.pk)
    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    rows = list(
        tweets_with_authors().filter(Q(author=viewer) | Q(author_id__in=followed), id__gt=after).order_by("id")[:limit]
    )
    return _grouped(hydrate(rows[::-1], viewer, hide_muted=True, muted_in="home"))
