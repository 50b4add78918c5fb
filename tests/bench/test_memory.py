"""The benchmark's memory rows (bench/memory.py): peak RSS per process tree, and home timelines in real Redis."""

import os

import pytest

from bench import memory
from tests.bench.test_cpu import FakeProc
from timelines.store import TimelineStore


@pytest.fixture
def proc(tmp_path):
    return FakeProc(tmp_path)


def test_a_trees_peak_is_each_processes_high_water_mark(proc):
    for pid, ppid, peak in ((10, 1, 50_000), (11, 10, 200_000), (12, 10, 180_000), (20, 1, 999_999)):
        proc.add(pid, "granian", ppid, 1, 1)
        (proc / str(pid) / "status").write_text(f"Name:\tgranian\nVmHWM:\t  {peak} kB\nVmRSS:\t  1 kB\n")
    assert memory.tree_peak_rss(10, proc) == {"processes": 3, "largest_mb": 195.3, "total_mb": 419.9}


def test_a_process_that_has_gone_counts_nothing(proc):
    proc.add(10, "worker", 1, 1, 1)  # no status file: it exited between the two reads
    assert memory.tree_peak_rss(10, proc) == {"processes": 0, "largest_mb": 0.0, "total_mb": 0.0}


def test_this_process_has_a_peak():
    assert memory.peak_rss_kb(os.getpid()) > 1000


@pytest.mark.django_db
def test_home_timelines_are_measured_against_a_bare_sorted_set():
    store = TimelineStore()
    base = 10**15  # snowflake-sized ids
    for reader in (1, 2, 3):
        store.replace_home(reader, [base + reader * 1000 + n for n in range(300)])
    store.replace_home(4, [])  # built and empty
    setting = store.redis.config_get("zset-max-listpack-entries")

    found = memory.timelines(store)

    assert found["timelines"] == found["sampled"] == 4
    assert found["entries_per_timeline"] == 225.0  # 900 entries over 4 sets, sentinels left out
    assert found["bare_zset"]["entries"] == 300
    # The same entries cost what a bare set of them does, give or take the key and sentinel...
    assert 0.9 <= found["vs_bare_zset"] < 1.2  # a skiplist's node sizes are random: either way by a little
    # ...several times the data in Redis's default encoding, far less as listpack.
    assert found["bytes_per_entry"] > 3 * memory.RAW_ENTRY_BYTES
    assert found["bare_zset"]["listpack_bytes_per_entry"] < found["bare_zset"]["bytes_per_entry"] / 2
    assert found["bare_zset"]["insert_us"] > 0 and found["bare_zset"]["listpack_insert_us"] > 0
    assert store.redis.config_get("zset-max-listpack-entries") == setting  # put back
    assert not store.redis.exists(memory.SCRATCH)


@pytest.mark.django_db
def test_no_timelines_says_so():
    assert memory.timelines(TimelineStore()) == {"timelines": 0}
