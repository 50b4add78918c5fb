"""`make test` must fail, not skip, when a service it needs is missing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_suite_with(**env) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/config/test_healthz.py", "-p", "no:xdist", "-q"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_missing_redis_stops_the_run():
    result = run_suite_with(TEST_REDIS_HOST="127.0.0.1:1")
    assert result.returncode != 0
    assert "Redis is required" in result.stdout + result.stderr


def test_missing_postgres_stops_the_run():
    result = run_suite_with(TEST_DATABASE_URL="postgres://postgres@127.0.0.1:1/chirp")
    assert result.returncode != 0
    assert "PostgreSQL is required" in result.stdout + result.stderr
