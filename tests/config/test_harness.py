"""`make test` finds real servers: the ones named, else the machine's, else embedded ones it starts."""

import os
import subprocess
import sys
from pathlib import Path

from tests import services

ROOT = Path(__file__).resolve().parents[2]


def run_suite_with(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CHIRP_TEST_", "PYTEST_", "TEST_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/config/test_healthz.py", "-p", "no:xdist"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_named_redis_that_is_missing_stops_the_run():
    result = run_suite_with(TEST_DATABASE_URL=services.TEST_DATABASE_URL, TEST_REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0
    assert "Redis is required" in result.stdout + result.stderr


def test_a_named_postgres_that_is_missing_stops_the_run():
    result = run_suite_with(
        TEST_DATABASE_URL="postgres://postgres@127.0.0.1:1/chirp", TEST_REDIS_URL=services.TEST_REDIS_URL
    )
    assert result.returncode != 0
    assert "PostgreSQL is required" in result.stdout + result.stderr


def test_without_servers_the_run_starts_embedded_ones_and_stops_them(tmp_path):
    result = run_suite_with(CHIRP_TEST_SERVICES="embedded", CHIRP_DATA_DIR=str(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"services (embedded, in {tmp_path / 'test'})" in output
    assert " passed" in output
    postgres_pid = (tmp_path / "test" / "postgres" / "postmaster.pid").exists()
    assert not postgres_pid  # removed by a clean shutdown
    assert not (tmp_path / "test" / "redis" / "redis.pid").exists()
