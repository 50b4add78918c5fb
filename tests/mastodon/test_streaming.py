"""Mastodon's streaming (the WebSocket and server-sent events): posts, notifications, conversations and
filter changes as Mastodon frames, from /ws/'s event path."""

import asyncio
import contextlib
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import ApplicationCommunicator, WebsocketCommunicator
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from config.asgi import application
from notifications import catalogue
from social.graph import services as graph
from social.mastodon.streaming import StreamRequest, render
from social.messages import services as dm
from social.messages.serializers import message_json
from tests.factories import UserFactory
from tests.mastodon.helpers import masto, mastodon_app
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
    await socket.disconnect()  # else its consumer stays in the shared layer's receive past this test's loop

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


# --- direct: a message is its Conversation -----------------------------------------------------


def group_of_three():
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    group, _ = dm.conversation_start(creator=alice, participant_ids=[bob.pk, carol.pk], title="Trio")
    app = mastodon_app()
    tokens = [make_token(u, "read write", app=app) for u in (alice, bob, carol)]
    return alice, bob, carol, group, tokens


async def test_a_direct_message_is_a_conversation_on_direct_for_each_member_as_they_see_it():
    alice, bob, carol, group, (alice_token, bob_token, carol_token) = await run(group_of_three)
    alice_socket = await streaming(f"/api/v1/streaming?stream=direct&access_token={alice_token}")
    bob_socket = await streaming(f"/api/v1/streaming?stream=direct&access_token={bob_token}")
    carol_socket = await streaming(f"/api/v1/streaming?stream=user&access_token={carol_token}")  # not `direct`

    sent = await run(dm.message_send, sender=alice, conversation_id=group.pk, text="Hello <trio>")
    frame = await next_frame(bob_socket)
    assert frame["stream"] == ["direct"] and frame["event"] == "conversation"
    conversation = json.loads(frame["payload"])
    assert conversation["id"] == str(group.pk) and conversation["unread"] is True
    assert {a["id"] for a in conversation["accounts"]} == {str(alice.pk), str(carol.pk)}  # the others, as bob sees
    status = conversation["last_status"]
    assert status["id"] == str(sent.pk) and status["visibility"] == "direct"
    assert status["content"] == "<p>Hello &lt;trio&gt;</p>" and status["account"]["id"] == str(alice.pk)

    own = json.loads((await next_frame(alice_socket))["payload"])  # the sender's other apps hear it too, read
    assert own["unread"] is False and {a["id"] for a in own["accounts"]} == {str(bob.pk), str(carol.pk)}
    assert await carol_socket.receive_nothing(timeout=0.5)  # Mastodon sends `conversation` on `direct` only
    await carol_socket.send_json_to({"type": "subscribe", "stream": "direct"})

    await run(dm.conversation_leave, user=carol, conversation_id=group.pk)
    await run(dm.message_send, sender=bob, conversation_id=group.pk, text="Carol left")
    assert json.loads((await next_frame(alice_socket))["payload"])["last_status"]["content"] == "<p>Carol left</p>"
    assert await carol_socket.receive_nothing(timeout=1)  # left: not a member, told nothing
    for socket in (alice_socket, bob_socket, carol_socket):
        await socket.disconnect()


DIRECT = {("direct",)}


async def test_a_conversation_is_not_rendered_for_someone_who_blocked_the_sender_since():
    # Chirp refuses a message across a block; one sent just before the block must not be pushed after it.
    def setup():
        alice, bob = UserFactory(), UserFactory()
        sent = dm.message_send(sender=alice, recipient_id=bob.pk, text="Just before")
        event = catalogue.message(sent.conversation_id, message_json(sent))
        return alice, bob, event

    alice, bob, event = await run(setup)
    assert await run(render, event, StreamRequest(bob, "http", "testserver"), {("user",)}) == []  # not subscribed
    rendered = await run(render, event, StreamRequest(bob, "http", "testserver"), DIRECT)
    assert [name for _, name, _ in rendered] == ["conversation"]
    await run(graph.block_create, blocker=bob, blocked=alice)
    assert await run(render, event, StreamRequest(bob, "http", "testserver"), DIRECT) == []
    assert await run(render, event, StreamRequest(alice, "http", "testserver"), DIRECT) == []  # nor to the blocked one
    stranger = await run(UserFactory)
    assert await run(render, event, StreamRequest(stranger, "http", "testserver"), DIRECT) == []  # not a member


