"""`make run`: the whole product on one machine, in one command (SPEC §3).

Starts the embedded PostgreSQL and Redis (config/embedded), migrates, loads
the demo on the first run, then serves HTTP and WebSockets on one port
(uvicorn, ASGI) beside one Celery worker and Celery beat. Ctrl-C (SIGINT),
SIGTERM or SIGHUP stops every process it started, the servers last; if this
process is killed outright, the kernel stops its children (PR_SET_PDEATHSIG).

The console shows a banner and what the processes report at WARNING and
above (LOG_LEVEL changes that); each process's full output is in
<data folder>/logs/.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from config.embedded import EmbeddedError, Services, data_dir
from config.embedded.process import die_with_parent, tail

ROOT = Path(__file__).resolve().parent.parent
QUEUES = "default,timelines,media,notifications,maintenance"  # config/celery.py's QUEUES
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stop(Exception):
    """A stop signal arrived: unwind from wherever we are and shut down."""


def check_port(host: str, port: int) -> None:
    """Fail before anything starts if the web server couldn't listen there."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise EmbeddedError(f"Can't listen on {host}:{port}: {error.strerror}.") from None
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind(address)
        except OSError as error:
            raise EmbeddedError(
                f"Port {port} on {host} is in use ({error.strerror}); is another `make run` serving there?\n"
                f"Stop it, or choose another port: make run PORT={port + 1}"
            ) from None


def lock_data_folder(root: Path):
    """One `make run` per data folder: a second would share, then stop, the first one's servers."""
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / "run.lock", "a+")  # noqa: SIM115 - held until this process exits
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        raise EmbeddedError(f"Another `make run` ({holder}) is using the data folder {root}.") from None
    handle.truncate(0)
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


@dataclass
class Child:
    """A process of ours whose output is copied to its log and, prefixed, to the console."""

    name: str
    process: subprocess.Popen
    log: Path
    reader: threading.Thread = field(init=False)

    def __post_init__(self):
        self.reader = threading.Thread(target=self._copy, name=f"log-{self.name}", daemon=True)
        self.reader.start()

    def _copy(self) -> None:
        with open(self.log, "ab") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()
                sys.stdout.write(f"{self.name:<7}| {line.decode(errors='replace')}")
                sys.stdout.flush()


