"""Point the test run at real PostgreSQL and Redis before Django reads settings.

Loaded with `-p tests.services` (see pyproject.toml), which runs before
pytest-django imports the settings. Which servers:

1. TEST_DATABASE_URL / TEST_REDIS_URL when set: the run fails if they don't answer;
2. else the machine's, on 127.0.0.1:5432 and 6379, when they answer;
3. else the embedded ones (config/embedded), started for this run in
   `<data folder>/test` and stopped after it (CHIRP_TEST_SERVICES=embedded
   asks for them even when the machine's answer).

The first process decides and passes its choice to xdist's workers through
the environment. Each worker gets its own Redis database number, so
flushing between tests never touches another worker's.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

MACHINE_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/chirp"
MACHINE_REDIS_URL = "redis://127.0.0.1:6379/0"
CHOSEN = "CHIRP_TEST_SERVICES_CHOSEN"  # "database url|redis url|who", set by the first process

_worker = os.environ.get("PYTEST_XDIST_WORKER")
_started = []  # embedded servers this process started, stopped when the run ends


def with_redis_db(url: str, number: int) -> str:
    """The same Redis, database `number` (redis://host/N, or unix://path?db=N)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = {**parse_qs(parts.query), "db": [str(number)]}
        return f"unix://{parts.path}?{urlencode(query, doseq=True)}"  # urlunsplit would drop the empty host
    return urlunsplit(parts._replace(path=f"/{number}"))


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for a Django database entry (for tests that start processes of their own)."""
    host = settings_dict["HOST"] or settings_dict.get("OPTIONS", {}).get("host", "")
    port = settings_dict["PORT"] or settings_dict.get("OPTIONS", {}).get("port", 5432)
    if host.startswith("/"):
        return f"postgres://{settings_dict['USER']}@/{settings_dict['NAME']}?host={host}&port={port}"
    return f"postgres://{settings_dict['USER']}@{host}:{port}/{settings_dict['NAME']}"


def app_process_env(**more: str) -> dict:
    """The environment for a process of ours (a Celery worker) on this test's database and Redis."""
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **more,
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def newcomer_env(data_folder) -> dict:
    """A shell's environment, as a newcomer's: no DATABASE_URL or REDIS_URL, nothing the test run set."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TERM", "USER", "PYENV_ROOT", "TMPDIR")
    return {**{k: os.environ[k] for k in keep if k in os.environ}, "CHIRP_DATA_DIR": str(data_folder)}


def _answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def _check(database: str, redis_url: str) -> None:
    import psycopg
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis is required for the tests and is not answering at {redis_url}: {error}"
        raise pytest.UsageError(message) from None
    parts = urlsplit(database)
    try:
        psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3).close()
    except psycopg.Error as error:
        message = f"PostgreSQL is required for the tests and is not answering at {database}: {error}"
        raise pytest.UsageError(message) from None


def _choose() -> tuple[str, str, str]:
    database, redis_url = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if database or redis_url:
        database, redis_url = database or MACHINE_DATABASE_URL, redis_url or MACHINE_REDIS_URL
        _check(database, redis_url)
        return database, redis_url, "as configured"
    forced = os.environ.get("CHIRP_TEST_SERVICES") == "embedded"
    if not forced and _answers("127.0.0.1", 5432) and _answers("127.0.0.1", 6379):
        _check(MACHINE_DATABASE_URL, MACHINE_REDIS_URL)
        return MACHINE_DATABASE_URL, MACHINE_REDIS_URL, "the machine's"
    from config.embedded import EmbeddedError, Services, data_dir

    embedded = Services(data_dir() / "test", durable=False)
    _started.extend(server for server in (embedded.postgres, embedded.redis) if not server.is_running())
    try:
        embedded.start(_started, owned=True)  # they die with this process, however it ends
    except EmbeddedError as error:
        raise pytest.UsageError(f"No PostgreSQL and Redis answer, and the embedded ones failed: {error}") from None
    return embedded.postgres.url, embedded.redis.url, f"embedded, in {embedded.root}"


if CHOSEN not in os.environ:
    os.environ[CHOSEN] = "|".join(_choose())
TEST_DATABASE_URL, TEST_REDIS_URL, WHOSE = os.environ[CHOSEN].split("|")
REDIS_DB = 1 + int((_worker or "gw0").removeprefix("gw") or 0)  # 0 is left to `make run` and `make stack`

os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ["REDIS_URL"] = with_redis_db(TEST_REDIS_URL, REDIS_DB)
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")  # tests run tasks in-process unless they start a worker
os.environ.setdefault("MEDIA_ROOT", f"/tmp/chirp-test-media/{_worker or 'main'}")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", f"/tmp/chirp-test-private-media/{_worker or 'main'}")
os.environ.pop("PRODUCTION", None)


def pytest_unconfigure(config):
    for server in _started:
        server.stop()


def pytest_report_header(config):
    return f"services ({WHOSE}): {TEST_DATABASE_URL} (test database), {os.environ['REDIS_URL']}"
