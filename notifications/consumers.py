"""The one WebSocket consumer: authenticate, join the user's group, forward, keep presence.

Every handshake is accepted and a refused one closed at once with a code a
client can read (docs/API.md): a close before the accept reaches a real
client as HTTP 403. Whatever ends the consumer (the client closing, an error
from the channel layer, cancellation), `__call__`'s `finally` stops the
presence refresh and removes the socket's presence, so nobody stays online
for a socket that is gone.
"""

import asyncio
import contextlib
import json
import logging
import time
import uuid

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from notifications import catalogue, presence
from notifications.auth import Credentials, user_for
from notifications.events import user_group
from notifications.selectors import live_unread_event

logger = logging.getLogger(__name__)

UNAUTHORISED = 4401  # sign in (again) rather than retry
TOO_MANY_SOCKETS = 4429  # this person has LIVE_SOCKETS_PER_USER open already
POLICY = 1008  # over LIVE_FRAMES_PER_MINUTE
TRY_LATER = 1013  # the channel layer (Redis) is unavailable
LAYER_TIMEOUT = 5  # seconds; a stuck Redis must not hold a handshake for long


async def _presence(action, *args) -> bool | None:
    try:
        return await database_sync_to_async(action)(*args)
    except Exception:  # presence is an optimisation; the socket works without it
        logger.warning("presence %s failed for %s", action.__name__, args, exc_info=True)
        return None


def _may_listen(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "suspended_at", None) is None)


class EventsConsumer(AsyncJsonWebsocketConsumer):
    user_id = None
    credentials = None
    group = None
    keep_present = None
    accepted = False
    closing = False

    async def __call__(self, scope, receive, send):
        self.socket_id = uuid.uuid4().hex
        self.frames = []
        try:
            await super().__call__(scope, receive, send)
        except Exception:
            # Typically the channel layer losing Redis: tell the client to come back later.
            logger.warning("live socket of user %s ended by an error", self.user_id, exc_info=True)
            await self._close_quietly(TRY_LATER)
        finally:
            await self._leave()

    async def connect(self):
        await self.accept()
        self.accepted = True
        user = self.scope.get("user")
        if self.scope.get("refusal"):
            return await self.close(self.scope["refusal"])
        if not _may_listen(user):
            return await self.close(UNAUTHORISED)
        self.user_id, self.credentials = user.pk, self.scope.get("credentials")
        admitted = await _presence(presence.connected, self.user_id, self.socket_id, settings.LIVE_SOCKETS_PER_USER)
        if admitted is False:
            return await self.close(TOO_MANY_SOCKETS)
        try:
            group = user_group(self.user_id)
            await asyncio.wait_for(self.channel_layer.group_add(group, self.channel_name), LAYER_TIMEOUT)
            self.group = group
        except Exception:
            logger.warning("live socket of user %s: channel layer unavailable", self.user_id, exc_info=True)
            return await self.close(TRY_LATER)
        self.keep_present = asyncio.create_task(self._refresh_presence())
        await self._catch_up()

    async def _catch_up(self):
        """The counts now, so a page that was away (or just opened) shows what it missed."""
        try:
            event = await database_sync_to_async(live_unread_event)(self.user_id)
        except Exception:
            logger.warning("unread counts for user %s not sent", self.user_id, exc_info=True)
            return
        await self.send_json(event)

    async def _refresh_presence(self):
        # The server, not the client, keeps an open socket counted as online.
        while True:
            await asyncio.sleep(presence.refresh_every())
            await _presence(presence.refresh, self.user_id, self.socket_id)

    async def close(self, code=None, reason=None):
        self.closing = True
        await super().close(code, reason)

    async def _close_quietly(self, code: int) -> None:
        with contextlib.suppress(Exception):  # the connection may be gone already
            if not self.accepted:
                await self.accept()
            if not self.closing:
                await self.close(code)

    async def _leave(self):
        if self.keep_present:
            self.keep_present.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.keep_present
        if self.user_id is not None:
            await _presence(presence.disconnected, self.user_id, self.socket_id)
        if self.group:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.channel_layer.group_discard(self.group, self.channel_name), LAYER_TIMEOUT)

    # --- from the client ------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """The socket only pushes; a client may ping to keep intermediaries from closing it."""
        if self.closing:
            return
        if self._over_rate():
            await self.send_json(catalogue.error("Too many frames; this socket is closed."))
            return await self.close(POLICY)
        if text_data is None:
            return await self._error("Frames are JSON text; binary frames are not understood.")
        try:
            content = json.loads(text_data)
        except ValueError:
            return await self._error('Frames are JSON objects, such as {"type": "ping"}.')
        if not isinstance(content, dict) or content.get("type") != "ping":
            return await self._error('The only frame a client sends is {"type": "ping"}.')
        await self.send_json(catalogue.pong())

    def _over_rate(self) -> bool:
        now = time.monotonic()
        self.frames = [t for t in self.frames if t > now - 60]
        self.frames.append(now)
        return len(self.frames) > settings.LIVE_FRAMES_PER_MINUTE

    async def _error(self, message: str) -> None:
        await self.send_json(catalogue.error(message))

    # --- from the user's group --------------------------------------------------------------

    async def event_forward(self, message):
        if not self.closing:
            await self.send_json(message["event"])

    async def muted_words_changed(self, message):
        """Chirp's pages read muted words when they load; Mastodon's consumer (a subclass) tells its client."""

    async def auth_check(self, message):
        """Logged out, token revoked, password changed, suspended, deleted: do this socket's credentials hold?"""
        if self.closing or self.credentials is None:
            return
        credentials = self.credentials
        if credentials.kind == "session":
            moved = message.get("moved")
            if moved and moved[0] == credentials.fingerprint:
                credentials = self.credentials = Credentials("session", moved[1])
            elif message.get("keep") == credentials.fingerprint:
                return  # the request holding this session is moving it to a new key
        user = await user_for(credentials)
        if not _may_listen(user) or user.pk != self.user_id:
            await self.close(UNAUTHORISED)
