"""Signing out, revoking, a new password, suspension and deletion close the sockets those credentials opened."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import services
from tests.factories import PASSWORD, UserFactory
from tests.notifications.live import closed_with, listening, refusal, still_listening

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]
NEW_PASSWORD = "another-long-passphrase"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cookie(client: Client) -> str:
    return client.cookies["sessionid"].value


def api_as(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


async def make(factory, *args, **kwargs):
    return await sync_to_async(factory)(*args, **kwargs)


async def test_logging_out_closes_that_sessions_sockets_at_once():
    alice = await make(UserFactory)
    here, elsewhere = await make(browser, alice), await make(browser, alice)
    this_page = await listening(cookie=cookie(here))
    other_browser = await listening(cookie=cookie(elsewhere))

    response = await sync_to_async(here.post)("/accounts/logout/")
    assert response.status_code == 302
    assert await closed_with(this_page) == 4401
    assert await still_listening(other_browser, alice.pk)
    await other_browser.disconnect()


async def test_api_logout_closes_sockets_of_its_token_or_its_session():
    alice = await make(UserFactory)
    first, second = await make(services.token_create, user=alice), await make(services.token_create, user=alice)
    first_socket, second_socket = await listening(token=first), await listening(token=second)
    response = await sync_to_async(api_as(first).post)("/api/v1/logout")
    assert response.status_code == 200
    assert await closed_with(first_socket) == 4401
    assert await still_listening(second_socket, alice.pk)
    await second_socket.disconnect()

    page = await make(browser, alice)
    page_socket = await listening(cookie=cookie(page))
    logout = await sync_to_async(page.post)("/api/v1/logout", HTTP_X_CSRFTOKEN="")
    assert logout.status_code == 200
    assert await closed_with(page_socket) == 4401


async def test_revoking_a_token_in_settings_closes_its_sockets():
    alice = await make(UserFactory)
    token = await make(services.token_create, user=alice)
    socket = await listening(token=token)
    page = await make(browser, alice)
    digest = await sync_to_async(lambda: AuthToken.objects.get(user=alice).digest)()
    assert (await sync_to_async(page.post)(f"/settings/account/tokens/{digest}/revoke")).status_code == 302
    assert await closed_with(socket) == 4401


async def test_a_password_change_keeps_the_page_that_made_it_and_closes_the_rest():
    alice = await make(UserFactory)
    here, elsewhere = await make(browser, alice), await make(browser, alice)
    old_cookie = cookie(here)
    token = await make(services.token_create, user=alice)
    this_page = await listening(cookie=old_cookie)
    other_browser = await listening(cookie=cookie(elsewhere))
    api_socket = await listening(token=token)

    form = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert (await sync_to_async(here.post)("/accounts/password/change/", form)).status_code == 302
    assert await closed_with(other_browser) == 4401
    assert await closed_with(api_socket) == 4401
    assert await still_listening(this_page, alice.pk)
    assert cookie(here) != old_cookie  # Django gave the session a new key; the socket followed it

    # Later checks find the page's socket holding valid credentials still.
    another = await make(services.token_create, user=alice)
    await sync_to_async(services.token_revoke)(token=await sync_to_async(AuthToken.objects.get)(user=alice))
    assert await still_listening(this_page, alice.pk)
    assert await refusal(cookie=old_cookie) == 4401
    await (await listening(cookie=cookie(here))).disconnect()
    await this_page.disconnect()
    assert another


async def test_a_password_reset_closes_every_socket():
    alice = await make(UserFactory)
    page_socket = await listening(cookie=cookie(await make(browser, alice)))
    api_socket = await listening(token=await make(services.token_create, user=alice))
    await sync_to_async(services.password_set)(user=alice, password=NEW_PASSWORD)  # what the reset flows call
    assert await closed_with(page_socket) == 4401
    assert await closed_with(api_socket) == 4401


async def test_suspension_closes_every_socket_of_the_account():
    from social.moderation.services import user_suspend

    troll, moderator = await make(UserFactory), await make(UserFactory, is_staff=True)
    page_socket = await listening(cookie=cookie(await make(browser, troll)))
    api_socket = await listening(token=await make(services.token_create, user=troll))
    await sync_to_async(user_suspend)(moderator=moderator, user=troll, reason="spam")
    assert await closed_with(page_socket) == 4401
    assert await closed_with(api_socket) == 4401


async def test_deleting_the_account_closes_every_socket():
    alice = await make(UserFactory)
    page_socket = await listening(cookie=cookie(await make(browser, alice)))
    token = await make(services.token_create, user=alice)
    api_socket = await listening(token=token)
    response = await sync_to_async(api_as(token).delete)("/api/v1/account", {"password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert await closed_with(page_socket) == 4401
    assert await closed_with(api_socket) == 4401