async def test_direct_needs_a_token_that_reads_messages():
    # The direct stream shows direct messages: read:messages (or `read`), as GET /conversations asks.
    alice, _bob, carol, group, _ = await run(group_of_three)
    narrow = await run(make_token, carol, "read:notifications", app=await run(mastodon_app))
    socket = await streaming(f"/api/v1/streaming?stream=direct&access_token={narrow}")
    refused = {"error": "Access token does not have the required scopes", "status": 401}
    assert (await next_frame(socket)) == refused
    await socket.send_json_to({"type": "subscribe", "stream": "direct"})
    assert (await next_frame(socket)) == refused
    await run(dm.message_send, sender=alice, conversation_id=group.pk, text="Not for that token")
    assert await socket.receive_nothing(timeout=1)
    await socket.disconnect()
    response = await run(APIClient().get, "/api/v1/streaming/direct", HTTP_AUTHORIZATION=f"Bearer {narrow}")
    assert response.status_code == 401 and response.json() == {"error": refused["error"]}


# --- filters_changed ----------------------------------------------------------------------------


async def test_filters_changed_on_user_for_each_muted_word_write_mastodons_or_chirps():
    def setup():
        person = UserFactory()
        page, chirp_api = Client(), APIClient()
        page.force_login(person)
        chirp_api.force_authenticate(person)
        return person, make_token(person, "read", app=mastodon_app()), masto(person), page, chirp_api

    _person, token, api, page, chirp_api = await run(setup)
    user_stream = await streaming(f"/api/v1/streaming?stream=user&access_token={token}")
    quiet = await streaming(f"/api/v1/streaming?stream=user:notification&access_token={token}")

    async def changed(write) -> None:
        response = await run(write)
        assert response.status_code in (200, 201, 204, 302), response.content
        assert (await next_frame(user_stream)) == {"stream": ["user"], "event": "filters_changed"}  # no payload

    made = {}
    await changed(lambda: made.setdefault("r", api.post("/api/v2/filters", {"title": "crypto", "context[]": ["home"]})))
    filter_id = made["r"].json()["id"]
    await changed(lambda: api.put(f"/api/v2/filters/{filter_id}", {"title": "bitcoin"}))
    await changed(lambda: api.delete(f"/api/v2/filters/{filter_id}"))
    await changed(lambda: page.post("/settings/muted-words", {"phrase": "spoilers", "context": "everywhere"}))
    await changed(lambda: chirp_api.post("/api/v1/filters", {"phrase": "golf"}, format="json"))
    refused = await run(api.post, "/api/v2/filters", {"title": "golf", "context[]": ["home"]})
    assert refused.status_code in (409, 422)  # a duplicate: nothing changed, nothing sent
    assert await user_stream.receive_nothing(timeout=0.5)
    assert await quiet.receive_nothing(timeout=0.2)  # `user:notification` carries notifications only
    await user_stream.disconnect()
    await quiet.disconnect()


# --- server-sent events -------------------------------------------------------------------------


async def sse_open(path: str, token: str) -> ApplicationCommunicator:
    path, _, query = path.partition("?")
    scope = {
        "type": "http", "http_version": "1.1", "method": "GET", "scheme": "http", "path": path,
        "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
    stream = ApplicationCommunicator(application, scope)
    await stream.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await stream.receive_output(timeout=3)
    assert start["type"] == "http.response.start" and start["status"] == 200, start
    assert (await stream.receive_output(timeout=3))["body"] == b":)\n\n"  # joined: events from here on
    return stream


async def sse_event(stream: ApplicationCommunicator, timeout: float = 3) -> tuple[str, str]:
    """The next `event:`/`data:` pair, past heartbeats."""
    while True:
        chunk = (await stream.receive_output(timeout=timeout))["body"].decode()
        if chunk.startswith("event: "):
            head, data = chunk.strip().split("\n", 1)
            return head.removeprefix("event: "), data.removeprefix("data: ")


async def sse_close(stream: ApplicationCommunicator) -> None:
    await stream.send_input({"type": "http.disconnect"})
    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
        await stream.wait(timeout=2)


async def test_server_sent_events_carry_conversation_on_direct_and_filters_changed_on_user():
    alice, bob, _carol, group, (_alice_token, bob_token, _) = await run(group_of_three)
    direct = await sse_open("/api/v1/streaming/direct", bob_token)
    user = await sse_open("/api/v1/streaming/user", bob_token)

    sent = await run(dm.message_send, sender=alice, conversation_id=group.pk, text="By SSE")
    name, data = await sse_event(direct)
    assert name == "conversation" and json.loads(data)["last_status"]["id"] == str(sent.pk)

    await run(graph.muted_word_create, user=bob, phrase="weather")
    assert await sse_event(user) == ("filters_changed", "undefined")  # as Mastodon writes it
    assert await direct.receive_nothing(timeout=0.5)  # the direct stream has no filters_changed
    await sse_close(direct)
    await sse_close(user)
