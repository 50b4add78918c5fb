"""Processes that crash are replaced: the web server keeps serving when one of its workers dies."""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import psutil
import pytest
from django.conf import settings
from django.db import connection

from tests.faults.stack import ROOT, free_port, wait_until
from tests.services import database_url, newcomer_env

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_killed_web_worker_is_replaced_and_the_next_request_served(stack_for):
    stack = stack_for("web")
    assert stack.get("/healthz")[0] == 200
    server = psutil.Process(stack.processes["web"].pid)
    workers = wait_until(lambda: server.children(), timeout=10, what="granian's workers")
    os.kill(workers[0].pid, signal.SIGKILL)
    psutil.wait_procs([workers[0]], timeout=10)  # gone (a request racing the kill would die with it)
    started = time.monotonic()
    for _ in range(10):
        status, _ = stack.get("/healthz")
        assert status == 200
    assert time.monotonic() - started < 10
    assert stack.processes["web"].poll() is None  # the server itself lives on
    wait_until(lambda: len(server.children()) == len(workers), timeout=20, what="a new worker in its place")


def test_make_stack_serves_the_procfile_and_starts_a_crashed_process_again(tmp_path, fault_redis):
    """`make stack`: the production layout under the supervisor; a crashed web server comes back by itself."""
    test_database = settings.DATABASES["default"]
    name = f"{test_database['NAME']}_stack"
    port = free_port()
    env = newcomer_env(tmp_path / "data")
    env.update(DATABASE_URL=database_url({**test_database, "NAME": name}), REDIS_URL=fault_redis.url)
    make = subprocess.Popen(
        ["make", "stack", f"PORT={port}"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(make.stdout), daemon=True).start()
    try:
        wait_until(lambda: "Chirp is running at" in "".join(output), timeout=180, what="make stack serving")
        web = f"http://127.0.0.1:{port}/healthz"
        assert status_of(web) == 200
        assert socket.create_connection(("127.0.0.1", port + 1), timeout=2)  # the `ws` process
        missing = fetch(f"http://127.0.0.1:{port}/no-such-page")
        assert missing[0] == 404 and "Page not found (404)" not in missing[1]  # the site's page, not DEBUG's
        assert "DATABASE_URL" not in fetch(f"http://127.0.0.1:{port}/@a%00b")[1]
        started = psutil.Process(make.pid).children(recursive=True)
        assert {"granian", "uvicorn", "celery"} <= {p.name() for p in started}

        granian = next(p for p in started if p.name() == "granian" and p.parent().name() != "granian")
        os.killpg(granian.pid, signal.SIGKILL)  # the whole web server, not one of its workers
        wait_until(lambda: "The web process stopped unexpectedly" in "".join(output), timeout=10, what="noticed")
        wait_until(lambda: status_of(web) == 200, timeout=60, what="the web server back")

        everything = psutil.Process(make.pid).children(recursive=True)
        os.killpg(make.pid, signal.SIGINT)
        make.wait(60)
        _, alive = psutil.wait_procs(everything, timeout=30)
        assert not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0
