"""The benchmark's own PostgreSQL and Redis (issue 17), so its figures don't depend on the machine's servers.

    python -m bench.services start|stop|status|settings

Both come from the embedded wheels (config/embedded), with the production
settings of docs/OPERATIONS.md ("Tuning PostgreSQL and Redis") worked out
for this machine's memory and cores, and keep their data in a folder of their
own (`.data/bench`, or BENCH_DATA_DIR): the data set built by one run is there
for the next. They listen on 127.0.0.1 over TCP, as a database of the stack
does (ports BENCH_POSTGRES_PORT and BENCH_REDIS_PORT, 15432 and 16379 unless
set), as well as on Unix sockets in that folder.

    with bench.services.running("chirp_bench") as (database_url, redis_url):
        ...  # both servers answer here and are stopped after

`make bench DATABASE_URL=… REDIS_URL=…` measures a given stack instead, and
then none of this starts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

from config.embedded import BASE_DIR
from config.embedded.postgres import SUPERUSER, PostgresServer
from config.embedded.process import EmbeddedError
from config.embedded.redis import RedisServer

MB = 1024 * 1024
GB = 1024 * MB
MAX_CONNECTIONS = 100
REDIS_DB = 0


def data_dir() -> Path:
    return Path(os.environ.get("BENCH_DATA_DIR") or BASE_DIR / ".data" / "bench").resolve()


def machine() -> tuple[int, int]:
    """(bytes of RAM, cores) of this machine."""
    with open("/proc/meminfo") as meminfo:
        kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return kb * 1024, os.cpu_count() or 1


def _mb(size: float) -> str:
    return f"{int(size // MB)}MB"


def postgres_settings(ram: int, cores: int) -> dict[str, str]:
    """docs/OPERATIONS.md's production settings for a machine of `ram` bytes and `cores` cores.

    The benchmark's machine also runs the app, so these are the figures for a
    database sharing its machine; on 2 cores and 24 GB they are the ones written there.
    """
    return {
        "max_connections": str(MAX_CONNECTIONS),  # every process's pool (DATABASE_POOL_MAX, 8) plus headroom
        "shared_buffers": _mb(ram / 4),
        "effective_cache_size": _mb(ram * 3 / 4),
        # A quarter of RAM shared by every connection sorting at once; 4-64 MB.
        "work_mem": _mb(min(64 * MB, max(4 * MB, ram / 4 / MAX_CONNECTIONS))),
        "maintenance_work_mem": _mb(min(2 * GB, ram / 16)),
        "random_page_cost": "1.1",  # SSD
        "effective_io_concurrency": "200",
        "wal_buffers": "16MB",
        "min_wal_size": "1GB",
        "max_wal_size": "4GB",
        "checkpoint_completion_target": "0.9",
        # Durable as production: a commit waits for its WAL to reach the disk (the embedded demo doesn't).
        "synchronous_commit": "on",
        "fsync": "on",
        "full_page_writes": "on",
        "max_worker_processes": str(max(8, cores)),
        "max_parallel_workers": str(cores),
        "max_parallel_workers_per_gather": str(max(1, cores // 2)),
        "max_parallel_maintenance_workers": str(max(1, cores // 2)),
        # Short queries: compiling one (tens of ms) costs more than it saves.
        "jit": "off",
        "huge_pages": "try",
        "track_io_timing": "on",  # EXPLAIN (ANALYZE, BUFFERS) shows time spent reading
    }


def redis_settings(ram: int) -> dict[str, str]:
    """docs/OPERATIONS.md's production settings for the one Redis behind REDIS_URL."""
    return {
        "maxmemory": str(int(ram // 8)),
        # Only keys with an expiry (timelines, caches) may go; queues and channels have none.
        "maxmemory-policy": "volatile-lru",
        # Everything in it is rebuilt from PostgreSQL: no snapshot forks on a busy 2-core machine.
        "save": "",
        "appendonly": "no",
    }


def _port_taken(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class BenchServers:
    """The pair in the bench's data folder; `stop` stops only what `start` started."""

    def __init__(self, root: Path | None = None, *, postgres_port: int | None = None, redis_port: int | None = None):
        self.root = root or data_dir()
        ram, cores = machine()
        self.postgres_port = postgres_port or int(os.environ.get("BENCH_POSTGRES_PORT") or 15432)
        self.redis_port = redis_port or int(os.environ.get("BENCH_REDIS_PORT") or 16379)
        self.postgres = PostgresServer(
            self.root, listen="127.0.0.1", port=self.postgres_port, settings=postgres_settings(ram, cores)
        )
        self.redis = RedisServer(self.root, port=self.redis_port, settings=redis_settings(ram))
        self.started: list[PostgresServer | RedisServer] = []

    def database_url(self, database: str) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.postgres_port}/{database}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/{REDIS_DB}"

    def start(self, database: str, *, owned: bool = True) -> tuple[str, str]:
        """Start whichever isn't running, make `database` if missing; (database_url, redis_url).

        Owned (the default): they die with this process, however it ends.
        """
        for server, port in ((self.postgres, self.postgres_port), (self.redis, self.redis_port)):
            if server.is_running():
                continue  # started earlier (by hand, or a run that still holds them): reuse it
            if _port_taken(port):
                raise EmbeddedError(
                    f"127.0.0.1:{port} is taken by another server: set BENCH_POSTGRES_PORT / BENCH_REDIS_PORT."
                )
            server.start(owned=owned)
            self.started.append(server)
        self.ensure_database(database)
        return self.database_url(database), self.redis_url

    def ensure_database(self, database: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.postgres.conninfo("postgres"), autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))

    def stop(self, *, all_running: bool = False) -> list[str]:
        """Stop what `start` started (or, with all_running, whatever runs in this folder); names stopped."""
        stopped = []
        for name, server in (("Redis", self.redis), ("PostgreSQL", self.postgres)):
            if (all_running or server in self.started) and server.stop():
                stopped.append(name)
        self.started.clear()
        return stopped


def start(database: str, *, owned: bool = True, **kwargs) -> tuple[str, str]:
    """Start the bench's servers if they aren't running; (database_url, redis_url). `stop()` stops them."""
    return BenchServers(**kwargs).start(database, owned=owned)


def stop(**kwargs) -> list[str]:
    """Stop the bench's servers, whoever started them; the names of those that were running."""
    return BenchServers(**kwargs).stop(all_running=True)


@contextlib.contextmanager
def running(database: str, **kwargs) -> Iterator[tuple[str, str]]:
    """(database_url, redis_url) of the bench's servers, stopped on leaving (those this started)."""
    servers = BenchServers(**kwargs)
    try:
        yield servers.start(database)
    finally:
        servers.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.services", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status", "settings"])
    parser.add_argument("--database", default="chirp_bench")
    args = parser.parse_args(argv)
    servers = BenchServers()
    if args.action == "settings":
        for server, settings in (("PostgreSQL", servers.postgres.settings), ("Redis", servers.redis.settings)):
            print("\n".join(f"{server}: {name} = {value!r}" for name, value in settings.items()))
        return 0
    if args.action == "start":
        try:
            database_url, redis_url = servers.start(args.database, owned=False)  # outlives this command
        except EmbeddedError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
        print(f"DATABASE_URL={database_url}\nREDIS_URL={redis_url}")
        return 0
    if args.action == "stop":
        stopped = stop()
        print(f"Stopped {' and '.join(stopped)}." if stopped else "Nothing was running.")
        return 0
    for name, server in (("PostgreSQL", servers.postgres), ("Redis", servers.redis)):
        state = f"running (pid {server.pid()})" if server.is_running() else "stopped"
        print(f"{name}: {state}, data in {server.data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
