"""Background work for tweets: count reconciliation, orphan clean-up (images: config/kernel/media_tasks.py)."""

from __future__ import annotations

import logging
from itertools import batched

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from config.kernel import media
from config.kernel.sql import counted
from config.kernel.tasks import Slice, enqueue

logger = logging.getLogger(__name__)


# Each count, and the rows it counts: only rows by active accounts, so a
# suspended account's likes and retweets leave the numbers while suspended.
COUNTED = {
    "like_count": ("tweets.Like", "tweet", "user"),
    "retweet_count": ("tweets.Tweet", "retweet_of", "author"),
    "reply_count": ("tweets.Tweet", "reply_to", "author"),
    "quote_count": ("tweets.Tweet", "quote_of", "author"),
}


def recount_tweets(tweets, fields=None) -> int:
    """Set the counts of the `tweets` queryset from the rows; returns how many had drifted."""
    from django.apps import apps

    from tweets.models import Tweet

    fixed = 0
    for field in fields or COUNTED:
        model_label, key, by = COUNTED[field]
        actual = counted(apps.get_model(model_label), key, by)
        drifted = list(tweets.annotate(actual=actual).exclude(**{field: F("actual")}).values_list("pk", flat=True))
        for chunk in batched(drifted, 1000):
            fixed += Tweet.objects.filter(pk__in=chunk).update(**{field: actual})
        if drifted:
            logger.info("recounted %s of %d tweets", field, len(drifted))
    return fixed


@shared_task(acks_late=True)
def reconcile_tweet_counts(batch_size: int = 5000, after: int = 0) -> int:
    """Recount likes, retweets, replies and quotes, fixing any that drifted.

    In slices: past the time budget it queues itself to carry on after the
    last tweet it reached (if that can't be queued, the next hourly run
    starts over).
    """
    from tweets.models import Tweet

    fixed = 0
    last_id = after
    budget = Slice()
    while True:
        batch = list(Tweet.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not batch:
            return fixed
        last_id = batch[-1]
        fixed += recount_tweets(Tweet.objects.filter(pk__gte=batch[0], pk__lte=last_id))
        if budget.over:
            enqueue(reconcile_tweet_counts, batch_size, last_id)
            return fixed


@shared_task(acks_late=True)
def purge_unattached_media() -> int:
    """Uploads never attached to a tweet are removed after UNATTACHED_MEDIA_TTL."""
    from tweets.models import Media

    stale = list(
        Media.objects.filter(tweet__isnull=True, created_at__lt=timezone.now() - settings.UNATTACHED_MEDIA_TTL)
    )
    Media.objects.filter(pk__in=[m.pk for m in stale]).delete()
    media.delete_files(stale)
    return len(stale)
