"""The one WebSocket consumer: authenticate, join the user's group, forward, keep presence."""

import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications import presence
from notifications.events import user_group

logger = logging.getLogger(__name__)
UNAUTHORISED = 4401  # an application close code: the client should sign in, not retry


async def _presence(action, user_id: int) -> None:
    try:
        await database_sync_to_async(action)(user_id)
    except Exception:  # presence is an optimisation; the socket works without it
        logger.warning("presence %s failed for user %s", action.__name__, user_id, exc_info=True)


class EventsConsumer(AsyncJsonWebsocketConsumer):
    group = None
    user_id = None
    keep_present = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=UNAUTHORISED)
            return
        self.user_id = user.pk
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await _presence(presence.connected, self.user_id)
        self.keep_present = asyncio.create_task(self._refresh_presence())

    async def _refresh_presence(self):
        # The server, not the client, keeps an open socket counted as online.
        while True:
            await asyncio.sleep(presence.REFRESH_EVERY)
            await _presence(presence.refresh, self.user_id)

    async def disconnect(self, code):
        if self.keep_present:
            self.keep_present.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.keep_present
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await _presence(presence.disconnected, self.user_id)

    async def receive_json(self, content, **kwargs):
        # The socket only pushes; a client may ping to keep intermediaries from closing it.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def event_forward(self, message):
        await self.send_json(message["event"])
