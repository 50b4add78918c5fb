"""Django's Redis cache, failing soft while Redis is unreachable.

Sessions (config/kernel/sessions.py), allauth's rate limits, trends and the
who-to-follow lists read the cache in the middle of requests. When Redis
can't be reached (refused, timed out, or the breaker in config/kernel/redis.py is
open), a read finds nothing and a write is dropped, as if the entry had
expired, so the caller carries on from the database. Other errors (a bug:
wrong type, bad arguments) still raise.

On a Redis Cluster (REDIS_CLUSTER_URL) the cache uses the cluster client of
config/kernel/redis.py, and its few multi-key calls go per slot: a cache
entry's key carries no hash tag, so `get_many`/`set_many` of several entries
are split (MGET and MSET of keys in different slots are refused).
"""

from __future__ import annotations

import logging
from functools import cached_property

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.cluster import RedisCluster
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.kernel.redis import client_options, get_cluster

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool.

    Django makes a new `redis.Redis` for every cache call; redis-py 8 spends
    about 230 µs of CPU making one (it copies its ~170 reply callbacks), more
    than the GET it is made for, and every signed-in page reads its session
    through here. A client holds no state of its own but its pool, and is
    safe to share between threads.
    """

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:  # Django's _get_connection_pool would draw its own (random) reader index
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients.setdefault(index, self._client(connection_pool=self._pools[index]))
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        url = server if isinstance(server, str) else server[0]
        for name, value in client_options(url.split(",")[0]).items():
            options.setdefault(name, value)
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient

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


class RedisClusterCacheClient(RedisCacheClient):
    """Django's Redis cache client on the shared cluster client; multi-key calls split per slot."""

    def __init__(self, url: str, serializer=None, **options):
        super().__init__([url], serializer=serializer)
        self._url = url

    def get_client(self, key=None, *, write=False):
        return get_cluster(self._url)

    def get_many(self, keys):
        found = self.get_client().mget_nonatomic(keys)
        return {k: self._serializer.loads(v) for k, v in zip(keys, found, strict=True) if v is not None}

    def set_many(self, data, timeout):
        with self.get_client().pipeline(transaction=False) as pipe:  # split per node by the client
            for key, value in data.items():
                pipe.set(key, self._serializer.dumps(value), ex=timeout)
            pipe.execute()

    def clear(self):
        return bool(self.get_client().flushdb(target_nodes=RedisCluster.PRIMARIES))


class FailSoftRedisClusterCache(FailSoftRedisCache):
    """FailSoftRedisCache on a Redis Cluster: LOCATION is REDIS_CLUSTER_URL (seed nodes)."""

    def __init__(self, server, params):
        RedisCache.__init__(self, server, params)
        self._url = server if isinstance(server, str) else ",".join(server)

    @cached_property
    def _cache(self):
        return RedisClusterCacheClient(self._url)
