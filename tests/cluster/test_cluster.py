"""Chirp's Redis users on a real 3-master Redis Cluster: the client, key spread, one slot per script,
the cache, abuse counters, the sweep of old generations, and a cluster that can't be reached."""

import time

import pytest
from django.core.cache import cache
from redis.cluster import RedisCluster

from config.kernel import ratelimit
from config.kernel.redis import get_redis
from notifications import presence
from search import trends
from tests.cluster.conftest import point_at
from tests.timelines.conftest import entries
from timelines import store as store_module
from timelines.store import SENTINEL, TimelineStore, celebrities_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_cluster")]


def masters_holding(keys) -> dict[str, int]:
    """How many of `keys` exist on each master, asked of the master that serves the key's slot."""
    client = get_redis()
    counts = {node.name: 0 for node in client.get_primaries()}
    for key in keys:
        node = client.get_node_from_key(key)
        counts[node.name] += client.get_redis_connection(node).exists(key)
    return counts


def test_the_shared_client_is_a_cluster_client_of_every_master(redis_cluster):
    client = get_redis()
    assert isinstance(client, RedisCluster)
    assert sorted(node.port for node in client.get_primaries()) == sorted(redis_cluster.primaries())
    assert isinstance(TimelineStore().redis, RedisCluster)
    # every node's connections are the breaker's, with the 0.3 s timeouts
    connection = client.get_primaries()[0].redis_connection.connection_pool.get_connection()
    try:
        assert type(connection).__name__ == "BreakerConnection" and connection.socket_timeout == 0.3
    finally:
        client.get_primaries()[0].redis_connection.connection_pool.release(connection)


def test_ten_thousand_timelines_spread_over_the_three_masters(redis_cluster):
    """Where each key lives, by the slot map the cluster itself gives (CLUSTER SLOTS); a sample is
    written, and each master holds what the map says."""
    store = TimelineStore()
    per_master = {node.name: 0 for node in store.redis.get_primaries()}
    for user_id in range(1, 10_001):
        per_master[store.redis.get_node_from_key(store.home_key(user_id)).name] += 1
    assert len(per_master) == 3
    assert max(per_master.values()) / 10_000 <= 0.40, per_master
    sample = [store.home_key(user_id) for user_id in range(1, 301)]
    with store.redis.pipeline(transaction=False) as pipe:
        for key in sample:
            pipe.zadd(key, {SENTINEL: float("-inf")})
        pipe.execute()
    held = masters_holding(sample)
    assert sum(held.values()) == 300 and max(held.values()) / 300 <= 0.40, held


def test_a_readers_keys_share_one_slot_and_readers_dont():
    store = TimelineStore()
    slot = store.redis.keyslot
    for user_id in (1, 42, 10_000):
        assert slot(store.home_key(user_id)) == slot(celebrities_key(store.generation, user_id))
        assert slot(store.home_key(user_id)) == slot(store_module.lock_key(store.generation, user_id))
    assert len({slot(store.home_key(user_id)) for user_id in range(1, 101)}) > 90
    assert slot(store_module.GENERATION_KEY) == slot(store_module.RUN_KEY) == slot(store_module.SWEEP_KEY)


def test_a_fan_out_across_many_slots_reaches_every_built_timeline_once(redis_cluster):
    store = TimelineStore()
    readers = list(range(1, 301))
    for reader in readers[::2]:
        store.replace_home(reader, [])
    assert store.add_to_homes(readers, 5) == 150
    assert store.add_to_homes(readers, 5) == 0  # a redelivered fan-out adds nothing twice
    assert all(entries(store, type("U", (), {"pk": r})()) == [5] for r in readers[::2])
    assert not any(store.home_exists(r) for r in readers[1::2])
    assert 0 not in masters_holding([store.home_key(r) for r in readers[::2]]).values()  # on all three
    assert store.stats()["inserted"] == 150


def test_the_page_read_counts_hits_and_misses_and_reads_the_celebrity_cache():
    store = TimelineStore()
    assert store.read_home(7, None, 10) is None
    store.replace_home(7, [3, 4])
    store.cache_celebrities(7, [11, 12])
    assert store.read_home(7, None, 10) == ([4, 3], False, [11, 12])
    assert store.stats()["miss"] == 1 and store.stats()["hit"] == 1


def test_a_new_generation_starts_when_a_master_has_another_run_id_and_the_sweep_clears_every_master(
    redis_cluster,
):
    store = TimelineStore()
    for reader in range(1, 31):
        store.replace_home(reader, [1])
    old = store.generation
    store.redis.set(store_module.RUN_KEY, "f" * 40)  # as if a master had restarted (or failed over)
    store_module.forget_generations()
    fresh = TimelineStore()
    assert fresh.generation > old and not fresh.home_exists(1)
    assert fresh.sweep_generations() == 30  # on all three masters
    assert sum(masters_holding([store_module.home_key(old, r) for r in range(1, 31)]).values()) == 0
    assert fresh.sweep_generations() == 0


def test_the_generation_follows_every_masters_run_id(redis_cluster):
    store = TimelineStore()
    assert store.generation
    run_ids = store.redis.get(store_module.RUN_KEY).decode().split(",")
    assert len(run_ids) == 3
    for port in redis_cluster.primaries():
        assert redis_cluster.node(port).info("server")["run_id"] in run_ids


def test_the_cache_on_the_cluster():
    cache.set("a", 1)
    cache.set_many({"b": 2, "c": 3, "d": 4})  # keys in different slots
    assert cache.get("a") == 1
    assert cache.get_many(["a", "b", "c", "d", "e"]) == {"a": 1, "b": 2, "c": 3, "d": 4}
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b", "c"]) == {"c": 3}
    assert cache.add("c", 9) is False and cache.incr("c") == 4
    cache.clear()
    assert cache.get("c") is None


def test_rate_limits_and_flood_logs_on_the_cluster():
    rate = ratelimit.Rate(limit=2, window=60)
    limits = [("posts:user:1", rate), ("posts:ip:10.0.0.1", rate)]  # two counters, likely two slots
    assert ratelimit.hit_many(limits)[0] and ratelimit.hit_many(limits)[0]
    assert not ratelimit.hit_many(limits)[0]
    assert ratelimit.peek("posts:user:1", rate) == 3
    log = ratelimit.Rate(limit=1, window=600)
    assert ratelimit.log_hit("same-text:1", log)[0]  # a MULTI/EXEC on one key
    assert not ratelimit.log_hit("same-text:1", log)[0]


def test_an_unreachable_cluster_fails_soft(settings, caplog):
    point_at(settings, "redis://127.0.0.1:1")  # nothing listens there
    trends.record(["lost"], trends.timezone.now())
    assert "trend counts for ['lost'] missed" in caplog.text
    started = time.monotonic()
    assert ratelimit.hit("posts:user:1", ratelimit.Rate(1, 60))[0]  # allowed, as with a dead Redis
    assert presence.online([1, 2]) == [1, 2]  # can't tell: everyone counts as online
    assert cache.get("anything", "default") == "default"
    assert time.monotonic() - started < 0.5  # the breaker answers at once


def test_healthz_asks_the_cluster_too(client, settings):
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json()["redis_cluster"] == "ok"
    point_at(settings, "redis://127.0.0.1:1")
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json()["redis_cluster"].startswith("error")
