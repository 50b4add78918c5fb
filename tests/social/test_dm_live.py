"""Direct messages over /ws/: members with a socket get `message` and `message.read`, nobody else."""

import pytest
from asgiref.sync import sync_to_async

from social.messages import services
from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def socket_for(user):
    return await listening(cookie=await cookie_for(user))  # past the counts every socket starts with


async def next_of_type(socket, kind: str, timeout: float = 3) -> dict:
    while True:
        event = await socket.receive_json_from(timeout=timeout)
        if event["type"] == kind:
            return event


async def test_a_message_reaches_its_members_and_nobody_else():
    ann, ben, eve = await sync_to_async(lambda: (UserFactory(), UserFactory(), UserFactory()))()
    ann_socket, ben_socket, eve_socket = await socket_for(ann), await socket_for(ben), await socket_for(eve)

    message = await sync_to_async(services.message_send)(sender=ann, recipient_id=ben.pk, text="for Ben only")

    event = await next_of_type(ben_socket, "message")
    assert event["conversationId"] == str(message.conversation_id)
    assert event["message"]["text"] == "for Ben only" and event["message"]["sender"]["id"] == str(ann.pk)
    unread = await next_of_type(ben_socket, "unread")
    assert unread["messages"] == 1
    mine = await next_of_type(ann_socket, "message")  # the sender's other tabs keep up too
    assert mine["message"]["id"] == str(message.pk)
    assert await eve_socket.receive_nothing(timeout=0.5)

    await sync_to_async(services.conversation_read)(user=ben, conversation_id=message.conversation_id)
    read = await next_of_type(ann_socket, "message.read")
    assert read == {
        "type": "message.read", "id": f"message.read:{message.conversation_id}:{ben.pk}:{message.pk}",
        "conversationId": str(message.conversation_id), "userId": str(ben.pk), "messageId": str(message.pk),
    }  # fmt: skip
    assert (await next_of_type(ben_socket, "unread"))["messages"] == 0
    assert await eve_socket.receive_nothing(timeout=0.3)
    for socket in (ann_socket, ben_socket, eve_socket):
        await socket.disconnect()
