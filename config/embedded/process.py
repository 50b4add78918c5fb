"""Starting and stopping the embedded servers' processes (Linux; no Django here)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1


class EmbeddedError(RuntimeError):
    """Something the person running the command must fix; the message says what."""


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask the kernel to send `sig` to this process when its parent exits, however it exits.

    Called in a child between fork and exec (and by `make run` for itself), so
    that killing the supervisor, even with SIGKILL, leaves no orphans.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def spawn(
    argv: Sequence[str | Path],
    *,
    log: Path,
    owned: bool,
    death_signal: int = signal.SIGTERM,
    user: int | None = None,
    group: int | None = None,
    env: dict | None = None,
) -> subprocess.Popen:
    """Start a server in a session of its own, its output appended to `log`.

    Owned: it dies with the process that started it. Not owned: it keeps
    running after that process exits (started on first use by a command).
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen(
            [str(arg) for arg in argv],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches the supervisor, which stops us in order
            preexec_fn=(lambda: die_with_parent(death_signal)) if owned else None,
            user=user,
            group=group,
            env=env,
        )


def unix_socket_answers(path: Path, greeting: bytes = b"", expect: bytes = b"") -> bool:
    """Whether a server accepts connections on `path` (and answers `greeting` with `expect`)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(str(path))
            if greeting:
                sock.sendall(greeting)
                return sock.recv(64).startswith(expect)
        except OSError:
            return False
    return True


def wait_for(ready: Callable[[], bool], *, process: subprocess.Popen | None, timeout: float, what: str, log: Path):
    """Poll `ready` until it holds; fail with the log's tail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process is not None and process.poll() is not None:
            raise EmbeddedError(f"{what} stopped while starting (exit code {process.returncode}).\n{tail(log)}")
        if time.monotonic() > deadline:
            raise EmbeddedError(f"{what} did not start within {timeout:.0f} s.\n{tail(log)}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) has stopped serving.
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def stop_pid(pid: int, sig: int, *, timeout: float = 30.0) -> bool:
    """Send `sig` and wait for the process to go; SIGKILL if it won't. True if it was running."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
        time.sleep(0.05)
    return True


def tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return f"(no log at {path})"
    return f"Last lines of {path}:\n" + "\n".join(f"  {line}" for line in text)


def short_socket_dir(preferred: Path, name: str) -> Path:
    """`preferred`, unless a socket path inside it would be too long for Unix (108 bytes)."""
    if len(str(preferred / name)) < 100:
        return preferred
    import hashlib

    digest = hashlib.sha256(str(preferred).encode()).hexdigest()[:12]
    return Path("/tmp") / f"chirp-{digest}"  # noqa: S108 - a private folder named after the data folder
