"""`make run` and `make stack`: the product's processes under one supervisor (SPEC §3).

`make run` starts the embedded PostgreSQL and Redis (config/embedded),
migrates, loads the demo on the first run, then serves HTTP and WebSockets
on one port (uvicorn, ASGI) beside one Celery worker and Celery beat.
`make stack` runs the Procfile's processes (the production layout) against
the servers DATABASE_URL and REDIS_URL name.

A process that crashes is started again, after a pause that grows if it
keeps crashing; one that crashes five times in a minute stops everything.
Ctrl-C (SIGINT), SIGTERM or SIGHUP stops every process this started, the
servers last; if this process is killed outright, the kernel stops its
children (PR_SET_PDEATHSIG). The console shows a banner and what the
processes report at WARNING and above (LOG_LEVEL changes that); each
process's full output is in <data folder>/logs/.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from config.embedded import EmbeddedError, Services, data_dir
from config.embedded.process import die_with_parent, tail

ROOT = Path(__file__).resolve().parent.parent
QUEUES = "default,timelines,media,notifications,maintenance"  # config/celery.py's QUEUES
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
RESTART_DELAYS = (1, 2, 5, 10, 30)  # seconds before the 1st, 2nd, ... restart in a row
CRASH_LIMIT = 5  # crashes within CRASH_WINDOW seconds, and we give up
CRASH_WINDOW = 60


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
    """One supervisor per data folder: a second would share, then stop, the first one's servers."""
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


def procfile() -> dict[str, str]:
    """The Procfile's entries, name -> command: the documented production layout."""
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if command.strip() and not name.startswith("#"):
            entries[name.strip()] = command.strip()
    return entries


def expand(command: str, env: dict) -> list[str]:
    """A Procfile command's `${NAME:-default}` and `$NAME`, expanded as a shell would."""

    def value(match: re.Match) -> str:
        return env.get(match.group(1)) or (match.group(3) or "")

    expanded = re.sub(r"\$\{(\w+)(:-([^}]*))?\}", value, command)
    expanded = re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), ""), expanded)
    return shlex.split(expanded)


