"""API views for direct messages: /conversations and /messages (SPEC §4), plus their documented additions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.serializers import media_url
from config.kernel.api import patterns
from config.kernel.api.fields import FlagField, IdField, TextField, parse_id
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import ChoiceParam, valid, valid_query
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, errors, list_schema
from config.kernel.ranges import ranged
from config.kernel.timefmt import iso_z
from social.messages import images, selectors, services
from social.messages.models import Conversation, Message, MessageImage
from social.messages.serializers import ConversationSerializer, MessageSerializer, conversation_json, message_json
from tweets import services as tweet_services
from tweets.models import Media
from tweets.serializers import MediaUploadedSerializer, MediaUploadSerializer

NO_CONVERSATION = services.NO_CONVERSATION
MESSAGE = inline_serializer("MessageResult", {"message": serializers.CharField()})
CONVERSATION = inline_serializer("ConversationResult", {"conversation": ConversationSerializer()})
TAGS = ["messages"]
NOT_YOURS = errors(s404="No such conversation (or not one of yours).")


def _view_or_404(user, raw_id: str):
    view = selectors.conversation_view(user, parse_id(raw_id))
    if view is None:
        raise NotFound(_("No such conversation."))
    return view


class ParticipantIdsField(serializers.ListField):
    """Ids of people, each once."""

    child = IdField(read_only=False)

    def to_internal_value(self, data):
        ids = super().to_internal_value(data)
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError(_("List each person once."))
        return ids


OTHERS = Conversation.MAX_PARTICIPANTS - 1


class ConversationStartSerializer(serializers.Serializer):
    participantIds = ParticipantIdsField(
        min_length=1, max_length=OTHERS, help_text=f"The others: 1 to {OTHERS} people (you are in it anyway)."
    )
    title = TextField(required=False, allow_blank=True, default="", max_length=Conversation.TITLE_MAX)
    isGroup = FlagField(required=False, allow_null=True, default=None)

    # `isGroup: false` is a one-to-one conversation: one other person.
    schema_rules = {
        "properties": {"participantIds": {"uniqueItems": True}},
        "anyOf": [
            {"not": {"required": ["isGroup"], "properties": {"isGroup": {"enum": [False]}}}},
            {"properties": {"participantIds": {"maxItems": 1}}},
        ],
    }


class ConversationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="conversations",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("ConversationList", "conversations", ConversationSerializer)},
        description="Your conversations, latest activity first, each with its last message and unread count.",
        tags=TAGS,
    )
    def get(self, request):
        views, cursor = selectors.inbox_page(request.user, PageRequest.from_query(request.query_params))
        return Response(page_body("conversations", [conversation_json(v, request) for v in views], cursor))

    @extend_schema(
        operation_id="conversation_start",
        request=ConversationStartSerializer,
        responses={
            201: CONVERSATION,
            200: CONVERSATION,
            **errors(
                s403="Only yourself, or someone you may not message (a block, their setting).",
                s404="No such user.",
            ),
        },
        parameters=[IDEMPOTENCY_PARAMETER],
        description=(
            "One other person: your one-to-one conversation with them (200 if it already existed). "
            "More, a `title` or `isGroup: true`: a new group of 2 to 50 people, you included."
        ),
        tags=TAGS,
    )
    @idempotent
    def post(self, request):
        data = valid(ConversationStartSerializer, request.data)
        conversation, created = services.conversation_start(
            creator=request.user, participant_ids=data["participantIds"], title=data["title"], is_group=data["isGroup"]
        )
        view = selectors.conversation_view(request.user, conversation.pk)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response({"conversation": conversation_json(view, request)}, status=answer)


class ConversationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="conversation", responses={200: CONVERSATION, **NOT_YOURS}, tags=TAGS)
    def get(self, request, conversation_id: str):
        return Response({"conversation": conversation_json(_view_or_404(request.user, conversation_id), request)})


class ParticipantsSerializer(serializers.Serializer):
    participantIds = ParticipantIdsField(min_length=1, max_length=OTHERS)

    schema_rules = {"properties": {"participantIds": {"uniqueItems": True}}}


class ParticipantsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="conversation_add_participants",
        request=ParticipantsSerializer,
        responses={
            200: CONVERSATION,
            **NOT_YOURS,
            **errors(
                s403="Not the group's creator, or someone not every member may message.",
                s404="No such conversation (or not one of yours), or no such user.",
                s409="A one-to-one conversation, everyone is in it already, or the group would pass 50 people.",
            ),
        },
        description="The group's creator adds people every member may message; they see what is said from now on.",
        tags=TAGS,
    )
    def post(self, request, conversation_id: str):
        data = valid(ParticipantsSerializer, request.data)
        services.participants_add(
            actor=request.user, conversation_id=parse_id(conversation_id), user_ids=data["participantIds"]
        )
        return Response({"conversation": conversation_json(_view_or_404(request.user, conversation_id), request)})


class LeaveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="conversation_leave",
        request=None,
        responses={200: MESSAGE, **NOT_YOURS, **errors(s409="A one-to-one conversation: it can't be left.")},
        tags=TAGS,
    )
    def post(self, request, conversation_id: str):
        services.conversation_leave(user=request.user, conversation_id=parse_id(conversation_id))
        return Response({"message": "You left the group."})


class ReadSerializer(serializers.Serializer):
    messageId = IdField(read_only=False, required=False)


class ReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="conversation_read",
        request=ReadSerializer,
        responses={200: inline_serializer("ReadMarker", {"lastReadMessageId": IdField()}), **NOT_YOURS},
        description="Move your read marker to `messageId`, or to the newest message.",
        tags=TAGS,
    )
    def post(self, request, conversation_id: str):
        data = valid(ReadSerializer, request.data)
        marker = services.conversation_read(
            user=request.user, conversation_id=parse_id(conversation_id), up_to=data.get("messageId")
        )
        return Response({"lastReadMessageId": str(marker)})


class MessageSendSerializer(serializers.Serializer):
    recipientId = IdField(read_only=False, required=False)
    conversationId = IdField(read_only=False, required=False)
    messageText = TextField(
        required=False, allow_blank=True, default="", trim_whitespace=False, max_length=Message.MAX_LENGTH
    )
    mediaId = IdField(read_only=False, required=False)

    # To one conversation (`conversationId`) or one person (`recipientId`), with text or an image.
    schema_rules = {
        "allOf": [
            {"oneOf": [{"required": ["conversationId"]}, {"required": ["recipientId"]}]},
            {
                "anyOf": [
                    {
                        "required": ["messageText"],
                        "properties": {"messageText": {"pattern": patterns.MESSAGE_NOT_BLANK}},
                    },
                    {"required": ["mediaId"]},
                ]
            },
        ]
    }


SENT = inline_serializer(
    "MessageSent", {"messageId": IdField(), "conversationId": IdField(), "timestamp": serializers.DateTimeField()}
)


class MessagesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="messages",
        parameters=[
            OpenApiParameter(
                "conversationId", {"type": "string", "pattern": patterns.ID}, description="A conversation you are in."
            ),
            OpenApiParameter(
                "chatWithUserId",
                {"type": "string", "minLength": 1},
                description="Or: your one-to-one conversation with this person (an id or a username).",
            ),
            *PAGE_PARAMETERS,
        ],
        responses={
            200: list_schema("MessageList", "messages", MessageSerializer),
            **errors(s404="No such conversation (or not one of yours), or no such user."),
        },
        description=(
            "Newest first; `nextCursor` pages back in time. With `conversationId` (which wins when both are "
            "given), that conversation; with `chatWithUserId`, your one-to-one conversation with them (empty if "
            "you haven't talked); with neither, every message in all your conversations. Reading the newest page "
            "of one conversation marks it read."
        ),
        tags=TAGS,
    )
    def get(self, request):
        page = PageRequest.from_query(request.query_params)
        query = request.query_params
        if "conversationId" not in query and "chatWithUserId" not in query:
            rows, cursor = selectors.all_messages_page(request.user, page)
            return Response(page_body("messages", [message_json(m, request) for m in rows], cursor))
        member = self._member(request)
        if member is None:
            return Response(page_body("messages", [], None))
        rows, cursor = selectors.history_page(member, page)
        if page.cursor is None and rows:
            services.conversation_read(user=request.user, conversation_id=member.conversation_id, up_to=rows[0].pk)
        return Response(page_body("messages", [message_json(m, request) for m in rows], cursor))

    def _member(self, request):
        query = request.query_params
        if "conversationId" in query:
            member = selectors.membership(request.user, parse_id(query["conversationId"]))
            if member is None:
                raise NotFound(_("No such conversation."))
            return member
        other = account_selectors.user_by_handle(query["chatWithUserId"])
        if other is None:
            raise NotFound(_("No such user."))
        return selectors.one_to_one_with(request.user, other)  # None: you haven't talked yet

    @extend_schema(
        operation_id="message_send",
        request=MessageSendSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: SENT,
            **errors(
                s403="A block, their setting, or (to yourself) no one else to write to.",
                s404="No such conversation (or not one of yours), user or image.",
            ),
        },
        description=(
            "To `conversationId`, or to `recipientId` (your one-to-one conversation, started if needed). "
            "Text up to 10,000 characters; `mediaId` from `POST /media/upload` with `purpose=message`."
        ),
        tags=TAGS,
    )
    @idempotent
    def post(self, request):
        data = valid(MessageSendSerializer, request.data)
        message = services.message_send(
            sender=request.user,
            text=data["messageText"],
            conversation_id=data.get("conversationId"),
            recipient_id=data.get("recipientId"),
            media_id=data.get("mediaId"),
        )
        return Response(
            {
                "messageId": str(message.pk),
                "conversationId": str(message.conversation_id),
                "timestamp": iso_z(message.created_at),
            },
            status=status.HTTP_201_CREATED,
        )


class MessageView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_delete",
        responses={200: MESSAGE, **errors(s404="No such message (or not one you can see).")},
        description="Delete a message for yourself: it leaves your view only; the others keep it.",
        tags=TAGS,
    )
    def delete(self, request, message_id: str):
        services.message_hide(user=request.user, message_id=parse_id(message_id))
        return Response({"message": "Message deleted for you."})


class ImageSizeSerializer(serializers.Serializer):
    size = ChoiceParam(["thumb"], message="Leave it out, or ask for thumb.")


class MessageMediaView(APIView):
    """A direct-message image or video, to its conversation's members (or its uploader before it is sent)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_media",
        parameters=[
            OpenApiParameter(
                "size", str, enum=["thumb"], description="The thumbnail (the image itself until one is made)."
            )
        ],
        responses={
            (200, "image/*"): bytes,
            (200, "video/mp4"): bytes,
            (206, "video/mp4"): bytes,
            302: None,
            **errors(s404="No such image (or not one of your conversations')."),
        },
        description="The image or video (an MP4; `size=thumb`: its poster) itself, or (with S3) a redirect to a "
        "URL signed for five minutes. 404 to others. A single `Range: bytes=start-end` gets 206 with that part "
        "(how players seek); a range past the end 416.",
        tags=TAGS,
    )
    def get(self, request, image_id: str):
        size = valid_query(ImageSizeSerializer, request.query_params).get("size")
        image = selectors.image_for_viewer(request.user, parse_id(image_id))
        if image is None or not image.is_ready:  # processing, or failed: nothing to show yet
            raise NotFound(_("No such image."))
        return ranged(request, images.response(image, thumbnail=size == "thumb"))  # a video seeks by ranges


