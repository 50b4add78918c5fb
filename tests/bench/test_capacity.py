"""The capacity model (bench/capacity.py): its premise checked on the recorded bench runs, and its arithmetic."""

import dataclasses
import subprocess
import sys

import pytest

from bench import capacity
from bench.run import capacity_extras

ROOT = capacity.BASELINE.parents[1]
RECORDS = [capacity.Record.load(capacity.BASELINE / f"{scale}.json") for scale in ("small", "full")]
SITE = capacity.Site(
    dau=100_000, posts_per_day=500_000, mau=200_000, registered=500_000, followers_per_post=150,
    celebrity_post_share=0.05, timeline_entries=800, concurrent_share=0.1,
)  # fmt: skip


def test_at_both_scales_every_read_rows_throughput_is_its_cpu_per_request_dividing_the_cores():
    found = capacity.check(RECORDS)
    assert {item["scale"] for item in found} == {"small", "full"}
    reads = [item for item in found if item["read"]]
    assert len(reads) >= 12
    low, high = capacity.CHECK_BAND
    off = [(i["scale"], i["row"], i["run"], i["share"]) for i in reads if not low <= i["share"] <= high]
    assert not off, f"rows whose req/s x CPU ms is not the cores' share the model assumes: {off}"


def test_the_write_rows_use_less_of_the_cores_because_the_worker_does_the_rest():
    """Post and follow hand work to the Celery worker, whose CPU the row does not count: the model sizes it apart."""
    found = capacity.check(RECORDS)
    reads = min(item["share"] for item in found if item["read"])
    for row in ("post", "follow"):
        shares = [item["share"] for item in found if item["row"] == row]
        assert len(shares) == 4 and max(shares) < reads


def test_sizes_grow_with_the_site():
    record = RECORDS[1]
    bigger = dataclasses.replace(SITE, dau=1_000_000, mau=2_000_000, registered=5_000_000, posts_per_day=5_000_000)
    small, big = capacity.size(record, SITE), capacity.size(record, bigger)
    assert big["requests_per_s"] == pytest.approx(10 * small["requests_per_s"], rel=0.01)
    assert big["cores"]["web"] == pytest.approx(10 * small["cores"]["web"], rel=0.01)
    assert big["web_processes"] >= 10 * small["web_processes"] - 10
    assert big["redis"]["timeline_gb"] == pytest.approx(10 * small["redis"]["timeline_gb"], rel=0.01)
    assert big["fanout"]["inserts_per_s"] == pytest.approx(10 * small["fanout"]["inserts_per_s"], rel=0.01)


def test_the_arithmetic_of_one_part():
    record, sized = RECORDS[1], capacity.size(RECORDS[1], SITE)
    home = SITE.dau * capacity.MIX["home_api"] / 86_400 * capacity.PEAK_FACTOR
    assert sized["rates"]["home_api"] == pytest.approx(home, abs=0.1)
    web = sum(rate * record.cpu(row, "web") for row, rate in capacity.peak_rates(SITE).items()) / 1000
    assert sized["cores"]["web"] == pytest.approx(web, abs=0.01)
    assert sized["web_processes"] == -(-web // capacity.UTILISATION)
    # 150 followers, 40 % of accounts keep a timeline, 5 % of posts by celebrities (merged at read time).
    assert sized["fanout"]["inserts_per_post"] == pytest.approx(150 * 0.4 * 0.95)
    assert sized["redis"]["timeline_gb"] == pytest.approx(200_000 * 800 * 75.8 / 1e9, abs=0.1)


def test_celebrity_posts_cost_no_fan_out():
    sized = capacity.size(RECORDS[1], dataclasses.replace(SITE, celebrity_post_share=1.0))
    assert sized["fanout"]["inserts_per_s"] == 0 and sized["fanout"]["workers"] == 1


def test_a_run_records_what_the_model_reads():
    results = {
        "fanout_throughput": {"inserts_per_s": 41_000},
        "memory": {"redis_timelines": {"bytes_per_entry": 76.1}},
        "live_event": {"server_mb_per_1000_sockets": 37.5},
    }
    assert capacity_extras(results) == {
        "fanout_inserts_per_s": 41_000, "redis_bytes_per_entry": 76.1, "ws_mb_per_1000_sockets": 37.5,
    }  # fmt: skip
    assert capacity_extras({"fanout_throughput": {"inserts_per_s": None}}) == {}  # a partial run: nothing


def test_the_command_prints_a_sizing_and_the_check():
    run = [sys.executable, "-m", "bench.capacity"]
    sized = subprocess.run([*run, "--dau", "1000000", "--posts-per-day", "5000000"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "1,000,000 daily active people" in sized and "web processes" in sized and "masters" in sized
    checked = subprocess.run([*run, "--check"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "| small | home_api | 1 |" in checked and "| full | home_api | 1 |" in checked
