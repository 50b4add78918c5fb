"""The live events' catalogue: one builder per event type (SPEC §4, docs/API.md "Live events").

Every event carries an `id` that names what it reports, so a redelivered
task (Celery runs tasks at least once) sends the same id again and clients
drop the repeat. `unread` is the exception: it states the current counts,
so showing it twice is harmless and each gets a fresh id.
"""

from __future__ import annotations

import uuid

# The keys each type carries besides `type` and `id` (docs/API.md lists them).
KEYS = {
    "notification": {"notification", "html"},
    "unread": {"notifications", "messages"},
    "timeline.new": {"entryId", "authorId"},
    "message": {"conversationId", "message"},
    "message.read": {"conversationId", "userId", "messageId"},
}


def notification(notification: dict, html: str) -> dict:
    """A new notification, as `GET /notifications` writes it (`notification`) and as the page draws it."""
    return {
        "type": "notification",
        "id": f"notification:{notification['id']}",
        "notification": notification,
        "html": html,
    }


def unread(notifications: int, messages: int) -> dict:
    """The unread counts now: notifications, and conversations with unread messages."""
    return {"type": "unread", "id": f"unread:{uuid.uuid4().hex}", "notifications": notifications, "messages": messages}


def timeline_new(entry_id: int, author_id: int) -> dict:
    return {
        "type": "timeline.new",
        "id": f"timeline.new:{entry_id}",
        "entryId": str(entry_id),
        "authorId": str(author_id),
    }


def message(conversation_id: int, message: dict) -> dict:
    return {
        "type": "message",
        "id": f"message:{message['id']}",
        "conversationId": str(conversation_id),
        "message": message,
    }


def message_read(conversation_id: int, user_id: int, message_id: int) -> dict:
    return {
        "type": "message.read",
        "id": f"message.read:{conversation_id}:{user_id}:{message_id}",
        "conversationId": str(conversation_id),
        "userId": str(user_id),
        "messageId": str(message_id),
    }
