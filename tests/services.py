"""Point the test run at the real PostgreSQL and Redis before Django reads settings.

Loaded with `-p tests.services` (see pyproject.toml), which runs before
pytest-django imports the settings. Each xdist worker gets its own Redis
database number, so flushing between tests never touches another worker.
A missing service stops the run: the suite never quietly skips what it needs.
"""

import os

import pytest

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chirp")
TEST_REDIS_HOST = os.environ.get("TEST_REDIS_HOST", "127.0.0.1:6379")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
REDIS_DB = 1 + int(_worker.removeprefix("gw") or 0)  # 0 is left to `make stack`

os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ["REDIS_URL"] = f"redis://{TEST_REDIS_HOST}/{REDIS_DB}"
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")  # tests run tasks in-process unless they start a worker
os.environ.setdefault("MEDIA_ROOT", f"/tmp/chirp-test-media/{_worker}")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", f"/tmp/chirp-test-private-media/{_worker}")
os.environ.pop("PRODUCTION", None)


def pytest_configure(config):
    import psycopg
    import redis

    try:
        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise pytest.UsageError(f"Redis is required for the tests and is not answering: {error}") from None
    try:
        psycopg.connect(TEST_DATABASE_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        raise pytest.UsageError(f"PostgreSQL is required for the tests and is not answering: {error}") from None


def pytest_report_header(config):
    return f"services: {TEST_DATABASE_URL} (test database), {os.environ['REDIS_URL']}"
