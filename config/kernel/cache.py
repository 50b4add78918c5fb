"""Django's Redis cache, failing soft while Redis is unreachable.

Sessions (config/kernel/sessions.py), allauth's rate limits, trends and the
who-to-follow lists read the cache in the middle of requests. When Redis
can't be reached (refused, timed out, or the breaker in config/kernel/redis.py is
open), a read finds nothing and a write is dropped, as if the entry had
expired, so the caller carries on from the database. Other errors (a bug:
wrong type, bad arguments) still raise.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.kernel.redis import client_options

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        url = server if isinstance(server, str) else server[0]
        for name, value in client_options(url.split(",")[0]).items():
            options.setdefault(name, value)
        super().__init__(server, params)

    def _soft(self, operation: str, error: Exception, value=None):
        logger.debug("cache %s skipped: Redis unreachable (%s)", operation, error)
        return value

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            return self._soft("add", error, False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            return self._soft("get", error, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            return self._soft("set", error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            return self._soft("touch", error, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            return self._soft("delete", error, False)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            return self._soft("get_many", error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            return self._soft("has_key", error, False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            return self._soft("set_many", error, list(data))

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as error:
            return self._soft("delete_many", error)
