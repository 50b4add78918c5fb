"""The /ws/ consumer: who may connect, and that events reach only their user."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from notifications.events import send_event_now
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

    await sync_to_async(send_event_now)([alice.pk], {"type": "unread", "notifications": 3})
    assert await alice_socket.receive_json_from(timeout=2) == {"type": "unread", "notifications": 3}
    assert await bob_socket.receive_nothing(timeout=0.3)

    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_foreign_origin_is_refused_for_cookie_sockets():
    alice = await sync_to_async(UserFactory)()
    _, connected, _ = await connect(await sync_to_async(session_cookie_for)(alice), origin=b"https://evil.example")
    assert not connected
