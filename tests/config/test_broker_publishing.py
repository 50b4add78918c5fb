"""config/celery.py: kombu's Redis channel publishes through one redis client, not one per message."""

import json

import pytest
import redis

from config.celery import app as celery_app
from config.kernel.redis import get_redis
from config.kernel.tasks import enqueue
from timelines.tasks import drop_author


@pytest.fixture
def clients_made(monkeypatch):
    """How many redis clients are constructed (counted, then built as usual)."""
    made = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    return made


def test_messages_are_published_through_one_kept_client(publishing, clients_made):
    enqueue(drop_author, 1, 2)  # the producer's channel (and its pool) may be made on first use
    made_first = len(clients_made)
    for reader in range(3, 8):
        assert enqueue(drop_author, reader, 2)
    assert len(clients_made) == made_first  # kombu made a redis.Redis per message (~230 us each)
    queued = [json.loads(m) for m in get_redis().lrange("timelines", 0, -1)]
    assert sorted(m["headers"]["argsrepr"] for m in queued) == [f"({r}, 2)" for r in (1, 3, 4, 5, 6, 7)]


def test_a_new_connection_pool_gets_a_new_client(publishing):
    with celery_app.connection_for_write() as connection:
        channel = connection.default_channel
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as again:
            assert first is again and first.connection_pool is channel.pool
        channel._pool = None  # what kombu does after a fork or a lost connection
        with channel.conn_or_acquire() as after:
            assert after is not first and after.connection_pool is channel.pool
            assert after.ping()


def test_celery_defaults_are_read_first_and_django_settings_still_win(settings):
    from celery.app.defaults import DEFAULTS

    conf = celery_app.conf
    # Named nowhere in Django's settings: Celery's default, held where a read finds it first.
    assert "task_protocol" in conf.changes and conf.task_protocol == DEFAULTS["task_protocol"] == 2
    assert conf.task_compression is None and conf.result_extended is False
    # Named in Django's settings: read from them, so an override reaches Celery.
    assert "task_acks_late" not in conf.changes and conf.task_acks_late is True
    assert conf.broker_connection_timeout == settings.CELERY_BROKER_CONNECTION_TIMEOUT
    settings.CELERY_TASK_ACKS_LATE = False
    assert conf.task_acks_late is False
