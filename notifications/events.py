"""Live events: the one way anything reaches an open page or API socket.

Everything sent to a user's group is built by `notifications.catalogue` and
goes through `send_event_on_commit`: pushed events, which the consumers
forward, and control messages (`auth.check`: each of that user's consumers
looks up its own credentials again and closes with 4401 when they no longer
hold), which the consumers act on.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
from collections.abc import Iterable

from channels.layers import get_channel_layer

from config.kernel.tasks import after_commit
from notifications import catalogue

logger = logging.getLogger(__name__)
SEND_TIMEOUT = 2  # seconds; a stuck Redis must not hold a request for long


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_event_on_commit(user_ids: Iterable[int], event: dict) -> None:
    """Send `event` (from a `notifications.catalogue` builder) to each user's sockets once the transaction commits.

    Outside a transaction (a worker's task) it is sent at once; if the
    transaction rolls back, never. A control message is the channel message
    itself (its type names the consumer's handler); anything else is wrapped
    for `event_forward`.
    """
    user_ids = list(dict.fromkeys(user_ids))
    if user_ids:
        forwarded = event.get("type") not in catalogue.CONTROL
        message = {"type": "event.forward", "event": event} if forwarded else event
        after_commit(_send, [(user_id, message) for user_id in user_ids])


def send_to_group_on_commit(group: str, message: dict) -> None:
    """Send a channel message to a group that isn't one person's (Mastodon's public stream), once committed."""
    after_commit(_send_groups, [(group, message)])


def session_fingerprint(session_key: str) -> str:
    """How control messages name a session without carrying its key."""
    return hashlib.sha256(session_key.encode()).hexdigest()


def recheck_sockets_on_commit(
    user_id: int, *, keep_session: str | None = None, moved_session: tuple[str, str] | None = None
) -> None:
    """Once committed, make each of the user's sockets check its credentials (closing if they no longer hold).

    `keep_session`: a session key whose sockets wait (the request holding it
    is moving it to a new key). `moved_session`: (old key, new key); sockets
    of the old key adopt the new one, then check.
    """
    keep = session_fingerprint(keep_session) if keep_session else None
    moved = (session_fingerprint(moved_session[0]), moved_session[1]) if moved_session else None
    send_event_on_commit([user_id], catalogue.auth_check(keep=keep, moved=moved))


def _send(messages: list[tuple[int, dict]]) -> None:
    """Send (user id, channel message) pairs; best effort, so failures are logged, not raised."""
    _send_groups([(user_group(user_id), message) for user_id, message in messages])


def _send_groups(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    try:
        asyncio.run_coroutine_threadsafe(_send_all(layer, messages), _sender_loop()).result(SEND_TIMEOUT)
    except Exception:
        logger.warning("live events to %s not sent", [g for g, _ in messages], exc_info=True)


async def _send_all(layer, messages: list[tuple[str, dict]]) -> None:
    for group, message in messages:
        await layer.group_send(group, message)


# One long-lived loop per process: the Redis layer's connections stay open
# (a fresh loop per send, as async_to_sync makes, reconnects every time: ~3 ms against ~0.3 ms).
_loop: asyncio.AbstractEventLoop | None = None
_loop_pid: int | None = None
_loop_lock = threading.Lock()


def _sender_loop() -> asyncio.AbstractEventLoop:
    global _loop, _loop_pid
    with _loop_lock:
        if _loop is None or _loop_pid != os.getpid():  # a forked worker needs its own thread
            _loop, _loop_pid = asyncio.new_event_loop(), os.getpid()
            threading.Thread(target=_loop.run_forever, name="live-events", daemon=True).start()
        return _loop
