"""Live events: the one way anything reaches an open page or API socket."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

Event = dict | Callable[[], dict | None]


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_event_on_commit(user_ids: Iterable[int], event: Event) -> None:
    """Send a JSON-serialisable `event` to each user's sockets once the transaction commits.

    `event` may be a function, called after the commit, for events that must
    describe the committed state (an unread count); returning None sends nothing.
    """
    user_ids = list(dict.fromkeys(user_ids))
    if user_ids:
        transaction.on_commit(lambda: send_event_now(user_ids, event() if callable(event) else event))


def send_event_now(user_ids: Iterable[int], event: dict | None) -> None:
    layer = get_channel_layer()
    if layer is None or event is None:
        return
    message = {"type": "event.forward", "event": event}
    for user_id in user_ids:
        try:
            async_to_sync(layer.group_send)(user_group(user_id), message)
        except Exception:  # live updates are best effort; the page still reloads fine
            logger.warning("live event to user %s not sent", user_id, exc_info=True)
