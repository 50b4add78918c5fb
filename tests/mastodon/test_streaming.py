"""Mastodon's streaming WebSocket: the person's posts and notifications as Mastodon frames, from /ws/'s event path."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from social.graph import services as graph
from tests.factories import UserFactory
from tests.mastodon.helpers import mastodon_app
from tests.oauth.tokens import make_token
from tweets import services as tweets

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def run(function, *args, **kwargs):
    return await sync_to_async(function)(*args, **kwargs)


async def streaming(path: str, *, headers=(), subprotocols=None) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, path, headers=[(b"host", b"testserver"), *headers],
                                   subprotocols=subprotocols)  # fmt: skip
    connected, _ = await socket.connect()
    assert connected
    return socket


async def next_frame(socket, timeout: float = 3) -> dict:
    output = await socket.receive_output(timeout=timeout)
    assert output["type"] == "websocket.send", output
    return json.loads(output["text"])


def people():
    reader, author = UserFactory(last_seen_at=timezone.now()), UserFactory()  # fan-out serves active readers
    graph.follow_create(follower=reader, followee=author)
    token = make_token(reader, "read write follow push", app=mastodon_app())
    return reader, author, token


async def test_a_followed_post_arrives_as_update_and_a_like_as_notification():
    reader, author, token = await run(people)
    socket = await streaming(f"/api/v1/streaming?stream=user&access_token={token}")

    posted = await run(tweets.tweet_create, author=author, text_input="Hello streaming")
    frame = await next_frame(socket)
    assert frame["stream"] == ["user"] and frame["event"] == "update"
    status = json.loads(frame["payload"])
    assert status["id"] == str(posted.pk) and "Hello streaming" in status["content"]
    assert status["account"]["id"] == str(author.pk)

    own = await run(tweets.tweet_create, author=reader, text_input="Mine")
    await run(tweets.like_create, user=author, tweet_id=own.pk)
    frame = await next_frame(socket)
    while frame["event"] != "notification":  # the reader's own post may come first on some paths
        frame = await next_frame(socket)
    notification = json.loads(frame["payload"])
    assert notification["type"] == "favourite"
    assert notification["account"]["id"] == str(author.pk) and notification["status"]["id"] == str(own.pk)
    await socket.disconnect()


async def test_the_token_may_come_as_subprotocol_or_header_and_streams_are_chosen_by_frames():
    reader, author, token = await run(people)
    socket = await streaming("/api/v1/streaming", subprotocols=[token])
    await socket.send_json_to({"type": "subscribe", "stream": "user:notification"})
    await socket.send_json_to({"type": "subscribe", "stream": "nonsense"})
    assert (await next_frame(socket)) == {"error": "Unknown stream type"}

    await run(tweets.tweet_create, author=author, text_input="Not on the notification stream")
    own = await run(tweets.tweet_create, author=reader, text_input="Mine")
    await run(tweets.like_create, user=author, tweet_id=own.pk)
    frame = await next_frame(socket)
    assert frame["stream"] == ["user:notification"] and frame["event"] == "notification"
    await socket.disconnect()

    by_header = await streaming(
        "/api/v1/streaming?stream=user", headers=[(b"authorization", f"Bearer {token}".encode())]
    )
    await run(tweets.tweet_create, author=author, text_input="Again")
    assert (await next_frame(by_header))["event"] == "update"
    await by_header.disconnect()


async def test_a_bad_token_is_closed_with_4401_and_a_blocked_authors_post_never_arrives():
    socket = await streaming("/api/v1/streaming?stream=user&access_token=chirp_oat_made-up")
    output = await socket.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4401}

    reader, author, token = await run(people)
    socket = await streaming(f"/api/v1/streaming?stream=user&access_token={token}")
    await run(graph.block_create, blocker=reader, blocked=author)
    await run(tweets.tweet_create, author=author, text_input="Blocked away")
    assert await socket.receive_nothing(timeout=1)
    await socket.disconnect()


async def test_public_and_hashtag_streams_get_public_posts_edits_and_deletes_but_not_private_or_blocked_ones():
    def setup():
        reader = UserFactory()
        stranger, private, blocked = UserFactory(), UserFactory(is_private=True), UserFactory()
        graph.block_create(blocker=reader, blocked=blocked)
        return reader, stranger, private, blocked, make_token(reader, "read", app=mastodon_app())

    _reader, stranger, private, blocked, token = await run(setup)
    socket = await streaming(f"/api/v1/streaming?stream=public&access_token={token}")
    await socket.send_json_to({"type": "subscribe", "stream": "hashtag", "tag": "Birds"})
    await socket.send_json_to({"type": "subscribe", "stream": "user"})

    await run(tweets.tweet_create, author=private, text_input="Followers only #birds")
    await run(tweets.tweet_create, author=blocked, text_input="Blocked #birds")
    posted = await run(tweets.tweet_create, author=stranger, text_input="Out in the open #birds")
    frames = [await next_frame(socket), await next_frame(socket)]
    assert sorted(tuple(f["stream"]) for f in frames) == [("hashtag", "birds"), ("public",)]
    assert {f["event"] for f in frames} == {"update"}
    assert {json.loads(f["payload"])["id"] for f in frames} == {str(posted.pk)}  # neither the private nor the blocked

    await run(tweets.tweet_edit, actor=stranger, tweet=posted, text_input="Out in the open, edited #birds")
    edited = [await next_frame(socket) for _ in range(2)]
    assert {f["event"] for f in edited} == {"status.update"}
    assert "edited" in json.loads(edited[0]["payload"])["content"]

    posted_id = str(posted.pk)  # deleting clears the instance's pk
    await run(tweets.tweet_delete, actor=stranger, tweet=posted)
    deleted = await next_frame(socket)
    assert deleted["event"] == "delete" and deleted["payload"] == posted_id
    await socket.disconnect()
