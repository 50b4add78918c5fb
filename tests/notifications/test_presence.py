"""Presence: who counts as having a socket open."""

import time

from config.kernel.redis import get_redis
from notifications import presence


def age(user_id: int, socket_id: str, seconds: float) -> None:
    """As if the socket's server stopped refreshing it `seconds` ago."""
    then = time.time() - seconds
    client = get_redis()
    client.zadd(presence.user_key(user_id), {socket_id: then})
    client.zadd(presence.SOCKETS_KEY, {f"{user_id}:{socket_id}": then})
    newest = client.zrevrange(presence.user_key(user_id), 0, 0, withscores=True)[0][1]
    client.zadd(presence.KEY, {user_id: newest})


def test_a_socket_whose_server_died_stops_counting():
    presence.connected(7, "a")
    presence.connected(8, "b")
    age(7, "a", presence.online_for() + 1)  # no refresh for too long
    assert presence.online([7, 8]) == [8]
    assert presence.forget_stale() == 1
    assert get_redis().exists(presence.user_key(7)) == 0
    assert presence.online_now() == [8]


def test_closing_the_last_socket_is_offline_at_once_and_one_of_two_is_not():
    presence.connected(7, "tab-1")
    presence.connected(7, "tab-2")
    presence.disconnected(7, "tab-1")
    assert presence.is_online(7)
    presence.disconnected(7, "tab-2")
    assert not presence.is_online(7)
    assert presence.online_now() == []


def test_a_close_repeated_or_skipped_cant_corrupt_anything():
    # With a counter, a skipped close left someone online forever and a doubled one
    # made the next tab not count. Entries per socket can't drift.
    presence.connected(7, "tab-1")
    presence.connected(7, "tab-2")
    presence.disconnected(7, "tab-1")
    presence.disconnected(7, "tab-1")
    assert presence.is_online(7)  # tab-2 is still open
    presence.connected(7, "tab-3")
    age(7, "tab-2", presence.online_for() + 1)  # tab-2's server died: its close never came
    presence.disconnected(7, "tab-3")
    assert not presence.is_online(7)


def test_a_dead_socket_keeps_its_owner_online_only_until_it_lapses():
    presence.connected(7, "dead")
    presence.connected(7, "open")
    age(7, "dead", presence.online_for() - 5)  # died a while ago: still within ONLINE_FOR
    presence.disconnected(7, "open")
    assert presence.is_online(7)  # the dead one may yet be alive, as far as anyone can tell
    age(7, "dead", presence.online_for() + 1)
    assert not presence.is_online(7)


def test_sockets_per_person_are_capped():
    assert all(presence.connected(7, f"tab-{n}", limit=3) for n in range(3))
    assert presence.connected(7, "tab-4", limit=3) is False
    assert presence.sockets_of(7) == 3
    assert presence.connected(7, "tab-1", limit=3)  # a refresh of one already counted
    presence.disconnected(7, "tab-1")
    assert presence.connected(7, "tab-4", limit=3)


def test_how_long_is_a_setting(settings):
    settings.PRESENCE_ONLINE_FOR = 3
    presence.connected(7, "a")
    age(7, "a", 4)
    assert not presence.is_online(7)


def test_while_redis_is_down_everyone_counts_as_online(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert presence.online([7, 8]) == [7, 8]  # better an unread event than a lost one


def test_everyone_online_is_read_only_when_fewer_than_asked():
    presence.connected(7, "a")
    presence.connected(8, "b")
    presence.connected(9, "c")
    age(9, "c", presence.online_for() + 1)  # gone quiet: not online
    assert presence.everyone_online_if_fewer_than(3) == {7, 8}
    assert presence.everyone_online_if_fewer_than(2) is None  # as many as that: ask about each batch
