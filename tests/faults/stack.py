"""A real stack for fault tests: the Procfile's processes on the test database and a Redis of their own.

`FaultRedis` is a `valkey-server` (the embedded wheel's) on a spare loopback
port, so a test may kill, pause or restart it without touching anyone
else's Redis. `RabbitVhost` is a virtual host of the machine's RabbitMQ
(127.0.0.1:5672) that only one test uses, for runs with RabbitMQ as the
broker. `Stack` runs the Procfile's `web`, `ws` and `worker` entries
(the documented production layout) against pytest-django's test database
and that Redis. Data a test makes must be committed for the processes to see
it: fault tests use `django_db(transaction=True)`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from config.embedded.redis import binary as valkey_binary
from config.run import expand, procfile
from tests.services import app_process_env

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout: float, every: float = 0.1, what: str = "the condition", tolerate=()):
    """Poll `check` until it returns something truthy; that value, or AssertionError after `timeout`.
    An exception in `tolerate` counts as "not yet" (a server still starting, a failover under way)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = check()
        except tolerate:
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s")
        time.sleep(every)


class FaultRedis:
    """A Redis that only this test uses: start, kill -9, pause (SIGSTOP), restart empty or from its snapshot."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, keep_snapshot: bool = True) -> None:
        if not keep_snapshot:
            (self.folder / "dump.rdb").unlink(missing_ok=True)
        argv = [valkey_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.folder,
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]  # fmt: skip
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen([str(a) for a in argv], stdout=log, stderr=subprocess.STDOUT)
        wait_until(self.answers, timeout=10, what="Redis starting")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)

    def snapshot(self) -> None:
        """Write dump.rdb now (SAVE), as the stock configuration does every so often."""
        self.client().save()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)


RABBITMQ = ("127.0.0.1", 5672)


class RabbitVhost:
    """A vhost of the machine's RabbitMQ (guest/guest) for one test: its own queues, deleted after.

    Made with `rabbitmqctl` (the management API need not be enabled). Where RabbitMQ
    or rabbitmqctl is missing the test is skipped, except in CI (`CI=true`), which
    makes sure RabbitMQ runs (.ci/run): there a missing broker fails the test.
    """

    def __init__(self):
        self.name = f"chirp-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@{RABBITMQ[0]}:{RABBITMQ[1]}/{self.name}"

    @staticmethod
    def _ctl(*args: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=30)

    def create(self) -> None:
        problem = None
        try:
            socket.create_connection(RABBITMQ, timeout=2).close()
        except OSError as error:
            problem = f"RabbitMQ is not answering on {RABBITMQ[0]}:{RABBITMQ[1]}: {error}"
        if problem is None:
            try:
                self._ctl("add_vhost", self.name)
                self._ctl("set_permissions", "-p", self.name, "guest", ".*", ".*", ".*")
            except (OSError, subprocess.SubprocessError) as error:
                problem = f"rabbitmqctl could not make a vhost: {error}"
        if problem is not None:
            if os.environ.get("CI") == "true":
                pytest.fail(problem)
            pytest.skip(problem)

    def delete(self) -> None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            self._ctl("delete_vhost", self.name)

    def queues(self) -> dict[str, tuple[int, int]]:
        """Each queue's (ready, unacknowledged) message counts, as RabbitMQ tells them."""
        found = subprocess.run(
            ["rabbitmqctl", "-q", "list_queues", "-p", self.name, "--no-table-headers",
             "name", "messages_ready", "messages_unacknowledged"],
            check=True, capture_output=True, text=True, timeout=30,
        ).stdout  # fmt: skip
        rows = (line.split() for line in found.splitlines() if line.strip())
        return {name: (int(ready), int(unacked)) for name, ready, unacked in rows}


class Stack:
    """The Procfile's processes, each in a session of its own, logging to `folder`."""

    def __init__(self, folder: Path, redis_url: str, **env: str):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.web_port, self.ws_port = free_port(), free_port()
        defaults = {
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": "",  # that Redis, unless the test names another broker
            "HOST": "127.0.0.1",
            "WEB_PORT": str(self.web_port),
            "WS_PORT": str(self.ws_port),
            "CHIRP_DATA_DIR": str(folder / "data"),
            "LOG_LEVEL": "WARNING",
            "DEBUG": "false",
            "SECRET_KEY": "fault-suite-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DATABASE_POOL": "true",
            "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        }
        self.env = app_process_env(**{**defaults, **env})
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}/ws/"

    def start(self, *names: str) -> None:
        entries = procfile()
        for name in names or ("web", "ws", "worker"):
            log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
            self.processes[name] = subprocess.Popen(
                expand(entries[name], self.env), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        if "web" in self.processes:
            wait_until(lambda: self.get("/healthz")[0] in (200, 503), timeout=60, what="the web server")
        if "ws" in self.processes:
            wait_until(lambda: self._port_open(self.ws_port), timeout=60, what="the WebSocket server")

    def _port_open(self, port: int) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
        return False

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """The whole process group: a worker with its pool, a server with its workers."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(30)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in list(self.processes.items()):
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
            self.processes.pop(name)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- HTTP as a client sees it ---------------------------------------------------------

    def request(self, method: str, path: str, *, token: str | None = None, body: dict | None = None,
                timeout: float = 10) -> tuple[int, dict | None]:  # fmt: skip
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                payload = answer.read()
                return answer.status, json.loads(payload) if payload else None
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, json.loads(payload) if payload else None
            except ValueError:
                return error.code, None
        except (OSError, ValueError):
            return 0, None

    def get(self, path: str, **kwargs) -> tuple[int, dict | None]:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: dict | None = None, **kwargs) -> tuple[int, dict | None]:
        return self.request("POST", path, body=body if body is not None else {}, **kwargs)
