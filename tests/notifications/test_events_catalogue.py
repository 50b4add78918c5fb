"""Each live event type, sent by the real action that sends it, arrives matching its schema (as Zulip's test_events).

What a socket receives is checked with jsonschema directly against
`catalogue.SCHEMAS`, not through the builders' own check, so an event put
together anywhere else fails here. The catalogue and docs/API.md's table
list the same types.
"""

import asyncio
import json
import re
from pathlib import Path

import jsonschema
import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from django.test import Client
from django.utils import timezone

from notifications import catalogue
from notifications.events import user_group
from tests.factories import PASSWORD, UserFactory
from tests.notifications.live import cookie_for, listening, open_socket

COVERED: set[str] = set()
live = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


def covers(*kinds: str):
    """Marks a test as the one that sends these types for real (see the completeness test below)."""
    COVERED.update(kinds)

    def mark(test):
        for decorator in reversed(live):
            test = decorator(test)
        return test

    return mark


def checked(event: dict, kind: str) -> dict:
    assert event["type"] == kind
    jsonschema.validate(event, catalogue.SCHEMAS[kind])
    return event


async def next_of(socket, kind: str) -> dict:
    """The next frame of this type the socket receives (skipping others, such as `unread`)."""
    while True:
        event = await socket.receive_json_from(timeout=3)
        if event["type"] == kind:
            return checked(event, kind)


async def make(factory, *args, **kwargs):
    return await sync_to_async(factory)(*args, **kwargs)


async def a_post_of(author, text: str = "hello"):
    from tests.tweets.helpers import post

    return await make(post, author, text)


@covers("unread", "notification")
async def test_a_like_sends_the_notification_and_the_counts():
    from tweets import services

    alice, bob = await make(UserFactory), await make(UserFactory)
    tweet = await a_post_of(alice, "like me")
    socket, first = await open_socket(cookie=await cookie_for(alice))
    checked(json.loads(first["text"]), "unread")  # every socket starts with the counts

    await make(services.like_create, user=bob, tweet_id=tweet.pk)
    event = await next_of(socket, "notification")
    assert event["notification"]["type"] == "like"
    assert event["notification"]["actor"]["id"] == str(bob.pk)
    assert (await next_of(socket, "unread"))["notifications"] == 1
    await socket.disconnect()


@covers("timeline.new")
async def test_a_post_by_someone_you_follow_announces_it():
    from social.graph.services import follow_create

    alice, bob = await make(UserFactory, last_seen_at=timezone.now()), await make(UserFactory)  # fan-out skips the idle
    await make(follow_create, follower=alice, followee=bob)
    socket = await listening(cookie=await cookie_for(alice))

    tweet = await a_post_of(bob, "news")
    event = await next_of(socket, "timeline.new")
    assert (event["entryId"], event["authorId"]) == (str(tweet.pk), str(bob.pk))
    await socket.disconnect()


@covers("message", "message.read")
async def test_a_direct_message_and_reading_it():
    from social.messages import services

    alice, bob = await make(UserFactory), await make(UserFactory)
    alices, bobs = await listening(cookie=await cookie_for(alice)), await listening(cookie=await cookie_for(bob))

    sent = await make(services.message_send, sender=bob, recipient_id=alice.pk, text="hi alice")
    event = await next_of(alices, "message")
    assert (event["conversationId"], event["message"]["text"]) == (str(sent.conversation_id), "hi alice")
    assert (await next_of(alices, "unread"))["messages"] == 1

    await make(services.conversation_read, user=alice, conversation_id=sent.conversation_id)
    read = await next_of(bobs, "message.read")
    assert (read["userId"], read["messageId"]) == (str(alice.pk), str(sent.pk))
    await alices.disconnect()
    await bobs.disconnect()


