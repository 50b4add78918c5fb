"""The embedded PostgreSQL and Redis: real servers from pip wheels, for the demo and development.

With no DATABASE_URL (or no REDIS_URL) the settings point at these servers,
whose data and Unix sockets live in the data folder (`.data/`, or
CHIRP_DATA_DIR). Who starts them:

- `make run` (config/run.py) starts them as its own children and stops them on Ctrl-C;
- any `manage.py` command starts them in the background if they aren't
  running (`make stop` stops them);
- the test run starts a throwaway pair when the configured servers don't answer.

Production runs the stack instead (DATABASE_URL and REDIS_URL; docs/OPERATIONS.md).
This package imports no app and no Django, so it can run before settings exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from config.embedded.postgres import PostgresServer
from config.embedded.process import EmbeddedError
from config.embedded.redis import RedisServer

BASE_DIR = Path(__file__).resolve().parents[2]

__all__ = ["EmbeddedError", "Services", "data_dir"]


def data_dir() -> Path:
    return Path(os.environ.get("CHIRP_DATA_DIR") or BASE_DIR / ".data").resolve()


@dataclass
class Services:
    """The pair of servers kept in one data folder."""

    root: Path = field(default_factory=data_dir)
    durable: bool = True
    postgres: PostgresServer = field(init=False)
    redis: RedisServer = field(init=False)

    def __post_init__(self):
        self.postgres = PostgresServer(self.root, durable=self.durable)
        self.redis = RedisServer(self.root, durable=self.durable)

    def wanted(self) -> list[PostgresServer | RedisServer]:
        """The servers the environment doesn't name: DATABASE_URL replaces PostgreSQL, REDIS_URL Redis."""
        found = []
        if not os.environ.get("DATABASE_URL"):
            found.append(self.postgres)
        if not os.environ.get("REDIS_URL"):
            found.append(self.redis)
        return found

    def start(self, servers=None, *, owned: bool) -> list[subprocess.Popen]:
        """Start those of `servers` (default: both) that aren't already running."""
        started = []
        for server in (self.postgres, self.redis) if servers is None else servers:
            if not server.is_running():
                started.append(server.start(owned=owned))
        return started

    def stop(self) -> list[str]:
        stopped = []
        if self.redis.stop():
            stopped.append("Redis")
        if self.postgres.stop():
            stopped.append("PostgreSQL")
        return stopped


def start_if_needed() -> None:
    """For `manage.py`: start in the background whichever embedded server the environment needs and lacks."""
    services = Services()
    servers = [server for server in services.wanted() if not server.is_running()]
    if not servers:
        return
    try:
        services.start(servers, owned=False)
    except EmbeddedError as error:
        sys.exit(f"Error: {error}")
    names = " and ".join("PostgreSQL" if isinstance(s, PostgresServer) else "Redis" for s in servers)
    print(f"Started the embedded {names} in {services.root} (`make stop` stops them).", file=sys.stderr)
