"""Filling a missing timeline from PostgreSQL: what a reader's page does on a cold cache.

Below selectors and services, as both use it: a read that finds no timeline in
Redis builds it here (a cache fill, the one write a GET does to timelines).
A fill reads the primary even in a GET (`primary_reads`): the set lives on after
the request, and a post a lagging replica hadn't yet shown would stay missing
from it (its fan-out may have come and gone already).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from config.kernel import ids
from config.kernel.routers import primary_reads
from social.graph.models import Follow, Mute
from timelines.store import TimelineStore
from tweets.models import Tweet


def window_entries(author_id: int, since_id: int) -> list[int]:
    return list(
        Tweet.objects.filter(author_id=author_id, id__gte=since_id)
        .order_by("-id")
        .values_list("id", flat=True)[: settings.TIMELINE_MAX_ENTRIES]
    )


def rebuild_home(user_id: int, store: TimelineStore | None = None) -> list[int]:
    """The newest entries of the people the reader follows (celebrities aside) and their own.

    The set is marked as being rebuilt before PostgreSQL is read, so a post
    committed after the read is still fanned out into it.
    """
    store = store or TimelineStore()
    key = store.home_key(user_id)
    store.begin_rebuild(key)
    with primary_reads():
        entries = _home_entries(user_id)
    store.finish_rebuild(key, entries, int(settings.TIMELINE_INACTIVE_AFTER.total_seconds()))
    return entries


def _home_entries(user_id: int) -> list[int]:
    followed = Follow.objects.filter(
        follower_id=user_id, followee__followers_count__lte=settings.TIMELINE_FANOUT_MAX_FOLLOWERS
    )
    muted = Mute.objects.filter(muter_id=user_id).values("muted_id")
    since = ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
    return list(
        Tweet.objects.filter(Q(author_id=user_id) | Q(author_id__in=followed.values("followee_id")), id__gte=since)
        .exclude(author_id__in=muted)
        .order_by("-id")
        .values_list("id", flat=True)[: settings.TIMELINE_MAX_ENTRIES]
    )


def rebuild_recent(author_id: int, store: TimelineStore | None = None) -> None:
    """An author's recent entries (the celebrity merge reads them), marked as being rebuilt while read."""
    store = store or TimelineStore()
    key = store.recent_key(author_id)
    store.begin_rebuild(key)
    since = ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
    with primary_reads():
        entries = window_entries(author_id, since)
    store.finish_rebuild(key, entries, None)
