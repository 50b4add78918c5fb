"""A real PostgreSQL streaming replica under the app's web processes: which reads it serves, and read-your-writes.

The test starts a small primary of its own (initdb into a temporary folder, on a
free loopback port, trust authentication for connections and replication),
copies the test database into it (pg_dump: the migrated schema and its rows),
then takes `pg_basebackup -R -X stream` of it into another folder and starts
that as a hot standby on another port. The machine's shared PostgreSQL, which
holds other runs' databases, is only read by pg_dump. The Procfile's `web`
process (granian, two workers) runs with DATABASE_URL = the primary and
DATABASE_REPLICA_URL = the standby; the Django test process itself only talks
HTTP to it, and SQL to the two servers to pause and resume replay.

With replay paused on the standby (`pg_wal_replay_pause()`), what a person
reads tells which server answered: the primary has the new post and follow,
the standby doesn't. The pin is shortened (DATABASE_REPLICA_PIN_SECONDS) so
the test can watch it end. Tasks run in the web processes
(CELERY_TASK_ALWAYS_EAGER), so a post reaches its followers' Redis timelines
before its POST answers.

Where the PostgreSQL binaries (initdb, pg_ctl, pg_basebackup, pg_dump of the
machine server's major version) are missing, the test is skipped, except in CI
(`CI=true`), where it fails: .ci/run installs them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections

from tests.faults.stack import Stack, free_port, wait_until
from tests.services import database_url

# The mark has pytest-django make the test database, which the primary is copied from; the tests
# themselves use it no further (they talk HTTP to the processes and SQL to the pair).
pytestmark = pytest.mark.django_db

PIN_SECONDS = 4  # long enough for the writer's seven reads on a loaded 2-core machine
PASSWORD = "a-long-unusual-passphrase"
SERVER_SETTINGS = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 60
shared_buffers = 16MB
fsync = off
synchronous_commit = off
log_min_messages = warning
"""


# --- the two servers ----------------------------------------------------------------------


def _missing(problem: str):
    if os.environ.get("CI") == "true":
        pytest.fail(problem)
    pytest.skip(problem)


def _server_major(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000


@dataclass
class Server:
    bin: Path
    data: Path
    port: int
    as_postgres: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/chirp"

    def run(self, tool: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_postgres, str(self.bin / tool), *args], check=True, capture_output=True, timeout=60, **kwargs
        )

    def start(self) -> None:
        self.run("pg_ctl", "start", "-w", "-t", "30", "-D", str(self.data), "-l", str(self.data / "server.log"),
                 "-o", f"-p {self.port}")  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.run("pg_ctl", "stop", "-w", "-t", "30", "-m", "immediate", "-D", str(self.data))

    def sql(self, query: str, params=()):
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(query, params).fetchone()


