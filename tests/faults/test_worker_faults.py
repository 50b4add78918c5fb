"""Celery workers under faults: broker loss, and a worker killed in the middle of its work."""

import time

import pytest
from django.utils import timezone

from accounts.models import User
from config.kernel.redis import BREAKER_SECONDS
from social.graph.models import Follow
from tests.faults.load import NO_LIMITS, Poster, follow_all, measured, people
from tests.faults.stack import wait_until
from timelines.store import TimelineStore
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
    tweet_id, posted = int(body["tweetId"]), time.monotonic()
    wait_until(
        lambda: Tweet.objects.filter(pk=tweet_id, fanned_out=True).exists(), timeout=30, what="the worker fanning out"
    )
    assert stack.processes["worker"].poll() is None
    measured(
        f"redis killed 5 times in 20 s: the worker lives on; "
        f"a new post fanned out {time.monotonic() - posted:.1f} s after"
    )


def _followers(author: User, count: int) -> list[int]:
    """`count` active accounts following `author`, made in bulk (a factory per row would take minutes)."""
    from tests.factories import password_hash

    now = timezone.now()
    User.objects.bulk_create(
        [
            User(username=f"fan{n}", email=f"fan{n}@example.com", password=password_hash(), last_seen_at=now)
            for n in range(count)
        ],
        batch_size=1000,
    )
    fans = list(User.objects.filter(username__startswith="fan").values_list("pk", flat=True))
    Follow.objects.bulk_create([Follow(follower_id=f, followee=author) for f in fans], batch_size=1000)
    User.objects.filter(pk=author.pk).update(followers_count=len(fans))
    return fans


@pytest.mark.parametrize("broker", ["redis", "amqp"], indirect=True)
def test_a_worker_killed_in_the_middle_of_a_big_fan_out_finishes_it_after_a_restart(
    broker, stack_for, fault_redis, request
):
    """Nothing is lost: the killed worker's unacknowledged task is delivered again (acks_late,
    reject_on_worker_lost). No beat runs here, so the catch-ups can't be what finishes it.
    Redis hands the message out after the visibility timeout; RabbitMQ as soon as the dead
    worker's connection closes."""
    (author,) = people(1)
    fans = _followers(User.objects.get(pk=author.pk), 5000)
    store = TimelineStore(redis=fault_redis.client())
    for fan in fans:  # built timelines (active readers'), so fan-out writes to every one
        store.replace_home(fan, [])
    # Small batches: the fan-out takes long enough to be caught in the middle.
    stack = stack_for("web", "worker", TIMELINE_FANOUT_BATCH="10", **NO_LIMITS, **broker)
    status, body = stack.post("/api/v1/tweets", {"text": "to 5,000 people"}, token=author.token)
    assert status == 201
    tweet_id = int(body["tweetId"])

    def inserted() -> int:
        return int(fault_redis.client().hget("tl:stats", "inserted") or 0)

    wait_until(lambda: inserted() >= 200, timeout=30, every=0.01, what="the fan-out under way")
    stack.kill("worker")  # SIGKILL, the whole process group: a lost node
    assert 0 < inserted() < len(fans)
    assert not Tweet.objects.get(pk=tweet_id).fanned_out
    if broker:  # RabbitMQ took the task back when the dead worker's connection closed: it waits, ready
        vhost = request.getfixturevalue("rabbit_vhost")
        requeued = lambda: (counts := vhost.queues()["timelines"])[0] >= 1 and counts  # noqa: E731
        assert wait_until(requeued, timeout=10, what="the task back in its queue")[1] == 0  # held by no one

    restarted = time.monotonic()
    stack.start("worker")

    def delivered() -> int:
        with store.redis.pipeline(transaction=False) as pipe:
            for fan in fans:
                pipe.zscore(store.home_key(fan), tweet_id)
            return sum(score is not None for score in pipe.execute())

    wait_until(lambda: delivered() == len(fans), timeout=60, every=1, what="every follower's timeline")
    assert Tweet.objects.get(pk=tweet_id).fanned_out
    measured(
        f"worker killed mid-fan-out (5,000 followers, {'amqp' if broker else 'redis'} broker): "
        f"complete {time.monotonic() - restarted:.1f} s after restart"
    )
