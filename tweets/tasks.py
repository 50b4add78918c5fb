"""Background work for tweets: count reconciliation, orphan clean-up (images: config/kernel/media_tasks.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from config.kernel import media
from config.kernel.tasks import RETRY_WHILE_AWAY, Slice, enqueue, publish_options
from tweets import link_cards, poll_votes
from tweets.draft_services import publish_due_drafts
from tweets.models import LinkCard, Media, Tweet
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
            tweet__isnull=True,
            draft_link__isnull=True,
            edited_out_of__isnull=True,
            created_at__lt=timezone.now() - settings.UNATTACHED_MEDIA_TTL,
        )
    )  # a draft's images wait for it; images edited off a post stay for its history
    Media.objects.filter(pk__in=[m.pk for m in stale]).delete()
    media.delete_files(stale)
    return len(stale)


# --- polls: each poll's end is announced once, within a minute (tweets/poll_votes.py) --------------

# How far ahead the sweep times a task to a poll's end: less than the broker's visibility
# timeout, past which Redis hands an unacknowledged message (a task waiting for its ETA)
# to another worker. For the same reason no task is queued days ahead when the post is
# made: a week-long ETA would be redelivered and copied thousands of times
# (docs/DECISIONS.md, "Polls"). A poll ending later in the minute is ended by the next sweep.
POLL_LOOKAHEAD_SECONDS = max(settings.CELERY_VISIBILITY_TIMEOUT - 5, 0)


@shared_task(acks_late=True)
def end_poll(poll_id: int) -> bool:
    """Announce one poll's end; a copy that arrives early, late or twice changes nothing more."""
    return poll_votes.poll_end(poll_id=poll_id)


@shared_task(acks_late=True)
def end_polls_pending() -> int:
    """Every minute (beat): announce the polls that have ended, and time a task to each that ends
    before the next run, so most are announced within seconds of their end and all within a minute."""
    ended = 0
    budget = Slice()
    for poll_id in poll_votes.polls_due():
        ended += poll_votes.poll_end(poll_id=poll_id)
        if budget.over:
            return ended  # the next run carries on
    for poll_id, closes_at in poll_votes.polls_ending_soon(POLL_LOOKAHEAD_SECONDS):
        try:
            end_poll.apply_async(args=[poll_id], eta=closes_at, **publish_options())
        except Exception:  # the broker is away: this sweep's next run announces it, a minute late at most
            logger.warning("could not time the end of poll %s", poll_id, exc_info=True)
    return ended


@shared_task(acks_late=True)
def publish_scheduled_posts() -> int:
    """Every minute: the scheduled posts that are due go out, each once (tweets.draft_services)."""
    return publish_due_drafts()


# --- link preview cards (tweets/link_cards.py), on the media queue --------------------------

# A refused or failing page is final (the card is `failed`, the post has none); only a busy card
# (another worker fetching it: FetchInProgress) and Redis or PostgreSQL being away are retried.
LINK_CARD_TASK = {
    **RETRY_WHILE_AWAY,
    "autoretry_for": (*RETRY_WHILE_AWAY["autoretry_for"], link_cards.FetchInProgress),
    "max_retries": 5,
    # Three fetches (page, oEmbed, image) of at most LINK_PREVIEW_TIMEOUT each and the re-encoding,
    # within the broker's visibility timeout (30 s), past which a second worker would get the task.
    "soft_time_limit": 20,
    "time_limit": 25,
}


@shared_task(**LINK_CARD_TASK)
def attach_link_card(tweet_id: int, url: str) -> bool:
    """After a post (or edit) commits: its first link's card, fetched once per URL, attached to it."""
    return link_cards.link_card_attach(tweet_id=tweet_id, url=url) is not None


@shared_task(**LINK_CARD_TASK)
def refresh_link_card(card_id: int) -> str:
    """The compose box asked for a preview of a URL with no fresh card: fetch it."""
    try:
        return link_cards.link_card_refresh(card_id=card_id).state
    except LinkCard.DoesNotExist:
        return "gone"  # purged meanwhile (unused for a week): the box asks again and makes it anew


@shared_task(acks_late=True)
def purge_link_cards(batch_size: int = link_cards.PURGE_BATCH) -> int:
    """Hourly (beat): cards no post uses, untouched for a week, and their images go; in batches, within the slice."""
    purged = 0
    budget = Slice()
    while True:
        done = link_cards.purge_unused(batch_size=batch_size)
        purged += done
        if done < batch_size or budget.over:
            return purged  # what is left waits for the next run