@covers("pong", "error")
async def test_the_answers_to_a_clients_frames():
    socket = await listening(cookie=await cookie_for(await make(UserFactory)))
    await socket.send_json_to({"type": "ping"})
    await next_of(socket, "pong")
    await socket.send_to(text_data="not json")
    assert "JSON" in (await next_of(socket, "error"))["error"]
    await socket.disconnect()


@covers("auth.check")
async def test_a_password_change_tells_the_users_consumers_to_check():
    # A control message is for the consumers, which never forward it: listen on the group as they do.
    alice = await make(UserFactory)
    page = await make(Client)
    await make(page.force_login, alice)
    layer = channel_layers.make_backend("default")  # its own: the shared one's locks belong to earlier tests' loops
    channel = await layer.new_channel()
    await layer.group_add(user_group(alice.pk), channel)

    form = {"oldpassword": PASSWORD, "password1": "another-long-passphrase", "password2": "another-long-passphrase"}
    assert (await sync_to_async(page.post)("/accounts/password/change/", form)).status_code == 302
    keep = checked(await asyncio.wait_for(layer.receive(channel), 3), "auth.check")
    moved = checked(await asyncio.wait_for(layer.receive(channel), 3), "auth.check")
    assert set(keep) == {"type", "keep"}  # that page's sockets wait while its session gets a new key...
    assert moved["moved"][0] == keep["keep"]  # ...then adopt it
    assert moved["moved"][1] == page.cookies["sessionid"].value
    await layer.group_discard(user_group(alice.pk), channel)
    await layer.close_pools()


@covers("muted_words.changed")
async def test_a_muted_word_tells_the_persons_consumers_and_a_page_ignores_it():
    # For Mastodon's streams (`filters_changed`); a /ws/ page hears it, stays open and shows nothing.
    from social.graph.services import muted_word_create

    alice = await make(UserFactory)
    page = await listening(cookie=await cookie_for(alice))  # online, so the task sends
    layer = channel_layers.make_backend("default")  # its own, as above
    channel = await layer.new_channel()
    await layer.group_add(user_group(alice.pk), channel)

    await make(muted_word_create, user=alice, phrase="spoilers")
    assert checked(await asyncio.wait_for(layer.receive(channel), 3), "muted_words.changed") == {
        "type": "muted_words.changed"
    }
    assert await page.receive_nothing(timeout=0.5)
    await page.send_json_to({"type": "ping"})
    assert (await page.receive_json_from(timeout=3))["type"] == "pong"
    await page.disconnect()
    await layer.group_discard(user_group(alice.pk), channel)
    await layer.close_pools()


def test_every_type_in_the_catalogue_is_sent_by_a_test_above():
    assert set(catalogue.SCHEMAS) == COVERED
    assert set(catalogue.SCHEMAS) == catalogue.PUSHED | catalogue.REPLIES | catalogue.CONTROL


def documented_types() -> set[str]:
    """The `type` column of docs/API.md's table of live events."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "API.md").read_text()
    table = text.split("**Events.**", 1)[1].split("\n\n", 2)[1]
    rows = table.splitlines()[2:]  # below the header and its rule
    return {re.match(r"\| `([^`]+)` \|", row).group(1) for row in rows}


def test_the_api_docs_list_the_types_a_client_receives():
    assert documented_types() == catalogue.PUSHED | catalogue.REPLIES
    assert not documented_types() & catalogue.CONTROL  # never reaches a client


@pytest.mark.parametrize(
    "build",
    [
        lambda: catalogue.timeline_new("not a number", 1),
        lambda: catalogue.unread(-1, 0),
        lambda: catalogue.message(5, {"text": "no id", "id": ""}),
        lambda: catalogue.notification({"id": "41"}, "<li>no type</li>"),
    ],
)
def test_a_builder_refuses_what_its_schema_refuses(build):
    with pytest.raises(catalogue.InvalidEvent):
        build()


def test_an_unknown_type_is_refused():
    with pytest.raises(catalogue.InvalidEvent):
        catalogue.validate({"type": "probe", "id": "probe:1"})
