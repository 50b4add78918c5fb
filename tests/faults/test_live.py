"""Live sockets on the Procfile's `ws` process (uvicorn), as a real WebSocket client sees them.

The test process reads presence and sends events through the stack's own
Redis (`live_redis`), as the web process and the worker would.
"""

import asyncio
import contextlib
import json
import time

import pytest
from django.db import connections
from django.test import Client
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from accounts.services import token_create
from config.settings import channel_layer
from notifications import presence
from notifications.events import send_event_on_commit
from tests.factories import UserFactory
from tests.faults.stack import wait_until

# serialized_rollback: after a plain transactional test, the next serialized one in this worker
# finds the content types recreated under new ids and fails to restore its data.
pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHORT_PRESENCE = {"PRESENCE_ONLINE_FOR": "3", "PRESENCE_REFRESH_EVERY": "1"}


@pytest.fixture
def live_redis(settings, fault_redis):
    settings.REDIS_URL = fault_redis.url
    settings.CHANNEL_LAYERS = {"default": channel_layer(fault_redis.url)}
    return fault_redis


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def run(coroutine):
    return asyncio.run(coroutine)


async def close_code(socket, timeout: float = 5) -> int | None:
    """Read until the server closes; the code it closed with."""
    try:
        while True:
            await asyncio.wait_for(socket.recv(), timeout)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


async def code_for(url: str, **kwargs) -> int | None:
    async with connect(url, **kwargs) as socket:
        return await close_code(socket)


def send_event(user_ids: list[int], event: dict) -> None:
    """As a worker would; from a thread of its own, whose database connection must not outlive the test."""
    try:
        send_event_on_commit(user_ids, event)
    finally:
        connections.close_all()


async def first_event(socket) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), 5))


def test_refused_handshakes_reach_a_real_client_as_close_codes(stack_for, live_redis):
    stack = stack_for("ws")
    alice = UserFactory()
    client = Client()
    client.force_login(alice)
    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    token = token_create(user=alice)

    assert run(code_for(stack.ws_url)) == 4401  # was an HTTP 403 the client could not tell from anything else
    assert run(code_for(stack.ws_url, additional_headers=bearer("not-a-token"))) == 4401
    assert run(code_for(stack.ws_url, origin="https://evil.example", additional_headers=cookie)) == 4403
    live_redis.kill()
    assert run(code_for(stack.ws_url, additional_headers=bearer(token))) == 1013  # was an HTTP 500


def test_an_idle_socket_hears_the_next_event_in_under_a_second_after_two_minutes(stack_for, live_redis):
    stack = stack_for("ws")
    alice = UserFactory()
    token = token_create(user=alice)
    event = {"type": "unread", "id": "unread:after-the-wait", "notifications": 4, "messages": 0}

    async def idle_then_hear():
        async with connect(stack.ws_url, additional_headers=bearer(token)) as socket:
            assert (await first_event(socket))["type"] == "unread"
            await asyncio.sleep(120)  # nothing but WebSocket pings either way; redis-py used to give up at 5 s
            assert presence.is_online(alice.pk)
            sent = time.monotonic()
            await asyncio.to_thread(send_event, [alice.pk], event)
            assert await first_event(socket) == event
            return time.monotonic() - sent

    assert run(idle_then_hear()) < 1
    # The client closed cleanly: its presence goes with it, not ONLINE_FOR later.
    wait_until(lambda: not presence.is_online(alice.pk), timeout=2, what="presence ending with the socket")


def test_presence_lapses_when_the_server_dies_with_a_socket_open(stack_for, live_redis, settings):
    settings.PRESENCE_ONLINE_FOR = 3
    stack = stack_for("ws", **SHORT_PRESENCE)
    alice = UserFactory()
    token = token_create(user=alice)

    async def killed_under_an_open_socket():
        socket = await connect(stack.ws_url, additional_headers=bearer(token))
        assert (await first_event(socket))["type"] == "unread"
        await asyncio.sleep(4)  # longer than ONLINE_FOR: the server's refreshes keep it present
        assert presence.is_online(alice.pk)
        stack.kill("ws")  # SIGKILL: no close, no clean-up
        killed = time.monotonic()
        while presence.is_online(alice.pk):
            await asyncio.sleep(0.2)
        with contextlib.suppress(Exception):
            await socket.close()
        return time.monotonic() - killed

    assert run(killed_under_an_open_socket()) < 3 + 1.5  # ONLINE_FOR, and a refresh's worth


def test_a_socket_ended_by_a_stalled_redis_is_told_to_retry_and_stops_counting(stack_for, live_redis, settings):
    # The consumer dies from the channel layer's timeout; it used to skip its clean-up and
    # leave a refresh task keeping the person online forever.
    settings.PRESENCE_ONLINE_FOR = 3
    stack = stack_for("ws", **SHORT_PRESENCE)
    alice = UserFactory()
    token = token_create(user=alice)

    async def stalled():
        async with connect(stack.ws_url, additional_headers=bearer(token)) as socket:
            assert (await first_event(socket))["type"] == "unread"
            assert presence.is_online(alice.pk)
            live_redis.pause()
            try:
                return await close_code(socket, timeout=40)
            finally:
                live_redis.resume()

    assert run(stalled()) == 1013  # try again later: the page backs off and reconnects
    time.sleep(3)  # a refresh task left behind would have refreshed presence by now
    assert not presence.is_online(alice.pk)
    assert stack.processes["ws"].poll() is None  # the server itself lives on
