"""Opening /ws/ in tests as a page or an API client would, and reading what comes back."""

from __future__ import annotations

import json

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application

SITE = b"http://testserver"


def session_cookie_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def cookie_for(user) -> str:
    return await sync_to_async(session_cookie_for)(user)


async def open_socket(*, cookie: str | None = None, token: str | None = None, origin: bytes | None = SITE,
                      host: bytes = b"testserver", scheme: str = "ws"):  # fmt: skip
    """The socket and the first thing it received: the catch-up `unread` event, or the close of a refusal."""
    headers = [(b"host", host)]
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    communicator.scope["scheme"] = scheme
    connected, _ = await communicator.connect()
    assert connected, "every handshake is accepted; a refusal is a close code right after"
    return communicator, await communicator.receive_output(timeout=3)


async def listening(**kwargs) -> WebsocketCommunicator:
    """A socket that was let in (its first frame is the `unread` counts)."""
    socket, first = await open_socket(**kwargs)
    assert first["type"] == "websocket.send", first
    assert json.loads(first["text"])["type"] == "unread"
    return socket


async def refusal(**kwargs) -> int:
    """The close code a socket opened so gets at once."""
    _, first = await open_socket(**kwargs)
    assert first["type"] == "websocket.close", first
    return first["code"]


async def closed_with(socket: WebsocketCommunicator, timeout: float = 3) -> int:
    """The code of the close the server sends next (skipping events before it)."""
    while True:
        output = await socket.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output["code"]


async def still_open(socket: WebsocketCommunicator) -> bool:
    """It answers a ping (and sent no close before the pong)."""
    await socket.send_json_to({"type": "ping"})
    while True:
        output = await socket.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return False
        if json.loads(output["text"]) == {"type": "pong"}:
            return True


async def still_listening(socket: WebsocketCommunicator, user_id: int) -> bool:
    """An event sent to the user now arrives (and no close before it).

    Group messages reach a consumer in order, so once this probe arrives every
    check sent before it has been made.
    """
    from notifications.events import send_event_on_commit

    probe = {"type": "probe", "id": f"probe:{id(socket)}"}
    await sync_to_async(send_event_on_commit)([user_id], probe)
    while True:
        output = await socket.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return False
        if json.loads(output["text"]) == probe:
            return True
