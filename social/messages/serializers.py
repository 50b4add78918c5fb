"""Direct messages as the API writes them (plain functions; the Serializer classes describe them)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from config.kernel.api.fields import IdField
from config.kernel.timefmt import iso_z
from social.messages.models import Message, MessageImage
from social.messages.selectors import ConversationView
from tweets.serializers import AuthorSerializer, author_json


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def image_json(image: MessageImage, request=None) -> dict:
    url = _absolute(request, reverse("api-message-media", args=[image.pk])) if image.is_ready else None
    return {
        "id": str(image.pk),
        "state": image.state,  # processing (no url yet), ready, or failed
        "url": url,
        "thumbnailUrl": f"{url}?size=thumb" if url and image.thumbnail else None,
        "type": image.kind,
        "width": image.width,
        "height": image.height,
        "altText": image.alt_text,
        "previewUrl": f"{url}?size=thumb" if url and image.thumbnail and image.kind != "image" else None,
        "duration": image.duration,
        "blurhash": image.blurhash or None,
    }


def message_core_json(message: Message) -> dict:
    """The fields that need no request: the API's and the data export's (social/messages/account_data.py)."""
    return {"id": str(message.pk), "text": message.text, "createdAt": iso_z(message.created_at)}


def message_json(message: Message, request=None) -> dict:
    return {
        **message_core_json(message),
        "conversationId": str(message.conversation_id),
        "sender": author_json(message.sender, request),
        "media": image_json(message.image, request) if message.image_id else None,
    }


def conversation_json(view: ConversationView, request=None) -> dict:
    """Inactive members (suspended, or being deleted) are left out; a deleted one is gone already."""
    conversation = view.conversation
    hidden = {member.user_id for member in view.members} - {member.user_id for member in view.visible_members}
    creator = conversation.created_by_id if conversation.created_by_id not in hidden else None
    return {
        "id": str(conversation.pk),
        "isGroup": conversation.is_group,
        "title": conversation.title,
        "createdBy": str(creator) if creator else None,
        "participants": [
            {**author_json(member.user, request), "lastReadMessageId": str(member.last_read_id or "") or None}
            for member in view.visible_members
        ],
        "lastMessage": message_json(view.last_message, request) if view.last_message else None,
        "unreadCount": view.unread,
        "readOnly": view.read_only,
        "readOnlyReason": view.refusal,
    }


class MessageImageSerializer(serializers.Serializer):
    id = IdField()
    state = serializers.ChoiceField(choices=["processing", "ready", "failed"])
    url = serializers.URLField(allow_null=True, help_text="Null until the image is ready (`state`).")
    thumbnailUrl = serializers.URLField(allow_null=True)
    type = serializers.ChoiceField(["image", "gif", "video"], help_text="`gif` and `video`: an MP4 once ready.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    altText = serializers.CharField()
    previewUrl = serializers.URLField(allow_null=True, help_text="A video's or GIF's poster (WebP); else null.")
    duration = serializers.FloatField(allow_null=True, help_text="Seconds (videos and GIFs, once ready).")
    blurhash = serializers.CharField(allow_null=True, help_text="The poster's blurhash; null for images.")


class MessageSerializer(serializers.Serializer):
    id = IdField()
    conversationId = IdField()
    sender = AuthorSerializer()
    text = serializers.CharField()
    media = MessageImageSerializer(allow_null=True)
    createdAt = serializers.DateTimeField()


class ParticipantSerializer(AuthorSerializer):
    lastReadMessageId = IdField(allow_null=True)


class ConversationSerializer(serializers.Serializer):
    id = IdField()
    isGroup = serializers.BooleanField()
    title = serializers.CharField()
    createdBy = IdField(allow_null=True)
    participants = ParticipantSerializer(many=True)
    lastMessage = MessageSerializer(allow_null=True)
    unreadCount = serializers.IntegerField()
    readOnly = serializers.BooleanField(
        help_text="You can only read: a block stands between you and someone here, their setting, "
        "or (one to one) the other account was deleted or isn't available."
    )
    readOnlyReason = serializers.CharField(allow_null=True)
