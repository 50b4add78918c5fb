"""Mastodon's streaming API, fed by the same event path as Chirp's /ws/ (notifications.events).

Two transports, as Mastodon has them:
- server-sent events: `GET /api/v1/streaming/user` (and `/user/notification`, `/list?list=`),
  what Mastodon.py's `stream_user` reads; `GET /api/v1/streaming/health` answers `OK`;
- the WebSocket `/api/v1/streaming` (`?stream=user`, or `{"type": "subscribe", "stream": ...}`
  frames), what masto.js and most apps use; each frame is
  `{"stream": [...], "event": "update", "payload": "<JSON text>"}`.

A connection joins the person's own group and presence exactly as a /ws/ socket does, so
every event a page gets reaches it; each Chirp event is rendered into Mastodon's (a post
as a Status, a notification as a Notification, a direct message as the Conversation it is
in) for that person, through the same selectors and visibility rules as the REST endpoints.
A change to the person's muted words (a control message, social/mastodon/tasks.py) is
`filters_changed` on `user`. Public and hashtag streams hear the `mastodon.public` group
(social/mastodon/receivers.py); docs/DECISIONS.md "Mastodon streaming".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse

from config.kernel.api.auth import OAUTH_TOKEN_PREFIX, oauth_token_user
from notifications import presence
from notifications import selectors as notification_selectors
from notifications.auth import Credentials, user_for
from notifications.consumers import LAYER_TIMEOUT, EventsConsumer
from notifications.events import user_group
from social.graph.visibility import RelationSet
from social.mastodon import entities
from social.mastodon.conversations_api import conversations_json
from social.mastodon.notifications_api import TYPES, notifications_json
from social.mastodon.receivers import PUBLIC_GROUP
from social.messages import selectors as dm_selectors
from tweets.selectors import tweet_for_viewer

logger = logging.getLogger(__name__)

HEARTBEAT = 10  # seconds between SSE comments, so proxies and clients know the stream is alive
STREAMS = ("user", "user:notification", "list", "public", "public:local", "public:media", "hashtag", "direct")
DIRECT_SCOPE = "read:messages"  # `direct` shows direct messages: Chirp's DM scope, as GET /conversations asks
NO_SCOPE = "Access token does not have the required scopes"  # Mastodon's words


class StreamRequest:
    """What the entity builders need from a request (absolute URLs, the viewer), off any request."""

    def __init__(self, user, scheme: str, host: str) -> None:
        self.user, self.scheme, self.host = user, scheme, host

    def build_absolute_uri(self, location: str = "/") -> str:
        return location if "://" in location else f"{self.scheme}://{self.host}{location}"


PUBLIC_STREAMS = ("public", "public:local", "public:media")


def render_public(message: dict, request: StreamRequest, subscribed: set) -> list[tuple[list[str], str, str]]:
    """A `mastodon.public` group message (social/mastodon/receivers.py) for this connection's streams."""
    kind = message.get("type")
    if kind == "mastodon.delete":
        streams = [list(s) for s in subscribed] or [["user"]]
        return [(streams[0], "delete", entry_id) for entry_id in message["entryIds"]]
    wanted = [[name] for name in PUBLIC_STREAMS if (name,) in subscribed]
    if kind == "mastodon.public":
        wanted += [["hashtag", tag] for tag in message.get("tags", []) if ("hashtag", tag) in subscribed]
    elif kind == "mastodon.edit" and ("user",) in subscribed:
        wanted.append(["user"])  # Mastodon sends it where the post may be shown; the render checks visibility
    if not wanted:
        return []  # nothing subscribed cares: no query
    # Mastodon's streams leave out muted accounts as they do blocked ones (the matrix's muter).
    tweet = tweet_for_viewer(int(message["entryId"]), request.user, hide_muted=True)
    if tweet is None:  # blocked, muted, deleted since
        return []
    status = entities.statuses_json([tweet], request)[0]
    if ["public:media"] in wanted and not status["media_attachments"]:
        wanted.remove(["public:media"])
    payload = json.dumps(status)
    name = "update" if kind == "mastodon.public" else "status.update"
    return [(stream, name, payload) for stream in wanted]


def render_conversation(event: dict, request: StreamRequest) -> list[tuple[list[str], str, str]]:
    """A Chirp `message` event as `conversation` on `direct`: the Conversation as this member sees it now."""
    viewer = request.user
    view = dm_selectors.conversation_view(viewer, int(event["conversationId"]))
    if view is None:  # left since, or never in it
        return []
    visible = dm_selectors.visible_messages(view.member)
    view.last_message = visible.order_by("-id").first()
    message_id = int(event["message"]["id"])
    if view.last_message is None or view.last_message.pk < message_id:  # hidden from them, or its sender gone
        return []
    sender = view.last_message.sender
    across = view.others if sender.pk == viewer.pk else [sender]  # the sender's own echo: across to whom it went
    relations = RelationSet.for_viewer(viewer, [u.pk for u in across])
    if any(relations.is_blocked(u) for u in across):
        return []  # a block since it was sent (Chirp refuses one sent across a block): nothing is pushed
    view.unread = visible.filter(pk__gt=view.member.last_read_id).exclude(sender_id=viewer.pk).exists()
    return [(["direct"], "conversation", json.dumps(conversations_json([view], request)[0]))]


