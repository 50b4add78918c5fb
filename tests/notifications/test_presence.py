"""Presence: who counts as having a socket open."""

import time

from config.redis import get_redis
from notifications import presence


def test_a_socket_whose_server_died_stops_counting():
    presence.connected(7)
    presence.connected(8)
    get_redis().zadd(presence.KEY, {7: time.time() - presence.ONLINE_FOR - 1})  # no refresh for too long
    assert presence.online([7, 8]) == [8]
    assert presence.forget_stale() == 1
    assert get_redis().hget(presence.SOCKETS_KEY, 7) is None


def test_while_redis_is_down_everyone_counts_as_online(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert presence.online([7, 8]) == [7, 8]  # better an unread event than a lost one
