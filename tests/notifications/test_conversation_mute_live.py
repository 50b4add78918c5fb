"""A muted thread sends no live event: no notification frame and no unread count reach the open page."""

import pytest
from asgiref.sync import sync_to_async

from notifications import services
from notifications.models import Notification
from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening
from tests.notifications.test_conversation_mute import KINDS
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


def _world():
    ann, ben, cat = UserFactory(username="ann"), UserFactory(username="ben"), UserFactory(username="cat")
    root = post(ann, "the root")
    reply = post(ben, "a reply", reply_to_id=root.pk)
    answer = post(ann, "ann again", reply_to_id=reply.pk)
    services.conversation_mute(user=ann, tweet_id=root.pk)
    Notification.objects.all().delete()  # the thread's start; what follows the mute is under test
    return ann, cat, {"root": root, "reply": reply, "answer": answer}, post(ann, "elsewhere")


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_muted_thread_sends_no_live_event(kind):
    ann, cat, thread, elsewhere = await sync_to_async(_world)()
    socket = await listening(cookie=await cookie_for(ann))
    act, _ = KINDS[kind]
    await sync_to_async(act)(cat, thread)
    # Then something from another thread: the next frames are about it, so nothing came before.
    await sync_to_async(tweets.like_create)(user=cat, tweet_id=elsewhere.pk)
    first = await socket.receive_json_from(timeout=3)
    second = await socket.receive_json_from(timeout=3)
    assert first["type"] == "notification", first
    assert first["notification"]["tweet"]["id"] == str(elsewhere.pk)
    assert second["type"] == "unread" and second["notifications"] == 1  # the badge counts only that one
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_unmuting_brings_live_events_back():
    ann, cat, thread, _ = await sync_to_async(_world)()
    await sync_to_async(services.conversation_unmute)(user=ann, tweet_id=thread["root"].pk)
    socket = await listening(cookie=await cookie_for(ann))
    await sync_to_async(post)(cat, "me too", reply_to_id=thread["root"].pk)
    first = await socket.receive_json_from(timeout=3)
    assert first["type"] == "notification" and first["notification"]["type"] == "reply"
    await socket.disconnect()
