"""The /ws/ consumer: who may connect, and that events reach only their user."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from config.redis import get_redis
from notifications.events import send_event_on_commit
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


def session_cookie_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def connect(cookie: str | None = None, origin: bytes = b"http://testserver"):
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_anonymous_socket_is_refused():
    _, connected, code = await connect()
    assert not connected
    assert code == 4401


async def test_signed_in_socket_gets_its_own_events_only():
    alice, bob = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    alice_socket, connected, _ = await connect(await sync_to_async(session_cookie_for)(alice))
    assert connected
    bob_socket, connected, _ = await connect(await sync_to_async(session_cookie_for)(bob))
    assert connected

    await sync_to_async(send_event_on_commit)([alice.pk], {"type": "unread", "notifications": 3})
    assert await alice_socket.receive_json_from(timeout=2) == {"type": "unread", "notifications": 3}
    assert await bob_socket.receive_nothing(timeout=0.3)

    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_events_wait_for_the_commit_and_die_with_a_rollback():
    from django.db import transaction

    alice = await sync_to_async(UserFactory)()
    socket, connected, _ = await connect(await sync_to_async(session_cookie_for)(alice))
    assert connected

    def rolled_back():
        with transaction.atomic():
            send_event_on_commit([alice.pk], {"type": "unread", "notifications": 1})
            transaction.set_rollback(True)

    await sync_to_async(rolled_back)()
    assert await socket.receive_nothing(timeout=0.3)

    def committed():
        with transaction.atomic():
            send_event_on_commit([alice.pk], {"type": "unread", "notifications": 2})
            time.sleep(0.3)  # time enough to arrive, had it been sent already
            sent_before_commit = socket.output_queue.qsize()
        return sent_before_commit

    assert await sync_to_async(committed)() == 0
    assert await socket.receive_json_from(timeout=2) == {"type": "unread", "notifications": 2}
    await socket.disconnect()


async def test_foreign_origin_is_refused_for_cookie_sockets():
    alice = await sync_to_async(UserFactory)()
    _, connected, _ = await connect(await sync_to_async(session_cookie_for)(alice), origin=b"https://evil.example")
    assert not connected


async def connect_with_token(token: str | None):
    headers = [(b"host", b"testserver")]
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_api_clients_use_a_bearer_token_without_origin():
    from accounts import services

    alice = await sync_to_async(UserFactory)()
    token = await sync_to_async(services.token_create)(user=alice)
    socket, connected, _ = await connect_with_token(token)
    assert connected
    await sync_to_async(send_event_on_commit)([alice.pk], {"type": "unread", "notifications": 1})
    assert await socket.receive_json_from(timeout=2) == {"type": "unread", "notifications": 1}
    await socket.disconnect()
    _, connected, code = await connect_with_token("not-a-token")
    assert not connected and code == 4401


async def test_a_like_arrives_as_a_notification_and_an_unread_count():
    from tests.tweets.helpers import post
    from tweets import services

    alice, bob = await sync_to_async(lambda: (UserFactory(username="alice"), UserFactory(username="bob")))()
    tweet = await sync_to_async(post)(alice, "like me")
    socket, connected, _ = await connect(await sync_to_async(session_cookie_for)(alice))
    assert connected
    await sync_to_async(services.like_create)(user=bob, tweet_id=tweet.pk)
    first = await socket.receive_json_from(timeout=3)
    second = await socket.receive_json_from(timeout=3)
    assert first["type"] == "notification" and first["notification"]["type"] == "like"
    assert first["notification"]["actor"]["username"] == "bob"
    assert "liked your post" in first["html"]
    assert second == {"type": "unread", "notifications": 1, "messages": 0}
    await socket.disconnect()


async def test_online_while_any_socket_is_open():
    from notifications import presence

    alice = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(session_cookie_for)(alice)
    first, connected, _ = await connect(cookie)
    second, connected_too, _ = await connect(cookie)
    assert connected and connected_too
    assert await sync_to_async(presence.online)([alice.pk]) == [alice.pk]
    await first.send_json_to({"type": "ping"})
    assert await first.receive_json_from(timeout=2) == {"type": "pong"}
    await first.disconnect()  # one tab closed, one still open
    assert await sync_to_async(presence.online)([alice.pk]) == [alice.pk]
    await second.disconnect()
    assert await sync_to_async(presence.online)([alice.pk]) == []


async def test_the_server_keeps_an_open_socket_present(monkeypatch):
    from notifications import presence

    monkeypatch.setattr(presence, "REFRESH_EVERY", 0.05)
    alice = await sync_to_async(UserFactory)()
    socket, connected, _ = await connect(await sync_to_async(session_cookie_for)(alice))
    assert connected
    redis = await sync_to_async(get_redis)()
    first = await sync_to_async(redis.zscore)(presence.KEY, alice.pk)
    await asyncio.sleep(0.3)
    assert await sync_to_async(redis.zscore)(presence.KEY, alice.pk) > first
    await socket.disconnect()


async def test_timeline_news_goes_only_to_followers_with_a_socket():
    from social.models import Follow
    from tests.tweets.helpers import post

    author, online, offline = await sync_to_async(lambda: (UserFactory(), UserFactory(), UserFactory()))()

    def follow_and_mark_active():
        from django.utils import timezone

        for reader in (online, offline):
            Follow.objects.create(follower=reader, followee=author)
            reader.last_seen_at = timezone.now()
            reader.save()

    await sync_to_async(follow_and_mark_active)()
    socket, connected, _ = await connect(await sync_to_async(session_cookie_for)(online))
    assert connected
    tweet = await sync_to_async(post)(author, "news")  # commits; fan-out runs eagerly after commit
    event = await socket.receive_json_from(timeout=3)
    assert event == {"type": "timeline.new", "entryId": str(tweet.pk), "authorId": str(author.pk)}
    from notifications import presence

    assert await sync_to_async(presence.online)([online.pk, offline.pk]) == [online.pk]
    await socket.disconnect()