def render(event: dict, request: StreamRequest, subscribed: set) -> list[tuple[list[str], str, str]]:
    """A Chirp event as the Mastodon events it makes for this person: (stream, event name, payload)."""
    kind = event.get("type")
    if kind == "timeline.new":
        tweet = tweet_for_viewer(int(event["entryId"]), request.user)
        if tweet is None:
            return []
        payload = json.dumps(entities.statuses_json([tweet], request)[0])
        list_id = event.get("listId")
        return [(["list", str(list_id)] if list_id else ["user"], "update", payload)]
    if kind == "notification":
        found = notification_selectors.visible_notifications(request.user).filter(
            pk=int(event["notification"]["id"]), verb__in=list(TYPES)
        )
        shown = notifications_json(notification_selectors.with_posts(list(found), request.user), request)
        if not shown:
            return []
        payload = json.dumps(shown[0])
        return [(["user"], "notification", payload), (["user:notification"], "notification", payload)]
    if kind == "message" and ("direct",) in subscribed:  # a connection without `direct` asks nothing
        return render_conversation(event, request)
    return []


def _wanted(stream: list[str], subscribed: set[tuple[str, ...]]) -> bool:
    return tuple(stream) in subscribed or (stream[0] == "list" and ("list",) in subscribed)


def _subscription(name: str, params: dict) -> tuple[str, ...] | None:
    if name not in STREAMS:
        return None
    if name == "list":
        return ("list", str(params.get("list", ""))) if params.get("list") else ("list",)
    if name == "hashtag":
        return ("hashtag", str(params.get("tag", "")).lower())
    return (name,)


def may_read_direct(credentials: Credentials | None) -> bool:
    """Whether these credentials may read direct messages: an OAuth token needs read:messages
    (`read` covers it); Chirp's own tokens and sessions may."""
    if credentials is None or credentials.kind != "token" or not credentials.secret.startswith(OAUTH_TOKEN_PREFIX):
        return credentials is not None
    return oauth_token_user(credentials.secret, DIRECT_SCOPE) is not None


# --- server-sent events -----------------------------------------------------------------------


def _bearer(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.GET.get("access_token") or None


async def health(request):
    return HttpResponse("OK", content_type="text/plain")


health.oauth_scopes = "open"


async def sse(request, stream: str = "user"):
    """`GET /api/v1/streaming/<stream>`: the person's events as `event:`/`data:` lines, until they hang up."""
    name = stream.replace("/", ":")
    wanted = _subscription(name, request.GET)
    if wanted is None:
        return JsonResponse({"error": "Unknown stream type"}, status=400)
    token = _bearer(request)
    user = await user_for(Credentials("token", token)) if token else None
    if user is None or not user.is_authenticated or not user.is_active:
        return JsonResponse({"error": "Error while authenticating"}, status=401)
    if name == "direct" and not await database_sync_to_async(may_read_direct)(Credentials("token", token)):
        return JsonResponse({"error": NO_SCOPE}, status=401)
    scheme = "https" if request.is_secure() else "http"
    events = _sse_events(user, token, {wanted}, StreamRequest(user, scheme, request.get_host()))
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx must not hold the stream back
    return response


sse.oauth_scopes = {"GET": "read:notifications"}  # checked by notifications.auth, as for /ws/ (`read` covers it)


async def _sse_events(user, token: str, subscribed: set[tuple[str, ...]], request: StreamRequest):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    group = user_group(user.pk)
    socket_id = uuid.uuid4().hex
    await layer.group_add(group, channel)
    await layer.group_add(PUBLIC_GROUP, channel)
    await database_sync_to_async(presence.connected)(user.pk, socket_id)
    try:
        yield ":)\n\n"
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), HEARTBEAT)
            except TimeoutError:
                await database_sync_to_async(presence.refresh)(user.pk, socket_id)
                yield ":thump\n\n"
                continue
            if message.get("type") == "auth.check":  # logged out, revoked, suspended: does the token still hold?
                again = await user_for(Credentials("token", token))
                if not again.is_authenticated or not again.is_active or again.pk != user.pk:
                    return
                continue
            if message.get("type") == "muted_words.changed":
                if ("user",) in subscribed:  # no payload: Mastodon writes `undefined`, and clients expect it
                    yield "event: filters_changed\ndata: undefined\n\n"
                continue
            if message.get("type", "").startswith("mastodon."):
                for _, name, payload in await database_sync_to_async(render_public)(message, request, subscribed):
                    yield f"event: {name}\ndata: {payload}\n\n"
                continue
            if message.get("type") != "event.forward":
                continue
            for stream, name, payload in await database_sync_to_async(render)(message["event"], request, subscribed):
                if _wanted(stream, subscribed):
                    yield f"event: {name}\ndata: {payload}\n\n"
    finally:
        with contextlib.suppress(Exception):
            await layer.group_discard(group, channel)
        with contextlib.suppress(Exception):
            await layer.group_discard(PUBLIC_GROUP, channel)
        with contextlib.suppress(Exception):
            await database_sync_to_async(presence.disconnected)(user.pk, socket_id)


