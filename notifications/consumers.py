"""The one WebSocket consumer: authenticate, join the user's group, forward, keep presence."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications import presence
from notifications.events import user_group

UNAUTHORISED = 4401  # an application close code: the client should log in, not retry


class EventsConsumer(AsyncJsonWebsocketConsumer):
    group = None
    user_id = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=UNAUTHORISED)
            return
        self.user_id = user.pk
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(presence.mark_online)(self.user_id)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(presence.mark_offline)(self.user_id)

    async def receive_json(self, content, **kwargs):
        # The socket only pushes; a client's ping (every 30 s) keeps it counted as online.
        if isinstance(content, dict) and content.get("type") == "ping":
            await database_sync_to_async(presence.mark_online)(self.user_id)
            await self.send_json({"type": "pong"})

    async def event_forward(self, message):
        await self.send_json(message["event"])
