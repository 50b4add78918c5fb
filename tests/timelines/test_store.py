"""The Redis store: named keys, add-and-trim in one script, built timelines only."""

import pytest

from tests.timelines.conftest import entries
from timelines import store as store_module
from timelines.store import SENTINEL, TimelineStore, home_key, recent_key

pytestmark = pytest.mark.django_db


def test_key_helpers(store):
    # Each ends in a Redis Cluster hash tag of the person: their keys share a slot (tests/cluster/).
    assert home_key(3, 7) == "tl:home:3:{7}" and recent_key(3, 7) == "tl:recent:3:{7}"
    assert store.home_key(7) == f"tl:home:{store.generation}:{{7}}"  # the keys of the current generation


def test_the_client_comes_from_a_function_not_import_time(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert TimelineStore().redis.connection_pool.connection_kwargs["port"] == 1  # read when made
    assert not hasattr(store_module, "redis_client")  # nothing made at import


def test_adds_only_to_built_timelines(store):
    store.replace_home(1, [])
    assert store.add_to_homes([1, 2], 100) == 1
    assert store.home_exists(1) and not store.home_exists(2)
    assert store.home_page(1, None, 10) == ([100], False)


def test_an_empty_built_timeline_still_exists(store):
    store.replace_home(5, [])
    assert store.home_exists(5)
    assert store.redis.zscore(store.home_key(5), SENTINEL) == float("-inf")
    assert store.redis.ttl(store.home_key(5)) > 29 * 24 * 3600


def test_keeps_the_newest_800(store, settings):
    slack = settings.TIMELINE_TRIM_SLACK
    store.replace_home(1, [])
    for entry in range(1, 802):
        store.add_to_homes([1], entry)
    reader = type("U", (), {"pk": 1})()
    assert len(entries(store, reader)) == 801  # within the slack: no trim on every insert
    for entry in range(802, 852 + slack):
        store.add_to_homes([1], entry)
    ids = entries(store, reader)
    assert len(ids) <= settings.TIMELINE_MAX_ENTRIES + slack
    assert ids[0] == 851 + slack and ids == sorted(ids, reverse=True)
    assert ids[-1] > 851 + slack - len(ids)  # only the oldest went
    assert store.home_page(1, None, 10)[1] is True  # full: older history lives in SQL


def test_the_newest_entry_sits_at_the_head_of_the_set(store):
    # Scores are negated ids: fan-out's ZADD lands at the skiplist's head, where Redis places it in
    # half the time the tail takes (docs/PERFORMANCE.md, "Newest first").
    store.replace_home(1, [10, 20])
    store.add_to_homes([1], 30)
    assert store.redis.zrange(store.home_key(1), 0, -1) == [b"built", b"30", b"20", b"10"]
    assert store.redis.zscore(store.home_key(1), "30") == -30
    store.begin_rebuild(store.home_key(2))
    store.add_to_homes([2], 30)
    assert store.redis.zrange(store.home_key(2), 0, -1) == [b"30", b"pending"]  # the mark after every entry


def test_newer_reads_oldest_first_and_oldest_entry(store):
    store.replace_home(1, [10, 20, 30, 40])
    assert store.newer(1, 10, 2) == [20, 30]
    assert store.newer(1, 40, 2) == []
    assert store.oldest_entry(1) == 10
    store.replace_home(2, [])
    assert store.oldest_entry(2) is None  # the sentinel is no entry


def test_pages_are_exclusive_by_cursor(store):
    store.replace_home(1, [10, 20, 30, 40])
    assert store.home_page(1, None, 2)[0] == [40, 30]
    assert store.home_page(1, 30, 2)[0] == [20, 10]
    assert store.home_page(1, 10, 2)[0] == []


def test_recent_sets_and_merge(store):
    store.add_recent(9, 4)  # not built: left alone
    store.replace_recent(9, [])
    for entry in (5, 6, 7):
        store.add_recent(9, entry)
    assert sorted(store.recent_pages([9], 7, 10)) == [5, 6]
    assert store.missing_recent([9, 10]) == [10]
    store.replace_home(1, [1])
    store.merge_into_home(1, [3, 2])
    assert store.home_page(1, None, 10)[0] == [3, 2, 1]


def test_rebuild_lock_is_exclusive(store):
    assert store.acquire_rebuild_lock(1) is True
    assert store.acquire_rebuild_lock(1) is False
    store.release_rebuild_lock(1)
    assert store.acquire_rebuild_lock(1) is True


def test_the_inserted_count_is_entries_added_not_timelines_touched(store):
    """Redelivered fan-outs and catch-ups touch timelines that already hold the entry; they add nothing."""
    store.replace_home(1, [])
    store.replace_home(2, [])
    assert store.add_to_homes([1, 2, 3], 100) == 2
    assert store.add_to_homes([1, 2, 3], 100) == 0  # again: nothing new
    assert store.stats()["inserted"] == 2


def test_a_fan_out_during_a_rebuild_is_kept(store):
    """The rebuild read PostgreSQL before a post committed; the post's fan-out arrives before the rebuild
    writes. The pending mark lets fan-out add to the set meanwhile, and the rebuild keeps what it finds."""
    key = store.home_key(1)
    store.begin_rebuild(key)
    assert not store.home_exists(1)  # readers don't use it yet
    assert store.add_to_homes([1], 300) == 1
    store.finish_rebuild(key, [100, 200], ttl=60)
    assert store.home_page(1, None, 10) == ([300, 200, 100], False)
    assert store.oldest_entry(1) == 100


def test_syncs_wait_for_a_rebuild_to_finish(store):
    store.begin_rebuild(store.home_key(1))
    assert store.sync_author(1, [5], keep=True) == -1  # the rebuild may have read the graph before the change
    assert store.sync_author(2, [5], keep=True) == 0  # not built: built from PostgreSQL when read
    store.replace_home(1, [1])
    assert store.sync_author(1, [5, 3], keep=True) == 1
    assert store.sync_author(1, [3], keep=False) == 1
    assert store.home_page(1, None, 10)[0] == [5, 1]


def test_a_redis_with_another_run_id_starts_a_new_generation(store):
    """What a restarted Redis looks like to a process: the run id stored with the generation isn't its own.

    Whatever the restart restored (here: the old timeline, as a snapshot would), the new generation
    has no timeline built, so none of the restored, possibly holed, ones is read again."""
    store.replace_home(1, [10, 20])
    old = store.generation
    store.redis.set(store_module.RUN_KEY, "f" * 40)  # as left by the Redis process before the restart
    store_module.forget_generations()  # the per-process cache lapses within GENERATION_CHECK_SECONDS
    fresh = TimelineStore()
    assert fresh.generation > old
    assert not fresh.home_exists(1)
    assert TimelineStore().generation == fresh.generation  # and stays, for everyone
    assert fresh.sweep_generations() == 1  # the old generation's timeline
    assert store.redis.exists(home_key(old, 1)) == 0
    assert fresh.sweep_generations() == 0 and not store.redis.exists(store_module.SWEEP_KEY)  # done till the next
    assert store.redis.exists(store_module.GENERATION_KEY, store_module.RUN_KEY) == 2  # the sweep spares its own


def test_a_redis_that_lost_everything_never_reuses_a_generation(store):
    old = store.generation
    store.redis.flushdb()
    store_module.forget_generations()
    assert TimelineStore().generation > old


def test_the_generation_is_stored_exactly(store):
    current = store.generation
    assert int(store.redis.get(store_module.GENERATION_KEY)) == current
    store_module.forget_generations()
    assert TimelineStore().generation == store.generation
