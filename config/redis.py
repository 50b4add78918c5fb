"""The shared Redis client, made on first use and never at import time."""

from __future__ import annotations

from functools import cache
from urllib.parse import parse_qs, urlsplit

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry


@cache
def _client(url: str) -> redis.Redis:
    # One quick retry: when Redis is down, callers fall back at once instead of
    # waiting out redis-py's default backoff (seconds per call).
    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=1.0, health_check_interval=30, retry=Retry(NoBackoff(), 1)
    )


def get_redis() -> redis.Redis:
    """The client for REDIS_URL (looked up on each call, so tests can point it elsewhere)."""
    return _client(settings.REDIS_URL)


def celery_broker_url(redis_url: str) -> str:
    """Celery's name for the same Redis: kombu spells a Unix socket `redis+socket://path?virtual_host=db`."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={db}"
