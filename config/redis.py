"""The shared Redis client, made on first use and never at import time."""

from __future__ import annotations

from functools import cache

import redis
from django.conf import settings


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0, health_check_interval=30)


def get_redis() -> redis.Redis | None:
    """The client for REDIS_URL, or None in the embedded default (no Redis)."""
    if not settings.REDIS_URL:
        return None
    return _client(settings.REDIS_URL)
