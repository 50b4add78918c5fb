"""Processes that crash are replaced: the web server keeps serving when one of its workers dies."""

import os
import signal
import time

import psutil
import pytest

from tests.faults.stack import wait_until

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
