"""Prometheus metrics at /metrics: HTTP requests, and Chirp's own figures read at scrape time.

Two kinds of figures, because the site runs as several processes (granian's
web workers, the ASGI server, Celery workers, perhaps on other machines) and a
scrape reaches only one of them:

- Chirp's own (`chirp_*` below) live in Redis, or are Redis' own state, and
  are read when Prometheus scrapes (`ChirpCollector`), so every web process
  answers the same whole-site figures: tweets posted and fan-out lag (written
  by the Celery task that fans a post out, see `fan_out_done`), timeline cache
  hits and misses (`tl:stats`, kept by timelines/store.py), open sockets
  (notifications/presence.py) and Celery queue lengths (the broker's lists).
- HTTP request counts and latencies (`RequestMetricsMiddleware`) are counted
  in the process that served the request. With several processes per host,
  set PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied at each start) so
  that every process writes its counts there and a scrape adds them all up;
  without it each scrape sees one process's share. See docs/OPERATIONS.md.

Access: the addresses or networks in METRICS_ALLOWED_IPS, or anyone sending
`Authorization: Bearer <METRICS_TOKEN>`. Everyone else gets the site's
ordinary 404, as if there were no such page.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from datetime import datetime
from functools import cache

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.utils import floatToGoString

from config.celery import QUEUES
from config.kernel.redis import celery_broker_url, get_redis
from config.kernel.request_context import address_of
from notifications import presence
from timelines.store import STATS_KEY

logger = logging.getLogger(__name__)

# --- Chirp's own figures, kept in Redis -----------------------------------------

POSTED_KEY = "metrics:tweets_posted"  # hash: kind -> count
LAG_KEY = "metrics:fanout_lag"  # hash: upper bound of one bucket -> count (not cumulative), and "sum"
LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)  # seconds
KINDS = ("tweet", "reply", "quote", "retweet")


def _bucket(seconds: float) -> str:
    return next((floatToGoString(bound) for bound in LAG_BUCKETS if seconds <= bound), "+Inf")


def fan_out_done(*, kind: str, created_at: datetime) -> None:
    """Count a post whose fan-out has just finished for the first time, and how late that was.

    The lag runs from the post's `created_at` to now. A back-dated post (the
    demo data) counts in the +Inf bucket. Never raises: the fan-out it
    measures has already happened and must not be retried for a metric.
    """
    lag = max((timezone.now() - created_at).total_seconds(), 0.0)
    bucket = _bucket(lag)
    try:
        with get_redis().pipeline(transaction=False) as pipe:
            pipe.hincrby(POSTED_KEY, kind, 1)
            pipe.hincrby(LAG_KEY, bucket, 1)
            pipe.hincrbyfloat(LAG_KEY, "sum", lag)
            pipe.execute()
    except Exception:
        logger.warning("could not record the fan-out of a %s in the metrics", kind, exc_info=True)


@cache
def _broker_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0)


def _broker():
    """A client for the Celery broker when it is Redis (REDIS_URL's own when the same), else None."""
    url = settings.CELERY_BROKER_URL or ""
    if url in (settings.REDIS_URL, celery_broker_url(settings.REDIS_URL)) and not settings.REDIS_CLUSTER_URL:
        return get_redis()  # (on a cluster, get_redis() is the cluster; the broker stays on REDIS_URL)
    if not url.startswith(("redis://", "rediss://")):
        return None  # another broker (RabbitMQ, say) has exporters of its own
    return _broker_client(url)


def _queue_keys(queue: str) -> list[str]:
    """kombu's Redis transport keeps a list per queue and per priority step (0, 3, 6, 9)."""
    from kombu.transport.redis import PRIORITY_STEPS, Channel

    return [queue] + [f"{queue}{Channel.sep}{step}" for step in PRIORITY_STEPS if step]


def _int(value) -> int:
    return int(float(value)) if value is not None else 0


class ChirpCollector:
    """Chirp's figures, read from Redis each time Prometheus scrapes.

    A Redis that is down or slow costs the scrape at most a second and leaves
    these families out (and `chirp_redis_up` at 0); it never fails the scrape.
    """

    def describe(self):
        return []  # don't collect at registration (that would reach Redis at import time)

    def collect(self):
        yield from self._from_redis()
        yield from self._queues()

    def _from_redis(self):

        up = GaugeMetricFamily("chirp_redis_up", "Whether the metrics could read Redis (REDIS_URL).")
        try:
            client = get_redis()
            cutoff = time.time() - presence.online_for()  # live sockets, and people with one
            with client.pipeline(transaction=False) as pipe:
                pipe.hgetall(POSTED_KEY)
                pipe.hgetall(LAG_KEY)
                pipe.hgetall(STATS_KEY)
                pipe.zcount(presence.SOCKETS_KEY, cutoff, "+inf")
                pipe.zcount(presence.KEY, cutoff, "+inf")
                posted, lag, stats, sockets, online = pipe.execute()
        except Exception as error:
            logger.warning("metrics: Redis unreadable (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        decode = lambda raw: {k.decode(): v.decode() for k, v in raw.items()}  # noqa: E731
        yield from self._posted_and_lag(decode(posted), decode(lag))
        stats = decode(stats)
        yield CounterMetricFamily(
            "chirp_timeline_cache_hits", "Home-timeline reads answered from Redis.", value=_int(stats.get("hit"))
        )
        yield CounterMetricFamily(
            "chirp_timeline_cache_misses",
            "Home-timeline reads that found no timeline in Redis (rebuilt from PostgreSQL).",
            value=_int(stats.get("miss")),
        )
        yield CounterMetricFamily(
            "chirp_timeline_inserts", "Entries added to home timelines by fan-out.", value=_int(stats.get("inserted"))
        )
        yield CounterMetricFamily("chirp_fanouts", "Fan-outs completed.", value=_int(stats.get("fanouts")))
        yield CounterMetricFamily(
            "chirp_fanout_busy_seconds",
            "Time workers spent fanning out (with chirp_timeline_inserts_total: inserts per second).",
            value=float(stats.get("fanout_ms", 0)) / 1000,
        )
        yield GaugeMetricFamily(
            "chirp_open_sockets", "Open WebSockets (live events), over all ASGI processes.", value=max(_int(sockets), 0)
        )
        yield GaugeMetricFamily(
            "chirp_online_users", "People with at least one live socket (presence).", value=_int(online)
        )

    def _posted_and_lag(self, posted: dict, lag: dict):
        family = CounterMetricFamily("chirp_tweets_posted", "Posts whose fan-out completed, by kind.", labels=["kind"])
        for kind in sorted(set(KINDS) | set(posted)):
            family.add_metric([kind], _int(posted.get(kind)))
        yield family
        buckets, running = [], 0
        for bound in [*map(floatToGoString, LAG_BUCKETS), "+Inf"]:
            running += _int(lag.get(bound))
            buckets.append((bound, running))
        yield HistogramMetricFamily(
            "chirp_fanout_lag_seconds",
            "Seconds from a post's creation to the end of its fan-out to followers' timelines.",
            buckets=buckets,
            sum_value=float(lag.get("sum", 0)),
        )

    def _queues(self):

        client = _broker()
        if client is None:
            return
        up = GaugeMetricFamily("chirp_celery_broker_up", "Whether the metrics could read the Celery broker.")
        try:
            with client.pipeline(transaction=False) as pipe:
                for queue in QUEUES:
                    for key in _queue_keys(queue):
                        pipe.llen(key)
                pipe.hlen("unacked")  # kombu's Redis transport: delivered to a worker, not yet acknowledged
                lengths = pipe.execute()
        except Exception as error:
            logger.warning("metrics: the Celery broker is unreadable (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        waiting = GaugeMetricFamily("chirp_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"])
        per_queue = len(_queue_keys(QUEUES[0]))
        for index, queue in enumerate(QUEUES):
            waiting.add_metric([queue], sum(lengths[index * per_queue : (index + 1) * per_queue]))
        yield waiting
        yield GaugeMetricFamily(
            "chirp_celery_unacked", "Tasks a worker has taken and not finished (acks_late).", value=lengths[-1]
        )


CHIRP_REGISTRY = CollectorRegistry(auto_describe=False)
CHIRP_REGISTRY.register(ChirpCollector())

# --- HTTP requests, counted per process ------------------------------------------

disable_created_metrics()  # no `*_created` twin for every counter: Prometheus doesn't need them
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # a missing directory would fail every request
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

REQUESTS = Counter("chirp_http_requests", "HTTP requests answered.", ["method", "view", "status"])
LATENCY = Histogram("chirp_http_request_duration_seconds", "Time Django spent on a request.", ["method", "view"])
EXCEPTIONS = Counter("chirp_http_exceptions", "Exceptions raised by views, by type.", ["view", "type"])


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else "<unresolved>"  # bounded: one value per URL pattern


class RequestMetricsMiddleware:
    """Counts requests by method, view (URL name) and status, and times them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        view = _view_name(request)
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        return response

    def process_exception(self, request, exception):
        EXCEPTIONS.labels(_view_name(request), type(exception).__name__).inc()


# --- The endpoint ------------------------------------------------------------------


@cache
def _networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {error}") from None


def _from_allowed_address(request) -> bool:
    if request.META.get("HTTP_X_FORWARDED_FOR") and not settings.REST_FRAMEWORK.get("NUM_PROXIES"):
        # Relayed by a proxy we were not told about: REMOTE_ADDR is the proxy's
        # (often 127.0.0.1), not the client's. Set NUM_PROXIES to trust it.
        return False
    try:
        address = ipaddress.ip_address(address_of(request))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


def _has_token(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, sent = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode())


def allowed(request) -> bool:
    return _has_token(request) or _from_allowed_address(request)


def exposition() -> bytes:
    """The text format: this process's (or, in multiprocess mode, every process's) HTTP figures, then Chirp's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(CHIRP_REGISTRY)


@never_cache
def metrics_view(request):
    if not allowed(request):
        raise Http404  # the public can't tell it from any missing page
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
