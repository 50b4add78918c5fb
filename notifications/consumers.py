"""The one WebSocket consumer: authenticate, join the user's group, forward."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications.events import user_group

UNAUTHORISED = 4401  # an application close code: the client should log in, not retry


class EventsConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHORISED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The socket only pushes; a client ping gets a pong so it can detect dead links.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def event_forward(self, message):
        await self.send_json(message["event"])
