"""The Redis store: named keys, add-and-trim in one script, built timelines only."""

import pytest

from tests.timelines.conftest import entries
from timelines import store as store_module
from timelines.store import SENTINEL, TimelineStore, home_key, recent_key

pytestmark = pytest.mark.django_db


def test_key_helpers():
    assert home_key(7) == "tl:home:7" and recent_key(7) == "tl:recent:7"


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
    assert store.redis.zscore(home_key(5), SENTINEL) == float("inf")
    assert store.redis.ttl(home_key(5)) > 29 * 24 * 3600


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


def test_pages_are_exclusive_by_cursor(store):
    store.replace_home(1, [10, 20, 30, 40])
    assert store.home_page(1, None, 2)[0] == [40, 30]
    assert store.home_page(1, 30, 2)[0] == [20, 10]
    assert store.home_page(1, 10, 2)[0] == []


def test_recent_sets_and_merge(store):
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