@dataclass
class Pair:
    primary: Server
    standby: Server

    def caught_up(self) -> bool:
        (lsn,) = self.primary.sql("SELECT pg_current_wal_lsn()")
        return self.standby.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(lsn)])[0]

    def wait_caught_up(self) -> None:
        wait_until(self.caught_up, timeout=20, what="the standby catching up")

    def pause(self) -> None:
        self.standby.sql("SELECT pg_wal_replay_pause()")
        wait_until(lambda: self.standby.sql("SELECT pg_get_wal_replay_pause_state()")[0] == "paused",
                   timeout=10, what="replay pausing")  # fmt: skip

    def resume(self) -> None:
        self.standby.sql("SELECT pg_wal_replay_resume()")
        self.wait_caught_up()


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    """A primary with a copy of the test database, and its streaming standby, each on a free loopback port."""
    source = database_url(connections["default"].settings_dict)
    with django_db_blocker.unblock():
        major = _server_major(source)
    bin_dir = Path(os.environ.get("CHIRP_PG_BIN", f"/usr/lib/postgresql/{major}/bin"))
    tools = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql", "postgres")
    absent = [tool for tool in tools if not (bin_dir / tool).exists()]
    if absent:
        _missing(f"PostgreSQL {major}'s {', '.join(absent)} not found in {bin_dir} (package postgresql-{major})")

    folder = Path(tempfile.mkdtemp(prefix="chirp-replica-"))
    as_postgres = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root: the folder is the postgres user's
        shutil.chown(folder, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    primary = Server(bin_dir, folder / "primary", free_port(), as_postgres)
    standby = Server(bin_dir, folder / "standby", free_port(), as_postgres)
    try:
        primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        with open(primary.data / "postgresql.conf", "a") as conf:
            conf.write(SERVER_SETTINGS.format(sockets=folder))
        primary.start()
        primary.run("psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                    "-c", "CREATE DATABASE chirp")  # fmt: skip
        dump = subprocess.run([str(bin_dir / "pg_dump"), "--no-owner", "--no-privileges", "--dbname", source],
                              check=True, capture_output=True, timeout=60).stdout  # fmt: skip
        primary.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", primary.url, input=dump)
        primary.run("pg_basebackup", "-R", "-D", str(standby.data), "-h", "127.0.0.1", "-p", str(primary.port),
                    "-U", "postgres", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        standby.start()
        found = Pair(primary, standby)
        assert standby.sql("SELECT pg_is_in_recovery()")[0] is True
        wait_until(lambda: primary.sql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")[0],
                   timeout=20, what="the standby streaming")  # fmt: skip
        found.wait_caught_up()
        yield found
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def stack(pair, tmp_path_factory):
    """The Procfile's `web` on the pair: writes to the primary, reads that may lag from the standby."""
    found = Stack(
        tmp_path_factory.mktemp("replica-stack"),
        settings.REDIS_URL,
        DATABASE_URL=pair.primary.url,
        DATABASE_REPLICA_URL=pair.standby.url,
        DATABASE_REPLICA_PIN_SECONDS=str(PIN_SECONDS),
        CELERY_TASK_ALWAYS_EAGER="true",
        DATABASE_POOL_MIN="1",
        DATABASE_POOL_MAX="4",
        DEBUG="true",  # pages name their static files without a collectstatic manifest
        WEB_WORKERS="1",  # the pin is in Redis, so it holds across processes; one starts sooner
    )
    try:
        found.start("web")
        yield found
    finally:
        found.stop()


# --- people, as their clients see the site -------------------------------------------------


class Person:
    """Someone with an API token (no cookies: an app) and a signed-in browser (cookies, no token)."""

    def __init__(self, stack: Stack, username: str):
        self.stack, self.username = stack, username
        body = {"name": username.title(), "email": f"{username}@example.com", "username": username,
                "password": PASSWORD}  # fmt: skip
        status, answer = stack.post("/api/v1/signup", body)
        assert status == 201, (status, answer, stack.log("web")[-3000:])
        self.token = answer["token"]
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def sign_in(self) -> None:
        """The browser signs in through the login page (a session, and no token)."""
        username = self.username
        form = self.page("/accounts/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "login": username, "password": PASSWORD})
        with self.browser.open(self.stack.url + "/accounts/login/", data=data.encode(), timeout=15) as answer:
            assert answer.status == 200 and f"@{username}" in answer.read().decode()  # followed to the home page

    def api(self, method: str, path: str, body: dict | None = None):
        status, answer = self.stack.request(method, f"/api/v1{path}", token=self.token, body=body)
        assert 200 <= status < 300, (method, path, status, answer, self.stack.log("web")[-4000:])
        return answer

    def page(self, path: str) -> str:
        try:
            with self.browser.open(self.stack.url + path, timeout=15) as answer:
                return answer.read().decode()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"GET {path}: {error.code}\n{self.stack.log('web')[-4000:]}") from None

    # What the tests look at, read as the person's app or browser would.

    def home_ids(self) -> set[int]:
        return {int(t["id"]) for t in self.api("GET", "/timeline/home")["tweets"]}

    def mastodon_home_ids(self) -> set[int]:
        return {int(s["id"]) for s in self.api("GET", "/timelines/home")}

    def search_ids(self, word: str) -> set[int]:
        query = urllib.parse.urlencode({"q": word, "type": "tweets"})
        return {int(t["id"]) for t in self.api("GET", f"/search?{query}")["results"]}

    def list_ids(self, list_id) -> set[int]:
        return {int(t["id"]) for t in self.api("GET", f"/lists/{list_id}/timeline")["tweets"]}

    def following(self, other: str) -> bool:
        return self.api("GET", f"/users/{other}")["user"]["relationship"]["following"]

    def following_count(self, other: str) -> int:
        return self.api("GET", f"/users/{other}")["user"]["followingCount"]


def _pin_over() -> None:
    time.sleep(PIN_SECONDS + 0.5)


# --- the tests --------------------------------------------------------------------------------


def test_the_standby_streams_from_the_primary_and_refuses_writes(pair):
    (state,) = pair.primary.sql("SELECT state FROM pg_stat_replication")
    assert state == "streaming"
    assert pair.standby.sql("SELECT pg_is_in_recovery()")[0] is True
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        pair.standby.sql("CREATE TABLE nope (id int)")


def test_lagging_reads_come_from_the_standby_and_a_writer_reads_their_own_writes(pair, stack):
    ada, bob, cy = (Person(stack, name) for name in ("ada_rw", "bob_rw", "cy_rw"))
    bob.api("POST", "/users/ada_rw/follow")
    listed = bob.api("POST", "/lists", {"name": "Ada"})["list"]["id"]
    bob.api("POST", f"/lists/{listed}/members", {"userId": "ada_rw"})
    for person in (ada, bob):  # signed in, their timelines active in Redis, their sessions' first pages seen
        person.sign_in()
        person.home_ids()
    pair.wait_caught_up()
    _pin_over()

    pair.pause()
    try:
        word = f"replica{uuid.uuid4().hex[:10]}"
        written_at = time.monotonic()
        post = int(ada.api("POST", "/tweets", {"text": f"Fresh from the primary {word}"})["tweetId"])
        ada.api("POST", "/users/cy_rw/follow")

        # The writer, from her app (no cookies) and her browser (no token), reads the primary: all there.
        assert post in ada.home_ids()
        assert post in ada.mastodon_home_ids()
        assert word in ada.page("/")
        assert word in ada.page("/@ada_rw")
        assert post in ada.search_ids(word)
        assert ada.following("cy_rw") is True
        assert "Following" in ada.page("/@cy_rw")
        assert time.monotonic() - written_at < PIN_SECONDS, "the reads took longer than the pin: raise PIN_SECONDS"

        # Another person reads the paused standby: neither the post nor the follow yet.
        assert post not in bob.home_ids()
        assert post not in bob.mastodon_home_ids()
        assert word not in bob.page("/")
        assert word not in bob.page("/@ada_rw")
        assert post not in bob.search_ids(word)
        assert post not in bob.list_ids(listed)
        assert bob.following_count("ada_rw") == 0

        # After the pin the writer reads the standby again, as everyone does.
        _pin_over()
        assert post not in ada.home_ids()
        assert word not in ada.page("/")
        assert ada.following("cy_rw") is False
    finally:
        pair.resume()

    # Replay resumed: everyone sees it all.
    for person in (ada, bob):
        assert post in person.home_ids()
        assert post in person.mastodon_home_ids()
        assert word in person.page("/")
        assert post in person.search_ids(word)
    assert post in bob.list_ids(listed)
    assert bob.following_count("ada_rw") == 1
    assert ada.following("cy_rw") is True
    assert cy.api("GET", "/users/cy_rw")["user"]["followersCount"] == 1
