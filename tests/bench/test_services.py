"""The benchmark's own servers (bench/services.py): the documented settings, and a start and stop."""

import socket

import psycopg
import redis

from bench import services
from config.embedded.process import alive

REFERENCE_RAM = 24_684_084 * 1024  # MemTotal of the 2-core, 24 GB machine docs/OPERATIONS.md sizes for


def test_settings_are_those_written_in_operations_md():
    settings = services.postgres_settings(REFERENCE_RAM, 2)
    assert {name: settings[name] for name in ("shared_buffers", "effective_cache_size", "work_mem")} == {
        "shared_buffers": "6026MB",
        "effective_cache_size": "18079MB",
        "work_mem": "60MB",
    }
    assert settings["maintenance_work_mem"] == "1506MB"
    assert settings["synchronous_commit"] == "on"
    assert settings["max_parallel_workers_per_gather"] == "1"
    assert services.redis_settings(REFERENCE_RAM)["maxmemory-policy"] == "volatile-lru"


def test_work_mem_stays_within_its_bounds():
    assert services.postgres_settings(1024**3, 1)["work_mem"] == "4MB"
    assert services.postgres_settings(512 * 1024**3, 64)["work_mem"] == "64MB"
    assert services.postgres_settings(512 * 1024**3, 64)["maintenance_work_mem"] == "2048MB"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_servers_start_with_the_settings_keep_the_data_and_stop(tmp_path):
    kwargs = {"root": tmp_path / "bench", "postgres_port": free_port(), "redis_port": free_port()}
    with services.running("chirp_bench_test", **kwargs) as (database_url, redis_url):
        with psycopg.connect(database_url, autocommit=True) as connection:
            assert (
                connection.execute("SHOW shared_buffers").fetchone()[0]
                == services.postgres_settings(*services.machine())["shared_buffers"]
            )
            assert connection.execute("SHOW synchronous_commit").fetchone()[0] == "on"
            connection.execute("CREATE TABLE kept (id int)")
        client = redis.Redis.from_url(redis_url)
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "volatile-lru"}
        client.close()
        servers = services.BenchServers(**kwargs)
        pids = [servers.postgres.pid(), servers.redis.pid()]
    assert not any(alive(pid) for pid in pids)
    # A second run finds what the first made.
    with services.running("chirp_bench_test", **kwargs) as (database_url, _), psycopg.connect(database_url) as db:
        assert db.execute("SELECT count(*) FROM kept").fetchone() == (0,)
    assert not services.BenchServers(**kwargs).postgres.is_running()
