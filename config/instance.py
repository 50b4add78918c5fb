"""GET /api/v1/instance: what a client needs to know before it starts (an addition to SPEC §4).

Chiefly where live events are: the stack serves the WebSocket on a port of
its own (LIVE_EVENTS_URL), so a client can't assume this host's /ws/.

The path is shared with Mastodon's API and called with no token, so it answers
both at once (docs/DECISIONS.md "Mastodon API: apps, OAuth and shared paths"):
Chirp's keys plus Mastodon's v1 Instance. `version` is Mastodon's string (its
clients read features from it); Chirp's own is `apiVersion`.
"""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.templatetags.static import static
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from config.kernel import text
from config.kernel.api.pagination import MAX_LIMIT
from social.messages.models import Message
from tweets import polls
from tweets.models import Tweet

MASTODON_VERSION = "4.3.0"  # the Mastodon API level answered (docs/API.md "Mastodon client API")
TITLE = "Chirp"
DESCRIPTION = "Chirp: short posts, people you follow, a timeline of your own."
STATS_SECONDS = 600  # counting every post is slow: the counts are kept this long
SOURCE_URL = "https://github.com/chirp-social/chirp"


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
    apiVersion = serializers.CharField(help_text="Chirp's API version.")
    version = serializers.CharField(
        help_text="Mastodon's version string, naming Chirp's: `4.3.0 (compatible; Chirp 1.0.0)`."
    )
    liveEventsUrl = serializers.CharField(help_text="The WebSocket URL of live events (docs/API.md, Live events).")
    limits = LimitsSerializer()
    # Mastodon's v1 Instance (docs.joinmastodon.org/entities/V1_Instance), for Mastodon's clients
    uri = serializers.CharField(help_text="Mastodon: this server's domain.")
    title = serializers.CharField()
    short_description = serializers.CharField()
    description = serializers.CharField()
    email = serializers.CharField()
    urls = serializers.DictField(help_text="Mastodon: `streaming_api`, the WebSocket base URL.")
    stats = serializers.DictField(help_text="Mastodon: `user_count`, `status_count`, `domain_count`.")
    thumbnail = serializers.CharField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    registrations = serializers.BooleanField()
    approval_required = serializers.BooleanField()
    invites_enabled = serializers.BooleanField()
    configuration = serializers.DictField(help_text="Mastodon: the limits on posts, media and polls.")
    contact_account = serializers.DictField(allow_null=True)
    rules = serializers.ListField(child=serializers.DictField())


def live_events_url(request: Request) -> str:
    """LIVE_EVENTS_URL when set, else this host's /ws/ (wss when the request came over https)."""
    if settings.LIVE_EVENTS_URL:
        return settings.LIVE_EVENTS_URL
    return f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}/ws/"


def chirp_version() -> str:
    return settings.SPECTACULAR_SETTINGS["VERSION"]


def mastodon_version() -> str:
    return f"{MASTODON_VERSION} (compatible; Chirp {chirp_version()})"


def contact_email() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def streaming_url(request: Request) -> str:
    return f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}"


def stats() -> dict:
    """People and posts here (kept a few minutes); Chirp has no other domains."""

    def count() -> dict:
        users = User.objects.filter(is_active=True).count()
        return {"user_count": users, "status_count": Tweet.objects.count(), "domain_count": 1}

    return cache.get_or_set("instance:stats", count, STATS_SECONDS)


def mastodon_limits() -> dict:
    """The limits as Mastodon's `configuration` names them (v1 and v2 share these keys)."""
    return {
        "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 1},
        "statuses": {
            "max_characters": text.MAX_LENGTH,
            "max_media_attachments": settings.TWEET_MAX_IMAGES,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"],
            "image_size_limit": settings.IMAGE_MAX_BYTES,
            "image_matrix_limit": settings.IMAGE_MAX_PIXELS,
            "video_size_limit": settings.VIDEO_MAX_BYTES,
            "video_frame_rate_limit": 60,
            "video_matrix_limit": settings.VIDEO_MAX_PIXELS,
        },
        "polls": {
            "max_options": polls.MAX_CHOICES,
            "max_characters_per_option": polls.CHOICE_MAX_LENGTH,
            "min_expiration": int(polls.MIN_DURATION.total_seconds()),
            "max_expiration": int(polls.MAX_DURATION.total_seconds()),
        },
    }


def mastodon_v1(request: Request) -> dict:
    """Mastodon's v1 Instance entity."""
    return {
        "uri": request.get_host(),
        "title": TITLE,
        "short_description": DESCRIPTION,
        "description": DESCRIPTION,
        "email": contact_email(),
        "version": mastodon_version(),
        "urls": {"streaming_api": streaming_url(request)},
        "stats": stats(),
        "thumbnail": request.build_absolute_uri(static("icons/icon-512.png")),
        "languages": ["en"],
        "registrations": True,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": mastodon_limits(),
        "contact_account": None,
        "rules": [],
    }


class InstanceView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="instance",
        responses=InstanceSerializer,
        description="Where live events are and the limits this server applies, with Mastodon's v1 Instance "
        "fields for Mastodon's clients. Needs no sign-in.",
        tags=["instance"],
    )
    def get(self, request):
        return Response(
            {
                **mastodon_v1(request),
                "name": "Chirp",
                "apiVersion": chirp_version(),
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
