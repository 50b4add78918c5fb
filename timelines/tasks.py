"""Celery tasks for timelines: thin, idempotent, retried with backoff while Redis is away."""

import logging

from celery import shared_task
from redis.exceptions import RedisError

from config import metrics
from timelines import services
from tweets.models import Tweet

logger = logging.getLogger(__name__)

RETRYING = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (RedisError,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


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
def remove_entries(self, author_id: int, entry_ids: list[int]) -> None:
    services.remove_everywhere(author_id, entry_ids)


@shared_task(**RETRYING)
def merge_author(self, reader_id: int, author_id: int) -> None:
    services.merge_author(reader_id, author_id)


@shared_task(**RETRYING)
def drop_author(self, reader_id: int, author_id: int) -> None:
    services.drop_author(reader_id, author_id)


@shared_task(acks_late=True)
def fan_out_pending() -> int:
    """Beat, every minute: finish fan-outs that Redis or the broker missed."""
    return services.fan_out_pending()