class Supervisor:
    def __init__(self, host: str, port: int, root: Path):
        self.host, self.port, self.root = host, port, root
        self.services = Services(root)
        self.logs = root / "logs"
        self.children: list[Child] = []
        self.servers = []  # the embedded servers we run (started or found running), stopped last
        self.server_processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "CHIRP_DATA_DIR": str(root),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Celery warns at every start when run as root (as in a container); it is a choice, not news.
            "PYTHONWARNINGS": "ignore:You're running the worker with superuser privileges",
        }

    # --- starting -------------------------------------------------------------------

    def start_servers(self) -> None:
        for server in self.services.wanted():
            self.servers.append(server)
            if not server.is_running():  # else one a manage.py command started: ours to stop now
                self.server_processes.append(server.start(owned=True))

    def manage(self, *argv: str) -> subprocess.Popen:
        """A manage.py command, its output in setup.log (shown if it fails)."""
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / "setup.log", "ab") as out:
            return subprocess.Popen(
                [sys.executable, "manage.py", *argv], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    def finish(self, process: subprocess.Popen) -> None:
        try:
            code = process.wait()
        except Stop:
            process.terminate()
            process.wait()
            raise
        if code != 0:
            command = " ".join(process.args[2:])
            raise EmbeddedError(
                f"`manage.py {command}` failed (exit code {code}).\n{tail(self.logs / 'setup.log', 25)}"
            )

    def spawn(self, name: str, argv: list[str]) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the terminal's Ctrl-C comes to us; we stop the children in order
            preexec_fn=die_with_parent,
        )
        self.children.append(Child(name, process, self.logs / f"{name}.log"))

    def start_processes(self) -> None:
        bin_dir = Path(sys.executable).parent
        self.spawn("web", [
            str(bin_dir / "uvicorn"), "config.asgi:application", "--host", self.host, "--port", str(self.port),
            "--log-level", "warning", "--no-access-log", "--lifespan", "off", "--timeout-graceful-shutdown", "5",
        ])  # fmt: skip
        self.spawn("worker", [
            str(bin_dir / "celery"), "--quiet", "-A", "config", "worker", f"--queues={QUEUES}", "--concurrency=2",
            "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--hostname=chirp@%h",
        ])  # fmt: skip
        self.spawn("beat", [str(bin_dir / "celery"), "--quiet", "-A", "config", "beat", "--loglevel=WARNING"])

    def wait_until_serving(self, timeout: float = 90) -> None:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104 - comparing, not binding
        url = f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/healthz"
        deadline = time.monotonic() + timeout
        while True:
            self.check_children()
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise EmbeddedError(f"The web server did not answer {url} within {timeout:.0f} s.")
            time.sleep(0.1)

    # --- running and stopping ---------------------------------------------------------

    def check_children(self) -> None:
        for child in self.children:
            code = child.process.poll()
            if code is not None:
                raise EmbeddedError(
                    f"The {child.name} process stopped unexpectedly (exit code {code}); stopping everything.\n"
                    f"{tail(child.log)}"
                )
        for server in self.servers:
            if not server.is_running():
                raise EmbeddedError(f"{type(server).__name__} stopped unexpectedly.\n{tail(server.log)}")

    def watch(self) -> None:
        while True:
            self.check_children()
            time.sleep(0.5)

    def stop(self) -> None:
        """Web first (no new work), then beat and the worker, then Redis and PostgreSQL."""
        order = {"web": 0, "beat": 1, "worker": 2}
        for child in sorted(self.children, key=lambda c: order.get(c.name, 9)):
            if child.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.process.pid, signal.SIGTERM)
                try:
                    child.process.wait(timeout=20)
                except subprocess.TimeoutExpired:  # a stuck task: take the whole process group down
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(child.process.pid, signal.SIGKILL)
                    child.process.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGKILL)  # any grandchild left behind (worker pool)
            child.reader.join(timeout=2)
        for server in reversed(self.servers):
            server.stop()
        for process in self.server_processes:
            process.wait(timeout=30)  # reap them, so nothing is left even as a zombie


def banner(host: str, port: int, root: Path) -> str:
    from config.settings import DEMO_PASSWORD

    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 - comparing, not binding
    try:
        data = root.relative_to(Path.cwd())
    except ValueError:
        data = root
    return (
        f"\n  Chirp is running at http://{shown}:{port}\n\n"
        f"  Log in as ada (or any demo person) with the password {DEMO_PASSWORD};\n"
        f"  moderator and root (a superuser) use it too, at /admin/.\n"
        f"  Data in {data}/ (make reset deletes it), logs in {data}/logs/. Ctrl-C stops everything.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make run", description="Serve Chirp with everything it needs.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    root = data_dir()
    supervisor = Supervisor(args.host, args.port, root)
    try:
        check_port(args.host, args.port)
        lock = lock_data_folder(root)
        if supervisor.services.postgres in supervisor.services.wanted():
            supervisor.services.postgres.check_version()
    except EmbeddedError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2

    def request_stop(signum, frame):
        for sig in STOP_SIGNALS:  # once is enough; a second Ctrl-C must not cut the shutdown short
            signal.signal(sig, signal.SIG_IGN)
        raise Stop

    for sig in STOP_SIGNALS:
        signal.signal(sig, request_stop)
    die_with_parent(signal.SIGTERM)  # `make` killed: we stop too, and take our children with us
    code = 0
    try:
        print(f"Starting Chirp (data in {root}) ...", flush=True)
        supervisor.start_servers()
        supervisor.finish(supervisor.manage("migrate", "--noinput"))
        # The demo loads (first run) while the processes start; the worker takes its tasks as they come.
        seed = supervisor.manage("seed_demo", "--if-empty")
        supervisor.start_processes()
        supervisor.wait_until_serving()
        supervisor.finish(seed)
        print(banner(args.host, args.port, root), flush=True)
        supervisor.watch()
    except Stop:
        print("\nStopping Chirp ...", flush=True)
    except EmbeddedError as error:
        print(f"Error: {error}", file=sys.stderr, flush=True)
        code = 1
    finally:
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        supervisor.stop()
        lock.close()
    if code == 0:
        print("Stopped.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
