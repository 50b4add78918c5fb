"""The shared Redis client, made on first use and never at import time, and a circuit breaker for it.

Every call is bounded: a Redis that refuses connections answers in
milliseconds, but one that hangs (stopped, or a black-holed network) would
hold a request for as long as the socket waits. So sockets time out after
0.3 s, and after one connection error or timeout a process-local
circuit breaker fails every further call to that server at once, with
`CircuitOpen` (a `redis.ConnectionError`, so every existing fallback runs),
for `BREAKER_SECONDS`. Then one call is let through to try again. The
Django cache and the Celery publisher share the breaker (config/kernel/cache.py,
config/kernel/tasks.py), so a request pays for a dead Redis at most once.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from functools import cache
from urllib.parse import parse_qs, urlsplit

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisClusterException
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.3  # seconds; the slowest command we send (a 1,000-key fan-out batch) takes a few ms
CONNECT_TIMEOUT = 0.3
BREAKER_SECONDS = 2.0  # how long calls fail at once after a failure, before one is let through again


class CircuitOpen(RedisConnectionError):
    """Redis failed moments ago; this call was refused without trying (config.kernel.redis.Breaker)."""


class Breaker:
    """Per server address: open (fail fast) for BREAKER_SECONDS after a connection error or timeout."""

    def __init__(self, address: str):
        self.address = address
        self.open_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def check(self) -> None:
        if self.is_open:
            raise CircuitOpen(f"Redis at {self.address} failed moments ago; not trying again yet")

    def trip(self, error: BaseException | None = None) -> None:
        with self._lock:
            was_open = self.is_open
            self.open_until = time.monotonic() + BREAKER_SECONDS
        if not was_open and not isinstance(error, CircuitOpen):
            server = self.address if "://" in self.address else f"Redis at {self.address}"  # amqp:// a broker's
            logger.warning("%s unavailable (%s); failing fast for %.0f s", server, error, BREAKER_SECONDS)

    def reset(self) -> None:
        self.open_until = 0.0


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker(address: str) -> Breaker:
    """The breaker for "host:port" or a Unix socket's path (one per process)."""
    found = _breakers.get(address)
    if found is None:
        with _breakers_lock:
            found = _breakers.setdefault(address, Breaker(address))
    return found


def log_unavailable(log: logging.Logger, error: BaseException, message: str, *args) -> None:
    """Log a fallback taken because Redis failed: a warning with the traceback the first time, then,
    while the breaker is open, a line without one (an outage would otherwise log a traceback per call)."""
    if isinstance(error, CircuitOpen):
        log.info(f"{message} (Redis known to be down)", *args)
    else:
        log.warning(message, *args, exc_info=error)


def reset_breakers() -> None:
    """Close every breaker (tests)."""
    for found in list(_breakers.values()):
        found.reset()


def address_of(url: str) -> str:
    """The server a Redis or kombu URL names, as the breakers are keyed."""
    parts = urlsplit(url)
    if parts.scheme in ("unix", "redis+socket", "socket"):
        return parts.path
    return f"{parts.hostname or '127.0.0.1'}:{parts.port or 6379}"


