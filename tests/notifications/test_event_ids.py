"""Every live event names what it reports, so a repeat (a redelivered task) can be dropped by clients."""

import pytest
from asgiref.sync import sync_to_async

from notifications import catalogue
from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening

BUILT = [
    ("notification", lambda: catalogue.notification({"id": "41", "type": "like"}, "<li>…</li>"), "notification:41"),
    ("timeline.new", lambda: catalogue.timeline_new(7001, 12), "timeline.new:7001"),
    ("timeline.new", lambda: catalogue.timeline_new(7001, 12, list_id=3), "timeline.new:7001:list:3"),
    ("message", lambda: catalogue.message(5, {"id": "900", "text": "hi"}), "message:900"),
    ("message.read", lambda: catalogue.message_read(5, 12, 900), "message.read:5:12:900"),
]


@pytest.mark.parametrize(("kind", "build", "expected"), BUILT, ids=[b[2] for b in BUILT])
def test_builders_give_the_same_id_for_the_same_thing(kind, build, expected):
    first, again = build(), build()
    assert first["type"] == kind
    assert first["id"] == again["id"] == expected
    assert set(first) - {"listId"} == {"type", "id"} | catalogue.KEYS[kind] - {"listId"}


def test_unread_counts_get_a_fresh_id_each_time():
    # They state the counts now: a repeat is harmless, and an old id must not hide new counts.
    first, second = catalogue.unread(1, 0), catalogue.unread(1, 0)
    assert first["id"] != second["id"]
    assert set(first) == {"type", "id"} | catalogue.KEYS["unread"]


@pytest.mark.django_db
def test_a_notification_event_built_twice_has_one_id():
    from notifications.models import Notification
    from notifications.selectors import live_notification_event
    from tests.tweets.helpers import post
    from tweets import services

    alice, bob = UserFactory(), UserFactory()
    services.like_create(user=bob, tweet_id=post(alice, "like me").pk)
    notification = Notification.objects.get(recipient=alice)
    first, again = live_notification_event(alice, notification.pk), live_notification_event(alice, notification.pk)
    assert first["id"] == again["id"] == f"notification:{notification.pk}"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_a_redelivered_task_sends_the_same_ids():
    from notifications.models import Notification
    from notifications.tasks import announce_entry, push_notification
    from tests.tweets.helpers import post
    from tweets import services

    alice, bob = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    tweet = await sync_to_async(post)(alice, "like me")
    await sync_to_async(services.like_create)(user=bob, tweet_id=tweet.pk)
    notification = await sync_to_async(Notification.objects.get)(recipient=alice)
    socket = await listening(cookie=await cookie_for(alice))

    for _ in range(2):  # Celery delivers at least once: the same task may run twice
        await sync_to_async(push_notification)(notification.pk)
        await sync_to_async(announce_entry)(tweet.pk, bob.pk, [alice.pk])
    received = [await socket.receive_json_from(timeout=3) for _ in range(6)]
    ids = [event["id"] for event in received if event["type"] != "unread"]
    assert ids == [f"notification:{notification.pk}", f"timeline.new:{tweet.pk}"] * 2
    await socket.disconnect()
