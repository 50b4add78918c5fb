"""Live events for direct messages, to members with a socket open, after the commit."""

from __future__ import annotations

from config.kernel.tasks import enqueue_on_commit
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
            enqueue_on_commit(push_unread, user_id)


def marker_moved(conversation_id: int, reader_id: int, message_id: int, member_ids: list[int]) -> None:
    """Someone read up to `message_id`: their "seen" marks move on the others' open pages."""
    from notifications.tasks import push_unread

    online = presence.online(member_ids)
    send_event_on_commit(online, catalogue.message_read(conversation_id, reader_id, message_id))
    if reader_id in online:
        enqueue_on_commit(push_unread, reader_id)
