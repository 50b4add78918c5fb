"""API views for notifications."""

from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services as account_services
from accounts.models import User
from config.kernel.api.fields import FlagField, StrictChoiceField, parse_id
from config.kernel.api.input import ChoiceParam, valid, valid_query
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, errors
from notifications import preferences, selectors, services
from notifications.models import Notification
from tweets.serializers import AuthorSerializer, TweetSerializer


class NotificationSerializer(serializers.Serializer):
    """For the schema; `selectors.notification_json` writes it."""

    id = serializers.CharField()
    type = serializers.ChoiceField(Notification.Verb.values)
    actor = AuthorSerializer()
    tweet = TweetSerializer(allow_null=True)
    createdAt = serializers.DateTimeField()
    read = serializers.BooleanField()


NOTIFICATION_LIST = inline_serializer(
    "NotificationList",
    {
        "notifications": NotificationSerializer(many=True),
        "nextCursor": serializers.CharField(allow_null=True),
        "unreadCount": serializers.IntegerField(),
    },
)
MESSAGE = inline_serializer("NotificationMessage", {"message": serializers.CharField()})


class NotificationGroupSerializer(serializers.Serializer):
    """For the schema; `selectors.group_json` writes it."""

    groupKey = serializers.CharField(
        help_text="The same on every page: a group split across pages is one line (merge by this key)."
    )
    type = serializers.ChoiceField(Notification.Verb.values)
    tweet = TweetSerializer(allow_null=True)
    actors = AuthorSerializer(many=True, help_text="The latest people in the group, newest first, up to 3.")
    count = serializers.IntegerField(help_text="How many people are in the group (on this page).")
    latestAt = serializers.DateTimeField()
    read = serializers.BooleanField(help_text="Every notification of the group is read.")
    notificationIds = serializers.ListField(child=serializers.CharField())


NOTIFICATION_GROUPS = inline_serializer(
    "NotificationGroupList",
    {
        "groups": NotificationGroupSerializer(many=True),
        "nextCursor": serializers.CharField(allow_null=True),
        "unreadCount": serializers.IntegerField(),
    },
)
NOTIFICATIONS_OR_GROUPS = PolymorphicProxySerializer(
    component_name="NotificationListOrGroups",
    serializers=[NOTIFICATION_LIST, NOTIFICATION_GROUPS],
    resource_type_field_name=None,
)


class TabQuerySerializer(serializers.Serializer):
    tab = ChoiceParam(selectors.TABS, message="Choose all or mentions.", default="all")
    grouped = ChoiceParam(("true", "false"), message="Choose true or false.", default="false")


class NotificationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications",
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter("tab", str, enum=list(selectors.TABS)),
            OpenApiParameter(
                "grouped", str, enum=["true", "false"],
                description="true: `groups` as the page shows them (likes, retweets and follows of one post on "
                "one day are one group) instead of `notifications`. `cursor` and `limit` count notifications.",
            ),
        ],
        responses=NOTIFICATIONS_OR_GROUPS,
        description="`unreadCount` is the Notifications badge: unread notifications but direct messages "
        "(the Messages badge counts those).",
        tags=["notifications"],
    )  # fmt: skip
    def get(self, request):
        query = valid_query(TabQuerySerializer, request.query_params)
        page = PageRequest.from_query(request.query_params)
        rows, cursor = selectors.notifications_page(request.user, page, query["tab"])
        if query["grouped"] == "true":
            body = page_body("groups", [selectors.group_json(g, request) for g in selectors.group(rows)], cursor)
        else:
            body = page_body("notifications", [selectors.notification_json(r, request) for r in rows], cursor)
        body["unreadCount"] = selectors.unread_count(request.user.pk)
        return Response(body)


class ReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="notification_read", request=None, responses=MESSAGE, tags=["notifications"])
    def post(self, request, notification_id: str):
        found = parse_id(notification_id)
        if found is None:
            raise NotFound("No such notification.")
        services.mark_read(recipient=request.user, notification_ids=[found])
        return Response({"message": "Marked as read."})


class ReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="notifications_read_all", request=None, responses=MESSAGE, tags=["notifications"])
    def post(self, request):
        count = services.mark_all_read(recipient=request.user)
        return Response({"message": f"Marked {count} as read."})


# --- privacy settings, notification preferences among them ------------------------------


@extend_schema_field(
    {
        "type": "object",
        "properties": {verb: {"type": "boolean"} for verb in Notification.Verb.values},
        "additionalProperties": False,
    }
)
class NotificationPrefsField(serializers.DictField):
    """Notification types on or off; an unknown type is 400 (the service says which)."""

    child = FlagField()


class PrivacySettingsSerializer(serializers.Serializer):
    isPrivate = FlagField(required=False)
    whoCanMessage = StrictChoiceField(choices=User.WhoCanMessage.values, required=False)
    notificationPrefs = NotificationPrefsField(
        required=False, help_text=f"Notification types on or off: {', '.join(Notification.Verb.values)}."
    )


