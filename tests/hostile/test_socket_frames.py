"""Hostile socket input: frames that aren't JSON, binary frames, floods, and too many sockets per person."""

import pytest
from asgiref.sync import sync_to_async

from tests.factories import UserFactory
from tests.notifications.live import closed_with, cookie_for, listening, refusal, still_open

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open():
    alice = await sync_to_async(UserFactory)()
    socket = await listening(cookie=await cookie_for(alice))
    for frame in ("not json", "[1, 2]", '{"type": "subscribe"}'):
        await socket.send_to(text_data=frame)
        answer = await socket.receive_json_from(timeout=2)
        assert answer["type"] == "error" and answer["error"], frame
    await socket.send_to(bytes_data=b"\x00\x01")
    answer = await socket.receive_json_from(timeout=2)
    assert answer["type"] == "error" and "binary" in answer["error"]
    assert await still_open(socket)
    await socket.disconnect()


async def test_too_many_frames_get_an_error_then_close_1008(settings):
    settings.LIVE_FRAMES_PER_MINUTE = 5
    alice = await sync_to_async(UserFactory)()
    socket = await listening(cookie=await cookie_for(alice))
    for _ in range(5):
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
    await socket.send_json_to({"type": "ping"})
    answer = await socket.receive_json_from(timeout=2)
    assert answer["type"] == "error" and "Too many" in answer["error"]
    assert await closed_with(socket) == 1008


async def test_sockets_per_person_are_capped_with_4429(settings):
    settings.LIVE_SOCKETS_PER_USER = 2
    alice, bob = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    cookie = await cookie_for(alice)
    first = await listening(cookie=cookie)
    second = await listening(cookie=cookie)
    assert await refusal(cookie=cookie) == 4429
    await (await listening(cookie=await cookie_for(bob))).disconnect()  # the cap is per person
    await first.disconnect()
    third = await listening(cookie=cookie)  # a closed one makes room
    await second.disconnect()
    await third.disconnect()
