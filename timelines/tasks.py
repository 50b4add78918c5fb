"""Celery tasks for timelines: thin, idempotent, retried with backoff while Redis is away."""

from celery import shared_task
from redis.exceptions import RedisError

from timelines import services

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
    return services.fan_out(entry_id)


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
