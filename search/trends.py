"""Trending hashtags: each use counted per hour in Redis, ranked by growth against the tag's own baseline.

A tag trends when the last few hours bring more uses than its usual rate
predicts, so a small tag taking off beats a big one that is merely steady.
Only posts by public, active accounts count. A beat task ranks once a minute
and caches the list; pages and the API read the cache.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

from accounts.models import User
from config.kernel.redis import get_redis, log_unavailable
from config.kernel.tasks import after_commit
from tweets.models import TweetHashtag

logger = logging.getLogger(__name__)

HOUR = 3600
RECENT_HOURS = 3  # the current hour and the two before it
BASELINE_HOURS = 24  # the usual rate is measured over the day before that
SHOWN_HOURS = 24  # a trend's count is its uses over the last day
MIN_RECENT_USES = 3  # fewer than this in the recent hours is noise, not a trend
TOP = 10
CACHE_KEY = "trends:top"
CACHE_SECONDS = 5 * 60  # refreshed every minute; kept longer so a late beat shows slightly old trends


def hour_of(moment: datetime) -> int:
    return int(moment.timestamp() // HOUR)


def hour_key(hour: int) -> str:
    return f"trends:h:{hour}"


def counts_toward_trends(author) -> bool:
    return author.is_active and not author.is_private


def record(tags: Iterable[str], at: datetime, delta: int = 1) -> None:
    """Add `delta` uses of each tag to the hour of `at` (a post's creation time)."""
    tags, hour = list(tags), hour_of(at)
    if not tags or hour < hour_of(timezone.now()) - RECENT_HOURS - BASELINE_HOURS:
        return
    key = hour_key(hour)
    try:
        with get_redis().pipeline(transaction=False) as pipe:
            for tag in tags:
                pipe.zincrby(key, delta, tag)
            pipe.expire(key, (RECENT_HOURS + BASELINE_HOURS + 1) * HOUR)
            pipe.execute()
    except RedisError as error:
        log_unavailable(logger, error, "Redis unavailable; trend counts for %s missed", tags)


EXCLUDED_TTL = 30 * 86400  # longer than any window a use counts in


def excluded_key(author_id: int) -> str:
    return f"trends:excluded:{author_id}"


def author_counts_changed(author_id: int) -> bool:
    """An account went private, was suspended or is being deleted, or came back: its uses leave or rejoin.

    Only what the account posted in the counted window moves. A marker per
    excluded account makes each move happen once however often this runs;
    the cached ranking is then redone, so no page shows the old one.
    """
    author = User.objects.filter(pk=author_id).first()
    counted = author is not None and counts_toward_trends(author)
    redis = get_redis()
    if counted:
        moved = redis.delete(excluded_key(author_id))
    else:
        moved = redis.set(excluded_key(author_id), 1, nx=True, ex=EXCLUDED_TTL)
    if not moved:
        return False
    since = timezone.now() - timedelta(hours=RECENT_HOURS + BASELINE_HOURS + 1)
    uses = defaultdict(list)
    rows = TweetHashtag.objects.filter(tweet__author_id=author_id, tweet__retweet_of__isnull=True,
                                       tweet__created_at__gte=since)  # fmt: skip
    for tweet_id, created_at, tag in rows.values_list("tweet_id", "tweet__created_at", "hashtag__name"):
        uses[(tweet_id, created_at)].append(tag)
    for (_, created_at), tags in uses.items():
        record(tags, created_at, 1 if counted else -1)
    refresh()
    return True


def reconcile_authors() -> int:
    """The catch-up for a lost `recount_author`: every author with tags in the window whose counts
    don't match their visibility now is moved. Returns how many were."""
    since = timezone.now() - timedelta(hours=RECENT_HOURS + BASELINE_HOURS + 1)
    author_ids = list(
        TweetHashtag.objects.filter(tweet__created_at__gte=since).values_list("tweet__author_id", flat=True).distinct()
    )
    if not author_ids:
        return 0
    with get_redis().pipeline(transaction=False) as pipe:
        for author_id in author_ids:
            pipe.exists(excluded_key(author_id))
        excluded = dict(zip(author_ids, pipe.execute(), strict=True))
    moved = 0
    for author in User.objects.filter(pk__in=author_ids).only("pk", "is_active", "is_private"):
        if counts_toward_trends(author) == bool(excluded[author.pk]):  # counted yet excluded, or the reverse
            moved += author_counts_changed(author.pk)
    return moved


def record_on_commit(author, tags: Iterable[str], at: datetime, delta: int = 1) -> None:
    tags = list(tags)
    if tags and counts_toward_trends(author):
        after_commit(record, tags, at, delta)


def growth(recent: float, baseline: float) -> float:
    """Uses above the expected number, in standard deviations of a Poisson count."""
    expected = baseline * RECENT_HOURS / BASELINE_HOURS
    return (recent - expected) / math.sqrt(expected + 1)


def _hourly_counts(now: datetime) -> dict[str, dict[int, float]]:
    """tag -> {hours ago: uses}, for the recent and baseline hours."""
    current = hour_of(now)
    hours = list(range(RECENT_HOURS + BASELINE_HOURS))
    counts: dict[str, dict[int, float]] = defaultdict(dict)
    with get_redis().pipeline(transaction=False) as pipe:
        for ago in hours:
            pipe.zrange(hour_key(current - ago), 0, -1, withscores=True)
        for ago, members in zip(hours, pipe.execute(), strict=True):
            for tag, uses in members:
                counts[tag.decode()][ago] = uses
    return counts


def compute(now: datetime | None = None) -> list[dict]:
    """The top tags, each `{"hashtag", "tweet_count", "score"}`, best first."""
    now = now or timezone.now()
    ranked = []
    for tag, by_hour in _hourly_counts(now).items():
        recent = sum(by_hour.get(ago, 0) for ago in range(RECENT_HOURS))
        if recent < MIN_RECENT_USES:
            continue
        baseline = sum(by_hour.get(ago, 0) for ago in range(RECENT_HOURS, RECENT_HOURS + BASELINE_HOURS))
        shown = sum(by_hour.get(ago, 0) for ago in range(SHOWN_HOURS))
        ranked.append({"hashtag": tag, "tweet_count": int(shown), "score": round(growth(recent, baseline), 3)})
    ranked.sort(key=lambda trend: (-trend["score"], -trend["tweet_count"], trend["hashtag"]))
    return ranked[:TOP]


def refresh() -> list[dict]:
    trends = compute()
    cache.set(CACHE_KEY, trends, CACHE_SECONDS)
    return trends


def current() -> list[dict]:
    """The cached trends, ranked afresh if the beat task hasn't run yet; none while Redis is away."""
    try:
        trends = cache.get(CACHE_KEY)
        return trends if trends is not None else refresh()
    except RedisError:
        logger.warning("Redis unavailable; no trends shown", exc_info=True)
        return []
