"""/metrics: who may read it, and what Chirp's own figures say."""

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from accounts.tasks import purge_idempotency_keys
from config import metrics
from config.celery import app as celery_app
from notifications import presence
from tests.tweets.helpers import post
from timelines import rebuild as timeline_rebuild
from timelines.store import TimelineStore
from timelines.tasks import fan_out_entry
from tweets import services as tweet_services

PUBLIC = "203.0.113.9"


def scrape(client, **extra) -> dict:
    """{(sample name, frozenset of labels): value} from an allowed scrape."""
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(found: dict, name: str, **labels):
    return found.get((name, frozenset(labels.items())))


# --- who may read it ----------------------------------------------------------------


def test_metrics_are_refused_to_the_public(client, settings):
    settings.METRICS_TOKEN = "a-long-scrape-token"
    assert client.get("/metrics", REMOTE_ADDR=PUBLIC).status_code == 404
    assert client.get("/metrics", REMOTE_ADDR=PUBLIC, HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR=PUBLIC, HTTP_AUTHORIZATION="a-long-scrape-token").status_code == 404
    assert client.post("/metrics", REMOTE_ADDR=PUBLIC).status_code == 404  # not even a 405 to say it exists
    refused = client.get("/metrics", REMOTE_ADDR=PUBLIC)
    assert b"chirp_" not in refused.content and b"process_" not in refused.content


def test_without_a_configured_token_no_token_opens_them(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR=PUBLIC, HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_the_token_opens_them_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "a-long-scrape-token"
    found = scrape(client, REMOTE_ADDR=PUBLIC, HTTP_AUTHORIZATION="Bearer a-long-scrape-token")
    assert value(found, "chirp_tweets_posted_total", kind="tweet") == 0


def test_allowed_addresses_and_networks(client, settings):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1, allowed by default
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.7"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 404
    assert client.get("/metrics").status_code == 404


def test_a_request_relayed_by_a_proxy_counts_only_when_the_proxy_is_trusted(client, settings):
    # nginx on the same machine: every request arrives from 127.0.0.1.
    relayed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": PUBLIC}
    assert client.get("/metrics", **relayed).status_code == 404
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client.get("/metrics", **relayed).status_code == 404  # the client the proxy saw is public
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


# --- what they say ------------------------------------------------------------------


@pytest.mark.django_db
def test_posts_are_counted_by_kind_with_their_fan_out_lag(client, user, other_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(user, "the first post")
        post(other_user, "a reply", reply_to_id=first.pk)
        tweet_services.retweet_create(user=other_user, tweet_id=first.pk)
    fan_out_entry(first.pk)  # redelivered: counted once

    found = scrape(client)
    assert value(found, "chirp_tweets_posted_total", kind="tweet") == 1
    assert value(found, "chirp_tweets_posted_total", kind="reply") == 1
    assert value(found, "chirp_tweets_posted_total", kind="retweet") == 1
    assert value(found, "chirp_tweets_posted_total", kind="quote") == 0
    assert value(found, "chirp_fanout_lag_seconds_count") == 3
    assert value(found, "chirp_fanout_lag_seconds_bucket", le="+Inf") == 3
    assert value(found, "chirp_fanout_lag_seconds_bucket", le="60.0") == 3  # fanned out at once
    assert 0 <= value(found, "chirp_fanout_lag_seconds_sum") < 180


def test_fan_out_lag_falls_in_its_bucket(client):
    metrics.fan_out_done(kind="tweet", created_at=timezone.now() - timedelta(seconds=7))
    metrics.fan_out_done(kind="tweet", created_at=timezone.now() - timedelta(days=3))  # back-dated demo data
    found = scrape(client)
    assert value(found, "chirp_fanout_lag_seconds_bucket", le="5.0") == 0
    assert value(found, "chirp_fanout_lag_seconds_bucket", le="10.0") == 1
    assert value(found, "chirp_fanout_lag_seconds_bucket", le="3600.0") == 1
    assert value(found, "chirp_fanout_lag_seconds_bucket", le="+Inf") == 2
    assert value(found, "chirp_fanout_lag_seconds_sum") == pytest.approx(7 + 3 * 86400, abs=5)


@pytest.mark.django_db
def test_timeline_cache_hits_and_misses(client, user):
    store = TimelineStore()
    assert store.read_home(user.pk, None, 20) is None  # a miss
    timeline_rebuild.rebuild_home(user.pk, store)
    store.read_home(user.pk, None, 20)
    store.read_home(user.pk, None, 20)
    found = scrape(client)
    assert value(found, "chirp_timeline_cache_hits_total") == 2
    assert value(found, "chirp_timeline_cache_misses_total") == 1
    assert value(found, "chirp_redis_up") == 1


def test_open_sockets_and_online_users(client):
    presence.connected(1, "tab-1")
    presence.connected(1, "tab-2")  # a second tab
    presence.connected(2, "tab-1")
    presence.connected(3, "tab-1")
    presence.disconnected(3, "tab-1")
    found = scrape(client)
    assert value(found, "chirp_open_sockets") == 3
    assert value(found, "chirp_online_users") == 2


def test_celery_queue_lengths(client, publishing):
    fan_out_entry.delay(1)
    fan_out_entry.apply_async((2,), priority=6)  # kombu keeps each priority step in a list of its own
    purge_idempotency_keys.delay()  # maintenance
    celery_app.send_task("tests.no_such_task")  # unrouted: default
    found = scrape(client)
    assert value(found, "chirp_celery_queue_length", queue="timelines") == 2
    assert value(found, "chirp_celery_queue_length", queue="maintenance") == 1
    assert value(found, "chirp_celery_queue_length", queue="default") == 1
    assert value(found, "chirp_celery_queue_length", queue="media") == 0
    assert value(found, "chirp_celery_unacked") == 0
    assert value(found, "chirp_celery_broker_up") == 1


@pytest.mark.django_db
def test_requests_are_counted_by_view_and_status(client):
    labels = {"method": "GET", "view": "healthz", "status": "200"}
    unknown = {"method": "GET", "view": "<unresolved>", "status": "404"}
    before = scrape(client)
    assert client.get("/healthz").status_code == 200
    assert client.get("/no/such/page/at/all").status_code == 404
    found = scrape(client)
    assert (
        value(found, "chirp_http_requests_total", **labels)
        == (value(before, "chirp_http_requests_total", **labels) or 0) + 1
    )
    assert (
        value(found, "chirp_http_requests_total", **unknown)
        == (value(before, "chirp_http_requests_total", **unknown) or 0) + 1
    )
    assert value(found, "chirp_http_request_duration_seconds_count", method="GET", view="healthz") >= 1


def test_a_broker_other_than_redis_has_no_queue_figures(client, settings):
    settings.CELERY_BROKER_URL = "amqp://guest@127.0.0.1:1//"  # its own exporters count its queues
    found = scrape(client)
    assert value(found, "chirp_redis_up") == 1
    assert value(found, "chirp_celery_broker_up") is None
    assert not any(name == "chirp_celery_queue_length" for name, _ in found)


def test_a_redis_that_is_down_leaves_its_figures_out(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    metrics.fan_out_done(kind="tweet", created_at=timezone.now())  # logged, not raised
    found = scrape(client)
    assert value(found, "chirp_redis_up") == 0
    assert value(found, "chirp_celery_broker_up") == 0
    assert value(found, "chirp_tweets_posted_total", kind="tweet") is None
    assert value(found, "process_cpu_seconds_total") is not None  # the rest still answers
