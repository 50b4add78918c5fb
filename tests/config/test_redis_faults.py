"""Redis that refuses or hangs: every call bounded, the breaker failing fast, the callers falling back.

"Hung" is a real TCP peer that accepts connections and never answers (what a
stopped Redis or a black-holed network looks like to a client); "refused" is
a port nothing listens on.
"""

import socket
import threading
import time

import pytest
from celery import shared_task
from django.core.cache import cache
from redis.exceptions import RedisError

from config.kernel import redis as config_redis
from config.kernel.redis import CircuitOpen, address_of, breaker, get_redis
from config.kernel.tasks import enqueue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers: its URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                peer, _ = server.accept()
            except OSError:
                continue
            held.append(peer)  # never read, never answered

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(2)
    for peer in held:
        peer.close()
    server.close()


def _redis_everywhere(settings, url):
    """Point every Redis client of the process at `url` (timelines, counters, the cache)."""
    settings.REDIS_URL = url
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": url}}


def timed(call):
    started = time.monotonic()
    try:
        result = call()
    except RedisError as error:
        result = error
    return result, time.monotonic() - started


def test_a_hung_redis_costs_one_timeout_then_fails_at_once(settings, hung_redis):
    settings.REDIS_URL = hung_redis
    first, seconds = timed(lambda: get_redis().get("x"))
    assert isinstance(first, RedisError) and seconds < config_redis.SOCKET_TIMEOUT * 2 + 0.3
    second, seconds = timed(lambda: get_redis().get("x"))
    assert isinstance(second, CircuitOpen) and seconds < 0.05


def test_a_refused_redis_fails_at_once_and_then_without_trying(settings):
    settings.REDIS_URL = REFUSED
    first, seconds = timed(lambda: get_redis().get("x"))
    assert isinstance(first, RedisError) and seconds < 0.5  # its one retry already finds the breaker open
    second, seconds = timed(lambda: get_redis().get("x"))
    assert isinstance(second, CircuitOpen) and seconds < 0.05


def test_the_breaker_lets_a_call_through_once_it_cools_down(settings):
    found = breaker(address_of(settings.REDIS_URL))
    found.trip(RuntimeError("a moment ago"))
    with pytest.raises(CircuitOpen):
        get_redis().get("x")
    found.open_until = time.monotonic()  # BREAKER_SECONDS later
    assert get_redis().set("x", "1") and get_redis().get("x") == b"1"


def test_healthz_answers_503_within_a_second_while_redis_hangs(client, settings, hung_redis):
    assert client.get("/healthz").status_code == 200  # the process's first request loads the URLconf
    settings.REDIS_URL = hung_redis
    for _ in range(2):  # the first ask, and one while the breaker is open: /healthz asks past it
        started = time.monotonic()
        response = client.get("/healthz")
        assert time.monotonic() - started < 1.0
        assert response.status_code == 503
        assert response.json()["redis"].startswith("error") and response.json()["database"] == "ok"


def test_a_post_answers_within_two_seconds_while_redis_hangs_and_reads_come_from_sql(
    settings, hung_redis, api_as, django_capture_on_commit_callbacks
):
    author = UserFactory()
    client = api_as(author)
    assert client.get("/api/v1/timeline/home").status_code == 200  # warm: URLconf, serializers
    _redis_everywhere(settings, hung_redis)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):  # the fan-out task too (eager in the tests)
        response = client.post("/api/v1/tweets", {"text": "hello from a hung Redis"}, format="json")
    assert response.status_code == 201
    assert time.monotonic() - started < 2.0
    started = time.monotonic()
    home = client.get("/api/v1/timeline/home")
    assert home.status_code == 200 and [t["text"] for t in home.json()["tweets"]] == ["hello from a hung Redis"]
    assert time.monotonic() - started < 1.0  # the breaker is open: SQL at once


def test_the_cache_fails_soft_while_redis_is_unreachable(settings):
    _redis_everywhere(settings, REFUSED)
    assert cache.get("anything", "default") == "default"
    cache.set("anything", 1)  # dropped, not raised
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    cache.delete("a")


ran: list[int] = []


@shared_task
def remember(value: int) -> None:
    ran.append(value)


def test_nothing_is_published_while_the_brokers_redis_is_known_to_be_down(settings):
    ran.clear()
    assert enqueue(remember, 1) is True and ran == [1]  # (tasks run in place in the tests)
    breaker(address_of(settings.CELERY_BROKER_URL)).trip(RuntimeError("down"))
    assert enqueue(remember, 2) is False
    assert ran == [1]
