"""Live events for direct messages, to members with a socket open, after the commit."""

from __future__ import annotations

from django.db import transaction

from config.kernel.tasks import enqueue
from notifications import catalogue, presence
from notifications.events import send_event_on_commit
from social.messages.models import Message


def message_sent(message: Message, member_ids: list[int]) -> None:
    """`message` to every member online (the sender's other tabs too); their unread counts follow."""
    from notifications.tasks import push_unread

    online = presence.online(member_ids)
    if not online:
        return
    from social.messages.serializers import message_json

    send_event_on_commit(online, catalogue.message(message.conversation_id, message_json(message)))
    for user_id in online:
        if user_id != message.sender_id:
            transaction.on_commit(lambda user_id=user_id: enqueue(push_unread, user_id))


def marker_moved(conversation_id: int, reader_id: int, message_id: int, member_ids: list[int]) -> None:
    """Someone read up to `message_id`: their "seen" marks move on the others' open pages."""
    from notifications.tasks import push_unread

    online = presence.online(member_ids)
    send_event_on_commit(online, catalogue.message_read(conversation_id, reader_id, message_id))
    if reader_id in online:
        transaction.on_commit(lambda: enqueue(push_unread, reader_id))
