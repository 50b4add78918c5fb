"""An account's direct messages, for its erasure and its data export (connected in config/wiring.py)."""

from __future__ import annotations

from collections import defaultdict
from itertools import batched

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from config.kernel import media
from config.kernel.tasks import after_commit
from social.messages.models import Conversation, HiddenMessage, Message, MessageImage, Participant
from social.messages.selectors import ConversationView, visible_messages
from social.messages.serializers import message_core_json


@transaction.atomic
def erase_user(*, user: User) -> None:
    """Their messages and images leave every conversation; they leave every conversation.

    A one-to-one conversation stays for the other person (it reads as "Deleted
    account"); a conversation nobody is left in goes.
    """
    conversation_ids = list(Participant.objects.filter(user=user).values_list("conversation_id", flat=True))
    images = list(MessageImage.objects.filter(owner=user))
    Message.objects.filter(sender=user).delete()
    HiddenMessage.objects.filter(user=user).delete()
    MessageImage.objects.filter(owner=user).delete()
    Participant.objects.filter(user=user).delete()
    Conversation.objects.filter(created_by=user).update(created_by=None)
    Conversation.objects.filter(pk__in=conversation_ids, members__isnull=True).delete()
    # Inbox order and unread badges follow the newest message; theirs may have been it.
    for chunk in batched(conversation_ids, 1000):
        newest = Coalesce(
            Subquery(
                Message.objects.filter(conversation_id=OuterRef("conversation_id")).order_by("-id").values("id")[:1]
            ),
            F("last_read_id"),
        )
        Participant.objects.filter(conversation_id__in=chunk, last_activity_id__gt=newest).update(
            last_activity_id=newest
        )
    after_commit(media.delete_files, images)


def export_user(*, user: User, files) -> list[tuple[str, list[dict]]]:
    """Their conversations with the messages they can see; only their own images are copied."""
    mine = list(
        Participant.objects.filter(user=user).select_related("conversation", "user").order_by("conversation_id")
    )
    members: dict[int, list[Participant]] = defaultdict(list)
    for member in (
        Participant.objects.filter(conversation_id__in=[m.conversation_id for m in mine])
        .select_related("user")
        .order_by("joined_at", "pk")
    ):
        members[member.conversation_id].append(member)
    found = []
    for member in mine:
        view = ConversationView(member=member, members=members[member.conversation_id])
        messages = [
            _message(message, user, files)
            for message in visible_messages(member).order_by("id").iterator(chunk_size=500)
        ]
        found.append(
            {
                "id": str(member.conversation_id),
                "isGroup": view.conversation.is_group,
                "name": view.name,
                "participants": [
                    {"id": str(m.user_id), "username": m.user.username, "name": m.user.name}
                    for m in sorted(view.visible_members, key=lambda m: m.user_id)
                ],
                "messages": messages,
            }
        )
    return [("messages.json", found)]


def _message(message: Message, user: User, files) -> dict:
    media = None
    if message.image_id:
        image = message.image
        own = image.owner_id == user.pk
        media = {
            "file": files.add(image.file.storage, image.file.name, "messages", str(message.pk))
            if own and image.is_ready
            else None,
            "altText": image.alt_text,
        }
    return {
        **message_core_json(message),
        "sender": {"id": str(message.sender_id), "username": message.sender.username},
        "media": media,
    }
