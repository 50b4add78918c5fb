"""Background work for tweets: count reconciliation, orphan clean-up (images: config/kernel/media_tasks.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from config.kernel import media
from config.kernel.tasks import Slice, enqueue
from tweets.draft_services import publish_due_drafts
from tweets.models import Media, Tweet
from tweets.services import recount_tweets

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def reconcile_tweet_counts(batch_size: int = 5000, after: int = 0) -> int:
    """Recount likes, retweets, replies and quotes, fixing any that drifted.

    In slices: past the time budget it queues itself to carry on after the
    last tweet it reached (if that can't be queued, the next hourly run
    starts over).
    """
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
    stale = list(
        Media.objects.filter(
            tweet__isnull=True, draft_link__isnull=True, created_at__lt=timezone.now() - settings.UNATTACHED_MEDIA_TTL
        )
    )  # a draft's images wait for it
    Media.objects.filter(pk__in=[m.pk for m in stale]).delete()
    media.delete_files(stale)
    return len(stale)


@shared_task(acks_late=True)
def publish_scheduled_posts() -> int:
    """Every minute: the scheduled posts that are due go out, each once (tweets.draft_services)."""
    return publish_due_drafts()
