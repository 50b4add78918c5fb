"""GET /api/v1/instance: what a client needs to know before it starts (an addition to SPEC §4).

Chiefly where live events are: the stack serves the WebSocket on a port of
its own (LIVE_EVENTS_URL), so a client can't assume this host's /ws/.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel import text
from config.kernel.api.pagination import MAX_LIMIT
from social.messages.models import Message


class LimitsSerializer(serializers.Serializer):
    tweetLength = serializers.IntegerField(help_text="Characters (code points, after NFC) in a post.")
    tweetImages = serializers.IntegerField(help_text="Images in a post.")
    tweetEditMinutes = serializers.IntegerField(help_text="How long after posting a post can be edited.")
    messageLength = serializers.IntegerField(help_text="Characters in a direct message.")
    pageSize = serializers.IntegerField(help_text="The largest `limit` a list takes.")
    liveSocketsPerUser = serializers.IntegerField(help_text="Open live-event sockets per person (more: close 4429).")
    liveFramesPerMinute = serializers.IntegerField(help_text="Frames a client may send a socket a minute.")


class InstanceSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField(help_text="The API's version.")
    liveEventsUrl = serializers.CharField(help_text="The WebSocket URL of live events (docs/API.md, Live events).")
    limits = LimitsSerializer()


def live_events_url(request: Request) -> str:
    """LIVE_EVENTS_URL when set, else this host's /ws/ (wss when the request came over https)."""
    if settings.LIVE_EVENTS_URL:
        return settings.LIVE_EVENTS_URL
    return f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}/ws/"


class InstanceView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="instance",
        responses=InstanceSerializer,
        description="Where live events are and the limits this server applies. Needs no sign-in.",
        tags=["instance"],
    )
    def get(self, request):
        return Response(
            {
                "name": "Chirp",
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "liveEventsUrl": live_events_url(request),
                "limits": {
                    "tweetLength": text.MAX_LENGTH,
                    "tweetImages": settings.TWEET_MAX_IMAGES,
                    "tweetEditMinutes": int(settings.TWEET_EDIT_WINDOW.total_seconds() // 60),
                    "messageLength": Message.MAX_LENGTH,
                    "pageSize": MAX_LIMIT,
                    "liveSocketsPerUser": settings.LIVE_SOCKETS_PER_USER,
                    "liveFramesPerMinute": settings.LIVE_FRAMES_PER_MINUTE,
                },
            }
        )
