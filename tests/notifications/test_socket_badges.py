"""Badges over the live socket: opening the Notifications page clears the badge in the person's other tabs."""

import json

import pytest
from asgiref.sync import sync_to_async

from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening, open_socket

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def next_unread(socket) -> dict:
    while True:
        event = await socket.receive_json_from(timeout=3)
        if event["type"] == "unread":
            return event


async def test_opening_the_page_sends_zero_to_the_persons_other_sockets():
    from django.test import Client

    from tests.tweets.helpers import post
    from tweets import services

    alice, bob = await sync_to_async(lambda: [UserFactory(), UserFactory()])()
    await sync_to_async(lambda: services.like_create(user=bob, tweet_id=post(alice, "like me").pk))()

    first_tab, first = await open_socket(cookie=await cookie_for(alice))  # a tab open before: its badge says 1
    assert json.loads(first["text"])["notifications"] == 1
    other_tab = await listening(cookie=await cookie_for(alice))
    bobs_tab = await listening(cookie=await cookie_for(bob))

    def open_the_page():
        client = Client()
        client.force_login(alice)
        return client.get("/notifications")

    response = await sync_to_async(open_the_page)()
    assert response.status_code == 200 and "is-unread" in response.content.decode()
    event = await next_unread(other_tab)
    assert (event["notifications"], event["messages"]) == (0, 0)
    assert await bobs_tab.receive_nothing(timeout=0.3)  # only her own sockets hear of it
    assert (await next_unread(first_tab))["notifications"] == 0
    for socket in (first_tab, other_tab, bobs_tab):
        await socket.disconnect()


async def test_a_direct_message_raises_the_messages_count_only():
    from social.messages import services as dm

    alice, bob = await sync_to_async(lambda: [UserFactory(), UserFactory()])()
    socket = await listening(cookie=await cookie_for(alice))
    await sync_to_async(lambda: dm.message_send(sender=bob, recipient_id=alice.pk, text="psst"))()
    event = await next_unread(socket)
    assert (event["notifications"], event["messages"]) == (0, 1)
    await socket.disconnect()
