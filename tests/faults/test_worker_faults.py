"""Celery workers under faults: broker loss, and a worker killed in the middle of its work."""

import time

import pytest

from config.redis import BREAKER_SECONDS
from tests.faults.load import NO_LIMITS, Poster, follow_all, people
from tests.faults.stack import wait_until
from tweets.models import Tweet

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_worker_survives_redis_being_killed_and_resumes_by_itself(stack_for, fault_redis):
    """kombu used to crash the worker ("Unrecoverable error: AttributeError ... 'hostname'") when a
    task finished after the broker connection was gone and acknowledged on the closed channel."""
    author, *readers = people(31)
    follow_all(readers, author)
    # Small batches make each fan-out slow enough to be running when Redis dies.
    stack = stack_for("web", "worker", TIMELINE_FANOUT_BATCH="1", **NO_LIMITS)
    poster = Poster(stack, author, pause=0.02).start()
    try:
        for _ in range(5):
            time.sleep(2)
            fault_redis.kill()
            time.sleep(2)
            fault_redis.start(keep_snapshot=False)
    finally:
        poster.stop()
    assert stack.processes["worker"].poll() is None, stack.log("worker")[-3000:]
    assert "Unrecoverable error" not in stack.log("worker")

    # It resumes without anyone restarting it: a new post is fanned out. (Posts made while the
    # web process still counted Redis as down were left to the catch-up, which beat runs.)
    wait_until(lambda: stack.get("/healthz")[0] == 200, timeout=10, what="Redis answering")
    time.sleep(BREAKER_SECONDS + 0.5)
    status, body = stack.post("/api/v1/tweets", {"text": "after the storm"}, token=author.token)
    assert status == 201
    tweet_id = int(body["tweetId"])
    wait_until(
        lambda: Tweet.objects.filter(pk=tweet_id, fanned_out=True).exists(), timeout=30, what="the worker fanning out"
    )
    assert stack.processes["worker"].poll() is None