@dataclass
class Program:
    """One long-running process we keep running; its output goes to its log and, prefixed, to the console."""

    name: str
    argv: list[str]
    log: Path
    process: subprocess.Popen | None = None
    crashes: deque = field(default_factory=deque)  # when it last crashed, newest last
    due: float | None = None  # when to start it again after a crash
    reader: threading.Thread | None = None

    def start(self, env: dict) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the terminal's Ctrl-C comes to us; we stop the children in order
            preexec_fn=die_with_parent,
        )
        self.due = None
        self.reader = threading.Thread(target=self._copy, args=(self.process,), name=f"log-{self.name}", daemon=True)
        self.reader.start()

    def _copy(self, process: subprocess.Popen) -> None:
        with open(self.log, "ab") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                sys.stdout.write(f"{self.name:<7}| {line.decode(errors='replace')}")
                sys.stdout.flush()

    def crashed(self) -> int | None:
        """Its exit code if it has stopped without being asked to."""
        if self.process is None or self.due is not None:
            return None
        return self.process.poll()

    def schedule_restart(self, now: float) -> float:
        """Note the crash; seconds until the restart (EmbeddedError when it keeps crashing)."""
        self.crashes.append(now)
        while self.crashes and self.crashes[0] < now - CRASH_WINDOW:
            self.crashes.popleft()
        if len(self.crashes) >= CRASH_LIMIT:
            raise EmbeddedError(
                f"The {self.name} process crashed {len(self.crashes)} times in a minute; stopping everything.\n"
                f"{tail(self.log)}"
            )
        delay = RESTART_DELAYS[min(len(self.crashes), len(RESTART_DELAYS)) - 1]
        self.due = now + delay
        return delay

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a stuck task: take the whole process group down
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any grandchild left behind (a worker's pool)
        if self.reader is not None:
            self.reader.join(timeout=2)


class Supervisor:
    def __init__(self, host: str, port: int, root: Path, *, stack: bool = False):
        self.host, self.port, self.root, self.stack = host, port, root, stack
        self.services = Services(root)
        self.logs = root / "logs"
        self.programs: list[Program] = []
        self.servers = []  # the embedded servers we run (started or found running), stopped last
        self.server_processes: list[subprocess.Popen] = []
        self.server_crashes: dict[str, Program] = {}  # crash bookkeeping for the servers, by name
        self.ws_port = port + 1 if stack else port
        self.env = {
            **os.environ,
            "CHIRP_DATA_DIR": str(root),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Celery warns at every start when run as root (as in a container); it is a choice, not news.
            "PYTHONWARNINGS": "ignore:You're running the worker with superuser privileges",
        }
        if stack:
            # The production layout runs as production does: no debug pages (the site's own 404 and 500).
            self.env.setdefault("DEBUG", "false")
            # Pages on PORT open their socket on PORT+1, so that origin is one the socket trusts.
            site = f"http://{self.shown_host}:{port}"
            self.env.update(
                HOST=host,
                WEB_PORT=str(port),
                WS_PORT=str(self.ws_port),
                LIVE_EVENTS_URL=os.environ.get("LIVE_EVENTS_URL") or f"ws://{self.shown_host}:{self.ws_port}/ws/",
                CSRF_TRUSTED_ORIGINS=os.environ.get("CSRF_TRUSTED_ORIGINS") or site,
            )

    @property
    def shown_host(self) -> str:
        return "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104 - comparing, not binding

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
            log = tail(self.logs / "setup.log", 25)
            raise EmbeddedError(f"`manage.py {command}` failed (exit code {code}).\n{log}")

    def add(self, name: str, argv: list[str]) -> None:
        program = Program(name, argv, self.logs / f"{name}.log")
        program.start(self.env)
        self.programs.append(program)

    def start_processes(self) -> None:
        if self.stack:
            for name, command in procfile().items():
                argv = expand(command, self.env)
                self.add(name, [str(Path(sys.executable).parent / argv[0]), *argv[1:]])
            return
        bin_dir = Path(sys.executable).parent
        self.add("web", [
            str(bin_dir / "uvicorn"), "config.asgi:application", "--host", self.host, "--port", str(self.port),
            "--log-level", "warning", "--no-access-log", "--lifespan", "off", "--timeout-graceful-shutdown", "5",
        ])  # fmt: skip
        self.add("worker", [
            str(bin_dir / "celery"), "--quiet", "-A", "config", "worker", f"--queues={QUEUES}", "--concurrency=2",
            "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--hostname=chirp@%h",
        ])  # fmt: skip
        self.add("beat", [str(bin_dir / "celery"), "--quiet", "-A", "config", "beat", "--loglevel=WARNING"])

    def wait_until_serving(self, timeout: float = 90) -> None:
        host = self.shown_host
        url = f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/healthz"
        deadline = time.monotonic() + timeout
        while True:
            for program in self.programs:
                if (code := program.crashed()) is not None:
                    raise EmbeddedError(f"The {program.name} process stopped while starting (exit code {code}).\n"
                                        f"{tail(program.log)}")  # fmt: skip
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

    def keep_running(self) -> None:
        """Start again whatever crashed; raise EmbeddedError for one that keeps crashing."""
        now = time.monotonic()
        for program in self.programs:
            if (code := program.crashed()) is not None:
                delay = program.schedule_restart(now)
                print(f"The {program.name} process stopped unexpectedly (exit code {code}); "
                      f"starting it again in {delay} s.", flush=True)  # fmt: skip
            elif program.due is not None and now >= program.due:
                program.start(self.env)
        for server in self.servers:
            if not server.is_running():
                name = type(server).__name__
                bookkeeping = self.server_crashes.setdefault(name, Program(name, [], server.log))
                bookkeeping.schedule_restart(now)
                print(f"{name} stopped unexpectedly; starting it again.\n{tail(server.log, 5)}", flush=True)
                self.server_processes.append(server.start(owned=True))

    def watch(self) -> None:
        while True:
            self.keep_running()
            time.sleep(0.5)

    def stop(self) -> None:
        """Web first (no new work), then beat and the worker, then Redis and PostgreSQL."""
        order = {"web": 0, "ws": 0, "beat": 1, "worker": 2}
        for program in sorted(self.programs, key=lambda p: order.get(p.name, 9)):
            program.stop()
        for server in reversed(self.servers):
            server.stop()
        for process in self.server_processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)  # reap them, so nothing is left even as a zombie

    def banner(self) -> str:
        from config.settings import DEMO_PASSWORD

        try:
            data = self.root.relative_to(Path.cwd())
        except ValueError:
            data = self.root
        sockets = f" (WebSockets on port {self.ws_port})" if self.stack else ""
        return (
            f"\n  Chirp is running at http://{self.shown_host}:{self.port}{sockets}\n\n"
            f"  Log in as ada (or any demo person) with the password {DEMO_PASSWORD};\n"
            f"  moderator and root (a superuser) use it too, at /admin/.\n"
            f"  Data in {data}/ (make reset deletes it), logs in {data}/logs/. Ctrl-C stops everything.\n"
        )


def prepare(supervisor: Supervisor) -> subprocess.Popen:
    """Before the processes: the database ready. Returns the demo loading, which runs beside them."""
    if supervisor.stack:
        supervisor.finish(supervisor.manage("ensure_database"))
        supervisor.finish(supervisor.manage("collectstatic", "--noinput", "--verbosity", "0"))
    supervisor.finish(supervisor.manage("migrate", "--noinput"))
    # The demo loads (first run) while the processes start; the worker takes its tasks as they come.
    return supervisor.manage("seed_demo", "--if-empty")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make run", description="Serve Chirp with everything it needs.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--stack", action="store_true", help="the Procfile's processes (make stack)")
    args = parser.parse_args(argv)
    root = data_dir()
    supervisor = Supervisor(args.host, args.port, root, stack=args.stack)
    try:
        for port in {args.port, supervisor.ws_port}:
            check_port(args.host, port)
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
        seed = prepare(supervisor)
        supervisor.start_processes()
        supervisor.wait_until_serving()
        supervisor.finish(seed)
        print(supervisor.banner(), flush=True)
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