class _BreakerMixin:
    """A redis-py connection that asks the breaker before talking and trips it when the server fails."""

    def _breaker(self) -> Breaker:
        found = getattr(self, "_chirp_breaker", None)
        if found is None:
            path = getattr(self, "path", None)
            found = self._chirp_breaker = breaker(path if path else f"{self.host}:{self.port}")
        return found

    def connect_check_health(self, *args, **kwargs):
        if not self._sock:
            self._breaker().check()
        try:
            return super().connect_check_health(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self._breaker().trip(error)
            raise

    def send_packed_command(self, command, check_health=True):
        found = self._breaker()
        if found.is_open:
            self.disconnect()
            found.check()
        try:
            return super().send_packed_command(command, check_health)
        except (RedisConnectionError, RedisTimeoutError) as error:
            found.trip(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self._breaker().trip(error)
            raise


class BreakerConnection(_BreakerMixin, redis.Connection):
    pass


class BreakerUnixConnection(_BreakerMixin, redis.UnixDomainSocketConnection):
    pass


def connection_class(url: str) -> type:
    return BreakerUnixConnection if urlsplit(url).scheme == "unix" else BreakerConnection


def client_options(url: str) -> dict:
    """Options for any redis-py pool on `url` (ours, and Django's cache): bounded, behind the breaker."""
    return {
        "connection_class": connection_class(url),
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_timeout": SOCKET_TIMEOUT,
        "health_check_interval": 30,
        # One quick retry (a connection dropped since its last use); with the breaker
        # open after a real failure, the retry fails at once rather than waiting again.
        "retry": Retry(NoBackoff(), 1),
    }


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, **client_options(url))


def cluster_nodes(url: str) -> list[ClusterNode]:
    """The seed nodes of a REDIS_CLUSTER_URL: `redis://host:port[,host:port...]` (one is enough; more
    let the client start while one is down). The client learns the rest from CLUSTER SLOTS."""
    scheme, _, rest = url.partition("://")
    if scheme not in ("redis", "rediss") or not rest:
        raise ValueError(f"REDIS_CLUSTER_URL must be redis://host:port[,host:port...], not {url!r}")
    nodes = []
    for part in rest.split("/")[0].split(","):
        host, _, port = part.strip().rpartition(":")
        nodes.append(ClusterNode(host or "127.0.0.1", int(port or 6379)))
    return nodes


@contextmanager
def _cluster_reachable(url: str):
    """A command or pipeline that finds every node gone: redis-py asks the cluster for its slots again
    inside the failed call, and that raises RedisClusterException, which is no RedisError. Make it a
    ConnectionError, so every fallback for a dead Redis runs; open the breaker; and forget the client,
    whose list of nodes may be spent, so the next call starts again from the seeds."""
    try:
        yield
    except RedisClusterException as error:
        cluster_client.cache_clear()
        breaker(f"cluster {url}").trip(error)
        raise RedisConnectionError(f"Redis Cluster at {url} unreachable: {error}") from error


class BreakerCluster(RedisCluster):
    seed_url = ""

    def execute_command(self, *args, **kwargs):
        with _cluster_reachable(self.seed_url):
            return super().execute_command(*args, **kwargs)

    def pipeline(self, *args, **kwargs):
        pipe = super().pipeline(*args, **kwargs)
        execute = pipe.execute

        def guarded(*a, **k):
            with _cluster_reachable(self.seed_url):
                return execute(*a, **k)

        pipe.execute = guarded
        return pipe


@cache
def cluster_client(url: str) -> RedisCluster:
    options = client_options("redis://" + url.partition("://")[2].split(",")[0])
    # The cluster client retries a command once after a connection error, having asked the
    # cluster for its slots again (a failed-over master's replica now answers for them).
    options["retry"] = Retry(NoBackoff(), 1)
    nodes = cluster_nodes(url)
    # `url` (the first seed) makes the client build each node's pool from these options, so every
    # node's connections are breaker connections; the other seeds are where it looks if that one is down.
    first = f"{url.partition('://')[0]}://{nodes[0].host}:{nodes[0].port}"
    client = BreakerCluster(url=first, startup_nodes=nodes, **options)
    client.seed_url = url
    return client


def is_cluster(client) -> bool:
    return isinstance(client, RedisCluster)


def get_redis() -> redis.Redis | RedisCluster:
    """The client for REDIS_CLUSTER_URL when set, else for REDIS_URL (looked up on each call, so tests can
    point it elsewhere). Both answer the same commands; code that sends several keys to one script or
    transaction keeps them in one hash slot (see is_cluster for the few places that differ)."""
    cluster_url = getattr(settings, "REDIS_CLUSTER_URL", "")
    if cluster_url:
        return get_cluster(cluster_url)
    return _client(settings.REDIS_URL)


def get_cluster(url: str) -> RedisCluster:
    """The cluster client; while none of its seeds answers, a ConnectionError (so every fallback for a
    dead Redis runs), at once while the breaker is open. redis-py raises RedisClusterException, which
    is no RedisError, when it can't learn the cluster's slots."""
    found = breaker(f"cluster {url}")
    found.check()
    try:
        return cluster_client(url)
    except RedisClusterException as error:
        found.trip(error)
        raise RedisConnectionError(f"Redis Cluster at {url} unreachable: {error}") from error


@cache
def _probe_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=0.4, socket_timeout=0.4, retry=Retry(NoBackoff(), 0))


def probe(url: str | None = None) -> None:
    """PING once without retries, within 0.4 s: for /healthz. Raises RedisError.

    While the breaker is open the answer is known without asking; otherwise a
    failed probe opens it, like any other call.
    """
    url = url or settings.REDIS_URL
    found = breaker(address_of(url))
    found.check()
    try:
        _probe_client(url).ping()
    except (RedisConnectionError, RedisTimeoutError) as error:
        found.trip(error)
        raise


def probe_cluster(url: str) -> None:
    """/healthz on a cluster: one node asked (without waiting on a dead one: the breakers) whether
    every slot is served (`cluster_state:ok`). Raises RedisError when not."""
    state = get_cluster(url).cluster_info().get("cluster_state")
    if state != "ok":
        raise redis.RedisError(f"cluster_state:{state}")


def celery_broker_url(redis_url: str) -> str:
    """Celery's name for the same Redis: kombu spells a Unix socket `redis+socket://path?virtual_host=db`."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={db}"
