"""How a socket starts (the catch-up counts) and ends (whatever ends it, presence goes with it)."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels_redis.core import RedisChannelLayer

from config.kernel.redis import get_redis
from config.settings import channel_layer
from notifications import presence
from notifications.events import send_event_on_commit
from tests.factories import UserFactory
from tests.notifications.live import closed_with, cookie_for, listening, open_socket

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def test_a_new_socket_first_gets_the_unread_counts():
    from tests.tweets.helpers import post
    from tweets import services

    alice, bob, carol = await sync_to_async(lambda: [UserFactory() for _ in range(3)])()

    def two_likes():
        tweet = post(alice, "like me")
        services.like_create(user=bob, tweet_id=tweet.pk)
        services.like_create(user=carol, tweet_id=tweet.pk)

    await sync_to_async(two_likes)()  # made while alice had no socket open: no event reached her
    _, first = await open_socket(cookie=await cookie_for(alice))
    event = json.loads(first["text"])
    assert event["type"] == "unread" and event["id"].startswith("unread:")
    assert (event["notifications"], event["messages"]) == (2, 0)


@pytest.fixture
def layer_fails(monkeypatch):
    """The channel layer's next receive ends as redis-py's did after 5 idle seconds: TimeoutError."""
    state = {"failing": False}
    receive = RedisChannelLayer.receive

    async def failing_receive(self, channel):
        message = await receive(self, channel)
        if state["failing"]:
            raise TimeoutError("Timeout reading from Redis")
        return message

    monkeypatch.setattr(RedisChannelLayer, "receive", failing_receive)
    return state


async def test_a_consumer_killed_by_the_channel_layer_leaves_no_presence_behind(settings, layer_fails):
    settings.PRESENCE_REFRESH_EVERY = 0.05
    alice = await sync_to_async(UserFactory)()
    socket = await listening(cookie=await cookie_for(alice))
    assert await sync_to_async(presence.is_online)(alice.pk)

    layer_fails["failing"] = True
    await sync_to_async(send_event_on_commit)([alice.pk], {"type": "unread", "notifications": 1})
    assert await closed_with(socket) == 1013  # "try again later": the page backs off and reconnects
    await asyncio.sleep(0.3)  # a refresh task left running would have refreshed presence by now
    assert not await sync_to_async(presence.is_online)(alice.pk)
    assert await sync_to_async(get_redis().zscore)(presence.KEY, alice.pk) is None


async def test_with_the_channel_layer_down_a_socket_is_told_to_try_later(settings):
    settings.CHANNEL_LAYERS = {"default": channel_layer("redis://127.0.0.1:1/0")}  # nothing listens there
    alice = await sync_to_async(UserFactory)()
    socket, first = await open_socket(cookie=await cookie_for(alice))
    assert first == {"type": "websocket.close", "code": 1013}
    await socket.wait(timeout=3)
    assert not await sync_to_async(presence.is_online)(alice.pk)
