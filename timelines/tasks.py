"""Celery tasks for timelines: thin, idempotent, retried with backoff while Redis or PostgreSQL is away."""

import logging

from celery import shared_task

from config import metrics
from config.kernel.tasks import RETRY_WHILE_AWAY
from timelines import services
from timelines.store import TimelineStore
from tweets.models import Tweet

logger = logging.getLogger(__name__)

RETRYING = {"bind": True, **RETRY_WHILE_AWAY}


@shared_task(**RETRYING)
def fan_out_entry(self, entry_id: int) -> int:
    # Every new post and retweet passes here once its transaction commits. Measured
    # here (the metrics are read from Redis at scrape time, config/metrics.py): a
    # post counts once, when its first complete fan-out ends, not on redelivery.
    entry = (
        Tweet.objects.filter(pk=entry_id)
        .values("fanned_out", "created_at", "reply_to_id", "quote_of_id", "retweet_of_id")
        .first()
    )
    inserted = services.fan_out(entry_id)
    if entry is not None and not entry["fanned_out"]:
        metrics.fan_out_done(kind=_kind(entry), created_at=entry["created_at"])
        logger.debug("fanned out %s %s into %s timelines", _kind(entry), entry_id, inserted)
    return inserted


def _kind(entry: dict) -> str:
    if entry["retweet_of_id"]:
        return "retweet"
    if entry["reply_to_id"]:
        return "reply"
    return "quote" if entry["quote_of_id"] else "tweet"


@shared_task(**RETRYING)
def apply_changes(self, change_ids: list[int]) -> int:
    """Outbox rows written with a follow, unfollow, block, mute, unmute, delete or undone retweet."""
    applied, left = services.apply_changes(change_ids)
    if left and self.request.retries < 5:
        # A timeline was being rebuilt; in a moment it is built and the change applies.
        # The rows stay, so the catch-up (apply_pending_changes) gets there regardless.
        raise self.retry(countdown=2)
    return applied


# The previous release queued these; kept so that messages already in the queues still run.
@shared_task(**RETRYING)
def remove_entries(self, author_id: int, entry_ids: list[int]) -> None:
    services.remove_everywhere(author_id, entry_ids)


@shared_task(**RETRYING)
def merge_author(self, reader_id: int, author_id: int) -> None:
    services.sync_author(reader_id, author_id)


@shared_task(**RETRYING)
def drop_author(self, reader_id: int, author_id: int) -> None:
    services.sync_author(reader_id, author_id)


@shared_task(acks_late=True)
def fan_out_pending() -> int:
    """Beat, every 10 s: finish fan-outs that Redis, the broker or a dead worker missed."""
    return services.fan_out_pending()


@shared_task(acks_late=True)
def apply_pending_changes() -> int:
    """Beat, every 10 s: outbox rows whose task never ran (broker away, worker killed, Redis restarted empty)."""
    applied, _ = services.apply_changes(older_than=services.CHANGES_CATCH_UP_AFTER)
    return applied


@shared_task(acks_late=True)
def sweep_generations() -> int:
    """Beat, every 10 minutes: keys of timeline generations before the current one (a Redis restart)."""
    return TimelineStore().sweep_generations()
