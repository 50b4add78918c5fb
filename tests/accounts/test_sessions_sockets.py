"""Logging out everywhere else closes the live sockets of the sessions it ended, and only those."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from tests.accounts.mfa_helpers import password_step
from tests.factories import UserFactory
from tests.notifications.live import closed_with, listening, still_listening

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


def logged_in(username: str) -> Client:
    client = Client()
    assert password_step(client, username).status_code == 302
    return client


async def test_ending_other_sessions_closes_their_sockets():
    alice = await sync_to_async(UserFactory)(username="alice")
    laptop, phone = await sync_to_async(logged_in)("alice"), await sync_to_async(logged_in)("alice")
    laptop_page = await listening(cookie=laptop.cookies["sessionid"].value)
    phone_page = await listening(cookie=phone.cookies["sessionid"].value)

    response = await sync_to_async(laptop.post)("/settings/security/sessions/end")
    assert response.status_code == 302
    assert await closed_with(phone_page) == 4401
    assert await still_listening(laptop_page, alice.pk)
    await laptop_page.disconnect()
