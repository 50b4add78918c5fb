"""OAuth tokens on /ws/: the scope they need, and revocation closing the sockets they opened."""

import pytest
from asgiref.sync import sync_to_async

from tests.factories import UserFactory
from tests.notifications.live import closed_with, listening, refusal, still_listening
from tests.oauth.tokens import make_app, make_token, token_row

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def make(factory, *args, **kwargs):
    return await sync_to_async(factory)(*args, **kwargs)


async def test_a_token_with_read_or_read_notifications_listens_and_others_are_refused():
    alice = await make(UserFactory)
    for scope in ("read", "read:notifications", "read:statuses write"):
        token = await make(make_token, alice, scope)
        if scope == "read:statuses write":
            assert await refusal(token=token, origin=None) == 4401
        else:
            socket = await listening(token=token, origin=None)
            await socket.disconnect()
    app_only = await make(make_token, None, "read")  # client credentials: nobody's socket
    assert await refusal(token=app_only, origin=None) == 4401


async def test_revoking_an_oauth_token_closes_its_sockets_and_no_others():
    alice = await make(UserFactory)
    app = await make(make_app)
    revoked, kept = await make(make_token, alice, "read", app=app), await make(make_token, alice, "read", app=app)
    closing, staying = await listening(token=revoked, origin=None), await listening(token=kept, origin=None)

    await sync_to_async(lambda: token_row(revoked).revoke())()
    assert await closed_with(closing) == 4401
    assert await still_listening(staying, alice.pk)
    assert await refusal(token=revoked, origin=None) == 4401

    await sync_to_async(app.delete)()  # the person disconnects the app: its tokens go with it
    assert await closed_with(staying) == 4401


async def test_an_expired_token_is_refused():
    from datetime import timedelta

    alice = await make(UserFactory)
    token = await make(make_token, alice, "read", expires_in=timedelta(seconds=-1))
    assert await refusal(token=token, origin=None) == 4401
