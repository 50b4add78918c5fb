"""/api/v1/account/push-subscriptions: the browsers a person subscribed to Web Push."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api.fields import parse_id
from config.kernel.api.schema import errors
from notifications.webpush import keys, subscriptions
from notifications.webpush.labels import subscription_json

TAGS = ["notifications"]
GONE = "No such push subscription (or not yours)."


class SubscriptionSerializer(serializers.Serializer):
    """For the schema; `labels.subscription_json` writes it."""

    id = serializers.CharField()
    endpoint = serializers.CharField()
    endpointHost = serializers.CharField()
    browser = serializers.CharField(help_text='A label from the User-Agent, such as "Firefox on Android".')
    userAgent = serializers.CharField()
    createdAt = serializers.DateTimeField()
    lastUsedAt = serializers.DateTimeField(allow_null=True, help_text="When a push last reached it.")


class KeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(help_text="The browser's P-256 public key: 65 bytes, uncompressed, base64url.")
    auth = serializers.CharField(help_text="The browser's auth secret: 16 bytes, base64url.")


class SubscribeSerializer(serializers.Serializer):
    """A browser's PushSubscription as its `toJSON()` writes it (`expirationTime` is ignored)."""

    endpoint = serializers.CharField(help_text="The push service's URL: https, at most 2048 characters, public.")
    keys = KeysSerializer()
    expirationTime = serializers.IntegerField(required=False, allow_null=True)


VAPID = inline_serializer(
    "VapidKey",
    {
        "vapidPublicKey": serializers.CharField(help_text="The `applicationServerKey` to subscribe with (base64url)."),
        "pushAvailable": serializers.BooleanField(help_text="False when the site has no VAPID keys set up."),
    },
)
LIST = inline_serializer(
    "PushSubscriptionList",
    {
        "pushSubscriptions": SubscriptionSerializer(many=True),
        "vapidPublicKey": serializers.CharField(),
        "pushAvailable": serializers.BooleanField(),
    },
)
MESSAGE = inline_serializer("PushSubscriptionRemoved", {"message": serializers.CharField()})
ONE = inline_serializer("PushSubscriptionAnswer", {"pushSubscription": SubscriptionSerializer()})


def _vapid() -> dict:
    found = keys.public_key()
    return {"vapidPublicKey": found, "pushAvailable": bool(found)}


class PushSubscriptionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="push_subscriptions",
        responses=LIST,
        description="The browsers you turned push notifications on for, newest first, and the VAPID key "
        "to subscribe with.",
        tags=TAGS,
    )
    def get(self, request):
        found = [subscription_json(s) for s in subscriptions.of_user(request.user)]
        return Response({"pushSubscriptions": found, **_vapid()})

    @extend_schema(
        operation_id="push_subscription_create",
        request=SubscribeSerializer,
        responses={
            201: ONE,
            200: ONE,
            **errors(
                s400="A malformed endpoint or keys, or an endpoint on a private address.",
                s503="Push isn't set up on this site (no VAPID keys).",
            ),
        },
        description="Turn push on for a browser: send its PushSubscription (from `pushManager.subscribe` with "
        "`applicationServerKey` = `vapidPublicKey`). 201 when new; the same endpoint again updates it (200), "
        "and an endpoint another account had moves to yours.",
        tags=TAGS,
    )
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        found, created = subscriptions.subscribe(
            user=request.user,
            endpoint=body.get("endpoint"),
            keys_given=body.get("keys"),
            user_agent=request.headers.get("User-Agent", ""),
        )
        answer = {"pushSubscription": subscription_json(found)}
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PushSubscriptionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="push_subscription_delete",
        responses={200: MESSAGE, **errors(s404=GONE)},
        description="Stop push notifications to that browser.",
        tags=TAGS,
    )
    def delete(self, request, subscription_id: str):
        found = parse_id(subscription_id)
        if found is None:
            raise NotFound(GONE)
        subscriptions.unsubscribe(user=request.user, subscription_id=found)
        return Response({"message": "Push notifications turned off for that browser."})


class VapidKeyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="push_vapid_key", responses=VAPID, tags=TAGS)
    def get(self, request):
        return Response(_vapid())
