"""The whole cluster down after the client has learned it, then back.

redis-py asks the cluster for its slots again after a connection error; with every node down that
raises RedisClusterException, which is no RedisError, from inside the failed command. Every Redis
use must still fail soft while the cluster is down, and the process must find the cluster again
when it returns, with no restart.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from config.kernel import ratelimit
from config.kernel.api.pagination import PageRequest
from config.kernel.redis import BREAKER_SECONDS
from notifications import presence
from search import trends
from social.graph.services import follow_create
from tests.cluster.conftest import point_at
from tests.cluster.nodes import RedisClusterNodes, wait_until
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    nodes = RedisClusterNodes(masters=3).start()
    yield nodes
    nodes.stop()


def home_texts(reader) -> list[str]:
    items, _ = selectors.home_timeline(reader, PageRequest(cursor=None, limit=20))
    return [item.original.text for item in items]


def test_a_whole_cluster_outage_fails_soft_and_the_process_finds_the_cluster_again(
    cluster, settings, django_capture_on_commit_callbacks
):
    point_at(settings, cluster.url)
    reader, author = UserFactory(username="reader"), UserFactory(username="author")
    with django_capture_on_commit_callbacks(execute=True):
        follow_create(follower=reader, followee=author)
        post(author, "before the outage")
    assert home_texts(reader) == ["before the outage"]  # read through the cluster: the client knows its slots
    cache.set("greeting", "hello", 60)
    assert cache.get("greeting") == "hello"

    for port in cluster.ports:
        cluster.kill(port)
    with django_capture_on_commit_callbacks(execute=True):
        written = post(author, "during the outage")  # the post is saved; its fan-out waits for Redis
    for _ in range(3):  # the first calls find the nodes gone; the next ones meet the open breaker
        assert home_texts(reader) == ["during the outage", "before the outage"]  # from PostgreSQL
        trends.record(["lost"], timezone.now())  # counted nowhere, and no error
        assert ratelimit.hit("posts:user:1", ratelimit.Rate(1, 60))[0]  # allowed, as with a dead Redis
        assert presence.online([1, 2]) == [1, 2]
        assert cache.get("greeting", "gone") == "gone"
    written.refresh_from_db()
    assert written.fanned_out is False

    for port in cluster.ports:
        cluster.revive(port)
    cluster.wait_ok(timeout=15)
    # Back with no restart: once the breaker lets a call through, the client learns the cluster anew,
    # and the periodic catch-up finishes the fan-out that waited.
    wait_until(lambda: cache.set("again", "yes", 60) or cache.get("again") == "yes", timeout=BREAKER_SECONDS + 10)
    assert services.fan_out_pending(older_than=timedelta(0)) == 1
    written.refresh_from_db()
    assert written.fanned_out is True
    assert home_texts(reader) == ["during the outage", "before the outage"]
