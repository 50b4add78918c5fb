"""A master killed (kill -9) during fan-outs, on a real 3-master cluster with a replica each.

Posts go on being written (and fanned out, eagerly, after each commit) in a
thread while one master dies; its replica takes over within about two
seconds (`cluster-node-timeout` 1000 ms). Fan-outs that failed meanwhile are
left with `fanned_out` false, and a replica may lack the last writes its master
acknowledged (replication is asynchronous). The repair: the new master's run id
starts a new timeline generation (timelines/store.py), so each follower's
timeline is rebuilt from PostgreSQL on its next read, and the catch-up
(`fan_out_pending`, every 10 s in production) finishes the failed fan-outs.
Afterwards every acknowledged post is in every active follower's timeline.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from config.kernel.api.pagination import PageRequest
from social.graph.models import Follow
from tests.cluster.conftest import point_at
from tests.cluster.nodes import RedisClusterNodes, wait_until
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import rebuild, selectors, services
from timelines.store import TimelineStore, forget_generations
from tweets.models import Tweet

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOLLOWERS = 40
POSTS = 16


@pytest.fixture(scope="module")
def ha_cluster():
    nodes = RedisClusterNodes(masters=3, replicas=1, node_timeout_ms=1000)
    try:
        yield nodes.start()
    finally:
        nodes.stop()


def test_every_acknowledged_post_is_in_every_followers_timeline_after_a_master_dies(ha_cluster, settings):
    started = time.monotonic()
    point_at(settings, ha_cluster.url)
    author = UserFactory(username="author")
    followers = [UserFactory() for _ in range(FOLLOWERS)]
    Follow.objects.bulk_create([Follow(follower=f, followee=author) for f in followers])
    User.objects.filter(pk=author.pk).update(followers_count=FOLLOWERS)
    User.objects.filter(pk__in=[f.pk for f in followers]).update(last_seen_at=timezone.now())
    store = TimelineStore()
    for follower in followers:
        rebuild.rebuild_home(follower.pk, store)
    generation_before = store.generation

    acknowledged: list[int] = []
    failed: list[BaseException] = []

    def write_posts():
        try:
            for number in range(POSTS):
                try:
                    acknowledged.append(post(author, f"post {number}").pk)  # committed, fan-out attempted
                except Exception as error:  # not acknowledged: the writer would see an error
                    failed.append(error)
                time.sleep(0.05)
        finally:
            connection.close()

    writer = threading.Thread(target=write_posts)
    writer.start()
    wait_until(lambda: len(acknowledged) >= 3, timeout=10, what="the first posts")
    victim = ha_cluster.primaries()[0]
    ha_cluster.kill(victim)  # mid-fan-out: posts keep coming
    writer.join(30)
    assert not writer.is_alive()
    ha_cluster.wait_ok(timeout=10)  # a replica took over; every slot is served again
    assert victim not in ha_cluster.primaries() and len(ha_cluster.primaries()) == 3

    # Repair: the catch-up finishes fan-outs that failed; reads rebuild what the new generation lacks.
    forget_generations()
    wait_until(lambda: services.fan_out_pending(older_than=timedelta(0)) >= 0, timeout=10, what="Redis back")
    assert not Tweet.objects.filter(pk__in=acknowledged, fanned_out=False).exists()
    assert TimelineStore().generation != generation_before  # a master's run id changed
    assert len(acknowledged) + len(failed) == POSTS and len(acknowledged) >= POSTS - 2
    for follower in followers:
        items, _ = selectors.home_timeline(follower, PageRequest(cursor=None, limit=50))
        assert set(acknowledged) <= {entry.pk for entry in items}, follower.pk
    assert TimelineStore().home_exists(followers[0].pk)  # rebuilt into Redis, not only read from SQL
    assert time.monotonic() - started < 30