class PrivacySettingsView(APIView):
    permission_classes = [IsAuthenticated]
    answer = inline_serializer("PrivacySettingsAnswer", {"privacySettings": PrivacySettingsSerializer()})

    def _answer(self, user):
        prefs = {verb: services.wants(user, verb) for verb in Notification.Verb.values}
        settings = {"isPrivate": user.is_private, "whoCanMessage": user.who_can_message, "notificationPrefs": prefs}
        return Response({"privacySettings": settings})

    @extend_schema(operation_id="privacy_get", responses=answer, tags=["accounts"])
    def get(self, request):
        return self._answer(request.user)

    @extend_schema(
        operation_id="privacy_update", request=PrivacySettingsSerializer, responses=answer, tags=["accounts"]
    )
    def put(self, request):
        data = valid(PrivacySettingsSerializer, request.data)
        user = account_services.privacy_update(
            user=request.user,
            is_private=data.get("isPrivate"),
            who_can_message=data.get("whoCanMessage"),
            notification_prefs=data.get("notificationPrefs"),
        )
        return self._answer(user)


# --- notification settings: every type by channel (notifications/preferences.py) ----------------

STRICT = {"additionalProperties": False}  # the server refuses a name it doesn't know: the schema says so


def _settings_serializers(suffix: str, required: bool):
    """The settings object for the schema: as answered (every part there), or as sent (any part of it)."""
    cells = type(
        f"NotificationTypeSettings{suffix}Serializer",
        (serializers.Serializer,),
        {
            "schema_rules": STRICT,
            "inApp": serializers.BooleanField(required=required, help_text="In the list, its badge and live."),
            "push": serializers.BooleanField(required=required, help_text="Web Push (with inApp only)."),
            "email": serializers.ChoiceField(preferences.EMAIL_CHOICES, required=required,
                                             help_text="Mail: never, at once, or in a digest (with inApp only)."),
        },
    )  # fmt: skip
    types = type(
        f"NotificationTypes{suffix}Serializer",
        (serializers.Serializer,),
        {"schema_rules": STRICT, **{verb: cells(required=required) for verb in preferences.TYPES}},
    )
    return type(
        f"NotificationSettings{suffix}Serializer",
        (serializers.Serializer,),
        {
            "schema_rules": STRICT,
            "types": types(required=required),
            "onlyFromFollowing": serializers.BooleanField(
                required=required, help_text="Only from people you follow (follow requests, your export and "
                "polls that ended come from anyone)."
            ),
            "weeklyDigest": serializers.BooleanField(required=required, help_text="The weekly email."),
        },
    )  # fmt: skip


NotificationSettingsSerializer = _settings_serializers("", required=True)
_Change = _settings_serializers("Change", required=False)
NotificationSettingsUpdateSerializer = type(
    "NotificationSettingsUpdateSerializer",
    (_Change,),
    {"notificationSettings": _Change(required=False, help_text="The same, wrapped as GET answers it.")},
)
NOTIFICATION_SETTINGS = inline_serializer(
    "NotificationSettingsAnswer", {"notificationSettings": NotificationSettingsSerializer()}
)


class NotificationSettingsView(APIView):
    """Every notification type by channel. PUT and PATCH both change only the parts sent."""

    permission_classes = [IsAuthenticated]

    def _answer(self, user):
        return Response({"notificationSettings": preferences.of(user).as_json()})

    @extend_schema(operation_id="notification_settings_get", responses=NOTIFICATION_SETTINGS, tags=["accounts"])
    def get(self, request):
        return self._answer(request.user)

    @extend_schema(
        operation_id="notification_settings_update",
        request=NotificationSettingsUpdateSerializer,
        responses=NOTIFICATION_SETTINGS,
        description="Any part of the settings (a wrapped `notificationSettings` part applies first); the answer "
        "is the whole new object. Bad input: 400 naming the part, and nothing changes.",
        tags=["accounts"],
    )
    def put(self, request):
        # The strict checks (true or false, not "true"; a known type) are the service's: the API and the
        # settings page refuse the same things.
        return self._answer(services.update_settings(user=request.user, changes=request.data))

    @extend_schema(
        operation_id="notification_settings_patch",
        request=NotificationSettingsUpdateSerializer,
        responses=NOTIFICATION_SETTINGS,
        description="The same as PUT.",
        tags=["accounts"],
    )
    def patch(self, request):
        return self.put(request)


# --- muting a conversation (the thread of a post) ---------------------------------------


CONVERSATION_MUTE_STATE = inline_serializer("ConversationMuteState", {"conversationMuted": serializers.BooleanField()})
CONVERSATION_GONE = errors(s404="No such post (or one you can't see).")


def _tweet_id(raw) -> int:
    found = parse_id(raw)
    if found is None:
        raise NotFound("That post doesn't exist or was deleted.")
    return found


class ConversationMuteView(APIView):
    """POST mutes the post's thread for you, DELETE unmutes it; both idempotent, both answer the new state."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="conversation_mute",
        request=None,
        responses={200: CONVERSATION_MUTE_STATE, **CONVERSATION_GONE},
        description="No more notifications from this post's conversation (replies, likes, retweets and quotes "
        "of its posts, mentions in it) until you unmute it. What it already sent stays. Muting twice is no error.",
        tags=["notifications"],
    )
    def post(self, request, tweet_id: str):
        services.conversation_mute(user=request.user, tweet_id=_tweet_id(tweet_id))
        return Response({"conversationMuted": True})

    @extend_schema(
        operation_id="conversation_unmute",
        responses={200: CONVERSATION_MUTE_STATE, **CONVERSATION_GONE},
        description="Notifications from this post's conversation again, from now on. Unmuting twice is no error.",
        tags=["notifications"],
    )
    def delete(self, request, tweet_id: str):
        services.conversation_unmute(user=request.user, tweet_id=_tweet_id(tweet_id))
        return Response({"conversationMuted": False})
