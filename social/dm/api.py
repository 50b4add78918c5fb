"""API views for direct messages: /conversations and /messages (SPEC §4), plus their documented additions."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from config.api.fields import IdField, parse_id
from config.api.idempotency import idempotent
from config.api.pagination import PageRequest, page_body
from config.api.schema import PAGE_PARAMETERS, list_schema
from social.dm import images, selectors, services
from social.dm.serializers import ConversationSerializer, MessageSerializer, conversation_json, message_json

NO_CONVERSATION = services.NO_CONVERSATION
MESSAGE = inline_serializer("MessageResult", {"message": serializers.CharField()})
CONVERSATION = inline_serializer("ConversationResult", {"conversation": ConversationSerializer()})
TAGS = ["messages"]


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _view_or_404(user, raw_id: str):
    view = selectors.conversation_view(user, parse_id(raw_id))
    if view is None:
        raise NotFound(NO_CONVERSATION)
    return view


class ConversationStartSerializer(serializers.Serializer):
    participantIds = serializers.ListField(child=IdField(read_only=False), min_length=1, max_length=100)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    isGroup = serializers.BooleanField(required=False, allow_null=True, default=None)


class ConversationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="conversations",
        parameters=PAGE_PARAMETERS,
        responses=list_schema("ConversationList", "conversations", ConversationSerializer),
        description="Your conversations, latest activity first, each with its last message and unread count.",
        tags=TAGS,
    )
    def get(self, request):
        views, cursor = selectors.inbox_page(request.user, PageRequest.from_query(request.query_params))
        return Response(page_body("conversations", [conversation_json(v, request) for v in views], cursor))

    @extend_schema(
        operation_id="conversation_start",
        request=ConversationStartSerializer,
        responses={201: CONVERSATION, 200: CONVERSATION},
        description=(
            "One other person: your one-to-one conversation with them (200 if it already existed). "
            "More, a `title` or `isGroup: true`: a new group of 2 to 50 people, you included."
        ),
        tags=TAGS,
    )
    def post(self, request):
        data = _valid(ConversationStartSerializer, request)
        conversation, created = services.conversation_start(
            creator=request.user, participant_ids=data["participantIds"], title=data["title"], is_group=data["isGroup"]
        )
        view = selectors.conversation_view(request.user, conversation.pk)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response({"conversation": conversation_json(view, request)}, status=answer)


class ConversationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="conversation", responses=CONVERSATION, tags=TAGS)
    def get(self, request, conversation_id: str):
        return Response({"conversation": conversation_json(_view_or_404(request.user, conversation_id), request)})


class ParticipantsSerializer(serializers.Serializer):
    participantIds = serializers.ListField(child=IdField(read_only=False), min_length=1, max_length=100)


class ParticipantsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="conversation_add_participants",
        request=ParticipantsSerializer,
        responses=CONVERSATION,
        description="The group's creator adds people every member may message; they see what is said from now on.",
        tags=TAGS,
    )
    def post(self, request, conversation_id: str):
        data = _valid(ParticipantsSerializer, request)
        services.participants_add(
            actor=request.user, conversation_id=parse_id(conversation_id), user_ids=data["participantIds"]
        )
        return Response({"conversation": conversation_json(_view_or_404(request.user, conversation_id), request)})


class LeaveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="conversation_leave", request=None, responses=MESSAGE, tags=TAGS)
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
        responses=inline_serializer("ReadMarker", {"lastReadMessageId": IdField()}),
        description="Move your read marker to `messageId`, or to the newest message.",
        tags=TAGS,
    )
    def post(self, request, conversation_id: str):
        data = _valid(ReadSerializer, request)
        marker = services.conversation_read(
            user=request.user, conversation_id=parse_id(conversation_id), up_to=data.get("messageId")
        )
        return Response({"lastReadMessageId": str(marker)})


class MessageSendSerializer(serializers.Serializer):
    recipientId = IdField(read_only=False, required=False)
    conversationId = IdField(read_only=False, required=False)
    messageText = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    mediaId = IdField(read_only=False, required=False)


SENT = inline_serializer(
    "MessageSent", {"messageId": IdField(), "conversationId": IdField(), "timestamp": serializers.DateTimeField()}
)


class MessagesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="messages",
        parameters=[
            OpenApiParameter("conversationId", str, description="A conversation you are in."),
            OpenApiParameter("chatWithUserId", str, description="Or: your one-to-one conversation with this person."),
            *PAGE_PARAMETERS,
        ],
        responses=list_schema("MessageList", "messages", MessageSerializer),
        description="Newest first; `nextCursor` pages back in time. Reading the newest page marks it read.",
        tags=TAGS,
    )
    def get(self, request):
        page = PageRequest.from_query(request.query_params)
        member = self._member(request)
        if member is None:
            return Response(page_body("messages", [], None))
        rows, cursor = selectors.history_page(member, page)
        if page.cursor is None and rows:
            services.conversation_read(user=request.user, conversation_id=member.conversation_id, up_to=rows[0].pk)
        return Response(page_body("messages", [message_json(m, request) for m in rows], cursor))

    def _member(self, request):
        query = request.query_params
        if query.get("conversationId"):
            member = selectors.membership(request.user, parse_id(query["conversationId"]))
            if member is None:
                raise NotFound(NO_CONVERSATION)
            return member
        if query.get("chatWithUserId"):
            other = account_selectors.user_by_handle(query["chatWithUserId"])
            if other is None:
                raise NotFound("No such user.")
            return selectors.one_to_one_with(request.user, other)  # None: you haven't talked yet
        raise ValidationError({"conversationId": ["Give a conversationId or a chatWithUserId."]})

    @extend_schema(
        operation_id="message_send",
        request=MessageSendSerializer,
        responses={201: SENT},
        description=(
            "To `conversationId`, or to `recipientId` (your one-to-one conversation, started if needed). "
            "Text up to 10,000 characters; `mediaId` from `POST /media/upload` with `purpose=message`."
        ),
        tags=TAGS,
    )
    @idempotent
    def post(self, request):
        data = _valid(MessageSendSerializer, request)
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
                "timestamp": message.created_at.isoformat().replace("+00:00", "Z"),
            },
            status=status.HTTP_201_CREATED,
        )


class MessageView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_delete",
        responses=MESSAGE,
        description="Delete a message for yourself: it leaves your view only; the others keep it.",
        tags=TAGS,
    )
    def delete(self, request, message_id: str):
        services.message_hide(user=request.user, message_id=parse_id(message_id))
        return Response({"message": "Message deleted for you."})


class MessageMediaView(APIView):
    """A direct-message image, to its conversation's members (or its uploader before it is sent)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_media",
        parameters=[OpenApiParameter("size", str, enum=["thumb"], description="The thumbnail, once made.")],
        responses={(200, "image/*"): bytes, 302: None},
        description="The image itself, or (with S3) a redirect to a URL signed for five minutes. 404 to others.",
        tags=TAGS,
    )
    def get(self, request, image_id: str):
        image = selectors.image_for_viewer(request.user, parse_id(image_id))
        if image is None or not image.is_ready:  # processing, or failed: nothing to show yet
            raise NotFound("No such image.")
        return images.response(image, thumbnail=request.query_params.get("size") == "thumb")