# --- the WebSocket ----------------------------------------------------------------------------


class StreamingConsumer(EventsConsumer):
    """`/api/v1/streaming`: Chirp's live socket (sign-in, presence, rechecks) speaking Mastodon's frames."""

    subscribed: set

    async def connect(self):
        params = {k: v[-1] for k, v in parse_qs(self.scope.get("query_string", b"").decode("latin1")).items()}
        self.subscribed = set()
        wanted = _subscription(params.get("stream", ""), params) if params.get("stream") else None
        if wanted:
            self.subscribed.add(wanted)
        host = dict(self.scope.get("headers", [])).get(b"host", b"").decode("latin1") or "localhost"
        self.host = host
        await super().connect()
        if not self.closing and ("direct",) in self.subscribed and not await self._may_read_direct():
            self.subscribed.discard(("direct",))
            await self.send_json({"error": NO_SCOPE, "status": 401})

    async def accept(self, subprotocol=None, headers=None):
        offered = self.scope.get("subprotocols") or []
        await super().accept(subprotocol=offered[0] if offered else None, headers=headers)

    async def _may_read_direct(self) -> bool:
        return self.user_id is not None and await database_sync_to_async(may_read_direct)(self.credentials)

    async def _catch_up(self):
        """Nothing is sent on connecting (Chirp's socket sends unread counts); the public group is joined."""
        try:
            await asyncio.wait_for(self.channel_layer.group_add(PUBLIC_GROUP, self.channel_name), LAYER_TIMEOUT)
            self.public = True
        except Exception:
            logger.warning("Mastodon stream of user %s: public group unavailable", self.user_id, exc_info=True)

    async def _leave(self):
        if getattr(self, "public", False):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.channel_layer.group_discard(PUBLIC_GROUP, self.channel_name), LAYER_TIMEOUT)
        await super()._leave()

    async def _public(self, message):
        if self.closing or not self.subscribed:
            return
        request = StreamRequest(self.scope["user"], self._scheme(), self.host)
        for stream, name, payload in await database_sync_to_async(render_public)(message, request, self.subscribed):
            await self.send_json({"stream": stream, "event": name, "payload": payload})

    async def mastodon_public(self, message):
        await self._public(message)

    async def mastodon_edit(self, message):
        await self._public(message)

    async def mastodon_delete(self, message):
        await self._public(message)

    async def muted_words_changed(self, message):
        if not self.closing and ("user",) in self.subscribed:
            await self.send_json({"stream": ["user"], "event": "filters_changed"})  # no payload, as Mastodon

    def _scheme(self) -> str:
        return "https" if self.scope.get("scheme") == "wss" else "http"

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.closing:
            return
        if self._over_rate():
            return await self.close(1008)
        try:
            content = json.loads(text_data or "")
        except ValueError:
            return await self.send_json({"error": "Bad JSON"})
        if not isinstance(content, dict) or content.get("type") not in ("subscribe", "unsubscribe"):
            return await self.send_json({"error": "Unknown type"})
        wanted = _subscription(str(content.get("stream", "")), content)
        if wanted is None:
            return await self.send_json({"error": "Unknown stream type"})
        if content["type"] == "subscribe":
            if wanted == ("direct",) and not await self._may_read_direct():
                return await self.send_json({"error": NO_SCOPE, "status": 401})
            self.subscribed.add(wanted)
        else:
            self.subscribed.discard(wanted)

    async def event_forward(self, message):
        if self.closing or not self.subscribed:
            return
        scheme = "https" if self.scope.get("scheme") == "wss" else "http"
        request = StreamRequest(self.scope["user"], scheme, self.host)
        for stream, name, payload in await database_sync_to_async(render)(message["event"], request, self.subscribed):
            if _wanted(stream, self.subscribed):
                await self.send_json({"stream": stream, "event": name, "payload": payload})


class StreamingTokenHeader:
    """Mastodon clients send the token as `?access_token=` or as the WebSocket subprotocol
    (browsers can't set headers on a WebSocket): made the `Authorization` header that
    notifications.auth reads, for /api/v1/streaming only."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope.get("path", "").rstrip("/") == "/api/v1/streaming":
            headers = list(scope.get("headers", []))
            if not any(name == b"authorization" for name, _ in headers):
                query = parse_qs(scope.get("query_string", b"").decode("latin1"))
                token = (query.get("access_token") or [None])[-1] or next(iter(scope.get("subprotocols") or []), None)
                if token:
                    headers.append((b"authorization", b"Bearer " + token.encode("latin1")))
                    scope = {**scope, "headers": headers}
        return await self.inner(scope, receive, send)
