"""One real 3-master Redis Cluster per test process (session), and `on_cluster` to point Chirp at it.

The cluster starts on free loopback ports when the first test asks for it
(about 5 s) and stops when the process ends; parallel test workers each
start their own. `on_cluster` sets REDIS_CLUSTER_URL, moves the cache and
the channel layer there as config/settings.py does, and empties the cluster
for the test.
"""

import pytest

from config.kernel import redis as config_redis
from config.settings import cluster_channel_layer
from tests.cluster.nodes import RedisClusterNodes
from timelines.store import forget_generations


@pytest.fixture(scope="session")
def redis_cluster():
    nodes = RedisClusterNodes(masters=3)
    try:
        yield nodes.start()
    finally:
        nodes.stop()


def point_at(settings, url: str) -> None:
    settings.REDIS_CLUSTER_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "config.kernel.cache.FailSoftRedisClusterCache", "LOCATION": url, "KEY_PREFIX": "cache"}
    }
    settings.CHANNEL_LAYERS = {"default": cluster_channel_layer(url)}
    config_redis.reset_breakers()
    forget_generations()


@pytest.fixture
def on_cluster(redis_cluster, settings):
    point_at(settings, redis_cluster.url)
    redis_cluster.flush()
    yield redis_cluster
    forget_generations()
