"""The live events' catalogue: one builder and one schema per event type (SPEC §4, docs/API.md "Live events").

Every place that sends something over /ws/ (or to the consumers behind it)
builds it here, and each builder checks what it built against its type's
JSON Schema, so a field can't drift from what docs/API.md promises
(tests/notifications/test_events_catalogue.py makes each real action and
checks what arrives).

Three kinds of type:
- pushed events (`PUSHED`) go to a user's sockets through
  `notifications.events.send_event_on_commit`. Each carries an `id` that names
  what it reports, so a redelivered task (Celery runs tasks at least once)
  sends the same id again and clients drop the repeat. `unread` is the
  exception: it states the current counts, so each gets a fresh id.
- replies (`REPLIES`): what the consumer answers a client's own frame.
- control messages (`CONTROL`) go the same way as pushed events but are meant
  for the consumers, which act on them and never forward them.
"""

from __future__ import annotations

import uuid
from functools import cache

from jsonschema import Draft202012Validator

DIGITS = {"type": "string", "pattern": r"^[0-9]+$"}
TEXT = {"type": "string"}


def _object(properties: dict, *, required: tuple[str, ...] | None = None, exact: bool = True) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": not exact,
    }


def _event(kind: str, id_pattern: str | None, **fields: dict) -> dict:
    head = {"type": {"const": kind}}
    if id_pattern:
        head["id"] = {"type": "string", "pattern": f"^{id_pattern}$"}
    return _object({**head, **fields})


SCHEMAS: dict[str, dict] = {
    "notification": _event(
        "notification",
        r"notification:[0-9]+",
        # As `GET /notifications` writes it; its full shape is the API schema's.
        notification=_object({"id": DIGITS, "type": TEXT}, exact=False),
        html=TEXT,
    ),
    "unread": _event(
        "unread",
        r"unread:[0-9a-f]{32}",
        notifications={"type": "integer", "minimum": 0},
        messages={"type": "integer", "minimum": 0},
    ),
    # With `listId` (feat-lists): new in that list's timeline rather than in home.
    "timeline.new": _object(
        {
            "type": {"const": "timeline.new"},
            "id": {"type": "string", "pattern": r"^timeline\.new:[0-9]+(:list:[0-9]+)?$"},
            "entryId": DIGITS,
            "authorId": DIGITS,
            "listId": DIGITS,
        },
        required=("type", "id", "entryId", "authorId"),
    ),
    "message": _event(
        "message",
        r"message:[0-9]+",
        conversationId=DIGITS,
        # As the Direct messages API writes it.
        message=_object({"id": DIGITS}, exact=False),
    ),
    "message.read": _event(
        "message.read",
        r"message\.read:[0-9]+:[0-9]+:[0-9]+",
        conversationId=DIGITS,
        userId=DIGITS,
        messageId=DIGITS,
    ),
    "pong": _event("pong", None),
    "error": _event("error", None, error=TEXT),
    "auth.check": _object(
        {
            "type": {"const": "auth.check"},
            "keep": {"type": "string", "pattern": "^[0-9a-f]{64}$"},  # a session's fingerprint
            "moved": {"type": "array", "prefixItems": [{"type": "string"}, TEXT], "minItems": 2, "maxItems": 2},
        },
        required=("type",),
    ),
    # The person's muted words changed; Mastodon's streaming consumers tell their clients (`filters_changed`).
    "muted_words.changed": _event("muted_words.changed", None),
}
PUSHED = frozenset({"notification", "unread", "timeline.new", "message", "message.read"})
REPLIES = frozenset({"pong", "error"})
CONTROL = frozenset({"auth.check", "muted_words.changed"})
# The keys each type carries besides `type` and `id` (docs/API.md lists them).
KEYS = {kind: set(schema["properties"]) - {"type", "id"} for kind, schema in SCHEMAS.items()}


class InvalidEvent(ValueError):
    """A builder made something its schema refuses: a bug, never a user's doing."""


@cache
def _validator(kind: str) -> Draft202012Validator:
    Draft202012Validator.check_schema(SCHEMAS[kind])
    return Draft202012Validator(SCHEMAS[kind])


def validate(event: dict) -> dict:
    """`event`, if it matches its type's schema; InvalidEvent otherwise (a few microseconds)."""
    kind = event.get("type") if isinstance(event, dict) else None
    if kind not in SCHEMAS:
        raise InvalidEvent(f"unknown live event type {kind!r}")
    error = next(_validator(kind).iter_errors(event), None)
    if error is not None:
        raise InvalidEvent(f"{kind} event: {error.message} at {list(error.absolute_path)}")
    return event


# --- pushed ---------------------------------------------------------------------------------


def notification(notification: dict, html: str) -> dict:
    """A new notification, as `GET /notifications` writes it (`notification`) and as the page draws it."""
    return validate(
        {
            "type": "notification",
            "id": f"notification:{notification['id']}",
            "notification": notification,
            "html": html,
        }
    )


def unread(notifications: int, messages: int) -> dict:
    """The unread counts now: notifications, and conversations with unread messages."""
    return validate(
        {"type": "unread", "id": f"unread:{uuid.uuid4().hex}", "notifications": notifications, "messages": messages}
    )


def timeline_new(entry_id: int, author_id: int, *, list_id: int | None = None) -> dict:
    event = {
        "type": "timeline.new",
        "id": f"timeline.new:{entry_id}",
        "entryId": str(entry_id),
        "authorId": str(author_id),
    }
    if list_id is not None:
        event["id"] += f":list:{list_id}"
        event["listId"] = str(list_id)
    return validate(event)


def message(conversation_id: int, message: dict) -> dict:
    return validate(
        {
            "type": "message",
            "id": f"message:{message['id']}",
            "conversationId": str(conversation_id),
            "message": message,
        }
    )


def message_read(conversation_id: int, user_id: int, message_id: int) -> dict:
    return validate(
        {
            "type": "message.read",
            "id": f"message.read:{conversation_id}:{user_id}:{message_id}",
            "conversationId": str(conversation_id),
            "userId": str(user_id),
            "messageId": str(message_id),
        }
    )


# --- replies to a client's frame --------------------------------------------------------------


def pong() -> dict:
    return validate({"type": "pong"})


def error(text: str) -> dict:
    return validate({"type": "error", "error": text})


# --- control, for the consumers -----------------------------------------------------------------


def auth_check(*, keep: str | None = None, moved: tuple[str, str] | None = None) -> dict:
    """Each consumer checks its credentials again. `keep`: the fingerprint of a session whose
    sockets wait; `moved`: (old fingerprint, new session key), whose sockets adopt the new key."""
    event: dict = {"type": "auth.check"}
    if keep:
        event["keep"] = keep
    if moved:
        event["moved"] = list(moved)
    return validate(event)


def muted_words_changed() -> dict:
    """The person's muted words changed: for Mastodon's streams (Chirp's pages read them on load)."""
    return validate({"type": "muted_words.changed"})