# --- uploads: one endpoint for post images and message images (above both apps) -----------


class MediaUploadView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="media_upload",
        request={
            "multipart/form-data": OpenApiRequest(
                MediaUploadSerializer,
                encoding={
                    "file": {
                        "contentType": "image/jpeg, image/png, image/gif, image/webp, video/mp4, video/quicktime, "
                        "video/webm"
                    }
                },
            )
        },
        responses={
            201: MediaUploadedSerializer,
            **errors(
                s400="Not an image or video we take (what the bytes are decides), damaged, empty, or bad fields.",
                s413="An image over 5 MB or 40 megapixels; a video over 100 MB (refused while it streams in), "
                "2 min 20 s or 4096x4096 pixels a frame.",
            ),
        },
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["tweets"],
    )
    @idempotent
    def post(self, request):
        data = valid(MediaUploadSerializer, request.data)
        if data["purpose"] == "message":
            item = services.message_image_upload(owner=request.user, upload=data["file"], alt_text=data["altText"])
        else:
            item = tweet_services.media_upload(owner=request.user, upload=data["file"], alt_text=data["altText"])
        return Response(uploaded_json(item, request), status=status.HTTP_201_CREATED)


def uploaded_json(item, request) -> dict:
    """An upload as its owner sees it: `state` is `processing` until the worker has made it (then a URL)."""
    if isinstance(item, Media):
        url = media_url(request, item.file)
    else:  # a direct-message image: only through the access-checked view
        url = request.build_absolute_uri(reverse("api-message-media", args=[item.pk])) if item.is_ready else None
    return {
        "mediaId": str(item.pk),
        "mediaUrl": url,
        "metadata": {
            "type": getattr(item, "kind", "image"),
            "state": item.state,
            "contentType": item.content_type,
            "width": item.width,
            "height": item.height,
            "size": item.size,
            "altText": item.alt_text,
            **({"failure": item.failure} if item.failure else {}),
            **_video_metadata(item, url, request),
        },
    }


def _video_metadata(item, url: str | None, request) -> dict:
    """A video's or GIF's length, poster and blurhash, once processed."""
    if getattr(item, "kind", "image") == "image" or not item.is_ready:
        return {}
    if isinstance(item, Media):
        preview = media_url(request, item.thumbnail)
    else:
        preview = f"{url}?size=thumb" if url and item.thumbnail else None
    return {"duration": item.duration, "previewUrl": preview, "blurhash": item.blurhash or None}


class MediaDetailView(APIView):
    """An upload of one's own: poll it until `state` is `ready` (or `failed`)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="media_detail", responses={200: MediaUploadedSerializer}, tags=["tweets"])
    def get(self, request, media_id: str):
        pk = parse_id(media_id)
        item = (
            Media.objects.filter(pk=pk, owner=request.user).first()
            or MessageImage.objects.filter(pk=pk, owner=request.user).first()
        )
        if item is None:
            raise NotFound(_("No such upload of yours."))
        return Response(uploaded_json(item, request))
