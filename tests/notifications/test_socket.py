"""The /ws/ consumer: who may connect, and that events reach only their user."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async

from config.kernel.redis import get_redis
from notifications.events import send_event_on_commit
from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening, refusal

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


def without_id(event: dict) -> dict:
    return {k: v for k, v in event.items() if k != "id"}


async def test_anonymous_socket_is_refused_with_4401():
    assert await refusal() == 4401


async def test_signed_in_socket_gets_its_own_events_only():
    alice, bob = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    alice_socket = await listening(cookie=await cookie_for(alice))
    bob_socket = await listening(cookie=await cookie_for(bob))

    await sync_to_async(send_event_on_commit)([alice.pk], {"type": "unread", "notifications": 3})
    assert await alice_socket.receive_json_from(timeout=2) == {"type": "unread", "notifications": 3}
    assert await bob_socket.receive_nothing(timeout=0.3)

    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_events_wait_for_the_commit_and_die_with_a_rollback():
    from django.db import transaction

    alice = await sync_to_async(UserFactory)()
    socket = await listening(cookie=await cookie_for(alice))

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


async def test_a_cookie_socket_from_another_site_is_refused_with_4403():
    alice = await sync_to_async(UserFactory)()
    cookie = await cookie_for(alice)
    assert await refusal(cookie=cookie, origin=b"https://evil.example") == 4403
    assert await refusal(cookie=cookie, origin=None) == 4403  # a cookie socket must say where it comes from


async def test_the_origin_check_compares_scheme_host_and_port(settings):
    alice = await sync_to_async(UserFactory)()
    cookie = await cookie_for(alice)
    # Same host name, another port or scheme: another origin (another site may run there).
    assert await refusal(cookie=cookie, origin=b"http://testserver:8080") == 4403
    assert await refusal(cookie=cookie, origin=b"https://testserver") == 4403
    assert await refusal(cookie=cookie, origin=b"http://testserver:8080", host=b"testserver:8081") == 4403
    # The socket's own origin (ws -> http, wss -> https, the Host with its port)...
    await (await listening(cookie=cookie, origin=b"http://testserver:8081", host=b"testserver:8081")).disconnect()
    await (await listening(cookie=cookie, origin=b"https://testserver", scheme="wss")).disconnect()
    # ...or one Django trusts: pages on one port, sockets on another (`make stack`).
    settings.CSRF_TRUSTED_ORIGINS = ["http://testserver:8000"]
    await (await listening(cookie=cookie, origin=b"http://testserver:8000", host=b"testserver:8001")).disconnect()
    assert await refusal(cookie=cookie, origin=b"http://testserver:9000", host=b"testserver:8001") == 4403


async def test_api_clients_use_a_bearer_token_without_origin():
    from accounts import services

    alice = await sync_to_async(UserFactory)()
    token = await sync_to_async(services.token_create)(user=alice)
    socket = await listening(token=token, origin=None)
    await sync_to_async(send_event_on_commit)([alice.pk], {"type": "unread", "notifications": 1})
    assert await socket.receive_json_from(timeout=2) == {"type": "unread", "notifications": 1}
    await socket.disconnect()
    assert await refusal(token="not-a-token", origin=None) == 4401


async def test_a_like_arrives_as_a_notification_and_an_unread_count():
    from tests.tweets.helpers import post
    from tweets import services

    alice, bob = await sync_to_async(lambda: (UserFactory(username="alice"), UserFactory(username="bob")))()
    tweet = await sync_to_async(post)(alice, "like me")
    socket = await listening(cookie=await cookie_for(alice))
    await sync_to_async(services.like_create)(user=bob, tweet_id=tweet.pk)
    first = await socket.receive_json_from(timeout=3)
    second = await socket.receive_json_from(timeout=3)
    assert first["type"] == "notification" and first["notification"]["type"] == "like"
    assert first["id"] == f"notification:{first['notification']['id']}"
    assert first["notification"]["actor"]["username"] == "bob"
    assert "liked your post" in first["html"]
    assert without_id(second) == {"type": "unread", "notifications": 1, "messages": 0}
    await socket.disconnect()


async def test_online_while_any_socket_is_open():
    from notifications import presence

    alice = await sync_to_async(UserFactory)()
    cookie = await cookie_for(alice)
    first = await listening(cookie=cookie)
    second = await listening(cookie=cookie)
    assert await sync_to_async(presence.online)([alice.pk]) == [alice.pk]
    await first.send_json_to({"type": "ping"})
    assert await first.receive_json_from(timeout=2) == {"type": "pong"}
    await first.disconnect()  # one tab closed, one still open
    assert await sync_to_async(presence.online)([alice.pk]) == [alice.pk]
    await second.disconnect()
    assert await sync_to_async(presence.online)([alice.pk]) == []


async def test_the_server_keeps_an_open_socket_present(settings):
    from notifications import presence

    settings.PRESENCE_REFRESH_EVERY = 0.05
    alice = await sync_to_async(UserFactory)()
    socket = await listening(cookie=await cookie_for(alice))
    redis = await sync_to_async(get_redis)()
    first = await sync_to_async(redis.zscore)(presence.KEY, alice.pk)
    await asyncio.sleep(0.3)
    assert await sync_to_async(redis.zscore)(presence.KEY, alice.pk) > first
    await socket.disconnect()


# The fan-out learns who is online either batch by batch (as many online as the author has
# followers, or more) or with one read of everyone online (fewer): both must find the reader.
@pytest.mark.parametrize("followers_count", [0, 50], ids=["asked-per-batch", "everyone-online-read-once"])
async def test_timeline_news_goes_only_to_followers_with_a_socket(followers_count):
    from social.graph.models import Follow
    from tests.tweets.helpers import post

    author, online, offline = await sync_to_async(lambda: (UserFactory(), UserFactory(), UserFactory()))()

    def follow_and_mark_active():
        from django.utils import timezone

        for reader in (online, offline):
            Follow.objects.create(follower=reader, followee=author)
            reader.last_seen_at = timezone.now()
            reader.save()
        type(author).objects.filter(pk=author.pk).update(followers_count=followers_count)

    await sync_to_async(follow_and_mark_active)()
    socket = await listening(cookie=await cookie_for(online))
    tweet = await sync_to_async(post)(author, "news")  # commits; fan-out runs eagerly after commit
    event = await socket.receive_json_from(timeout=3)
    assert event == {
        "type": "timeline.new",
        "id": f"timeline.new:{tweet.pk}",
        "entryId": str(tweet.pk),
        "authorId": str(author.pk),
    }
    from notifications import presence

    assert await sync_to_async(presence.online)([online.pk, offline.pk]) == [online.pk]
    await socket.disconnect()
