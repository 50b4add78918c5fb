"""Mastodon's small endpoints: v2 instance, custom emojis, preferences, markers, the caller's account.

(GET /api/v1/instance is Chirp's own view, answering both APIs' keys: config/instance.py.)
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from config import instance
from config.kernel.errors import ServiceError
from social.mastodon import markers
from social.mastodon.base import MastodonView
from social.mastodon.credentials import account_json, privacy_of


class InstanceSlashView(instance.InstanceView):
    """/api/v1/instance/ (Mastodon.py asks with the slash): Chirp's view, answering both APIs' keys."""

    oauth_scopes = "open"

    @extend_schema(exclude=True)  # the same as /api/v1/instance, which the schema describes
    def get(self, request):
        return super().get(request)


class InstanceV2View(MastodonView):
    """Mastodon's v2 Instance entity; anyone may ask, with or without a token."""

    oauth_scopes = "open"
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        configuration = instance.mastodon_limits()
        return Response(
            {
                "domain": request.get_host(),
                "title": instance.TITLE,
                "version": instance.mastodon_version(),
                "source_url": instance.SOURCE_URL,
                "description": instance.DESCRIPTION,
                "usage": {"users": {"active_month": instance.stats()["user_count"]}},
                "thumbnail": {"url": request.build_absolute_uri(instance.static("icons/icon-512.png"))},
                "icon": [],
                "languages": ["en"],
                "configuration": {
                    "urls": {"streaming": instance.streaming_url(request)},
                    **configuration,
                    "translation": {"enabled": False},
                },
                "registrations": {"enabled": True, "approval_required": False, "message": None},
                "api_versions": {"mastodon": 2},
                "contact": {"email": instance.contact_email(), "account": None},
                "rules": [],
            }
        )


class CustomEmojisView(MastodonView):
    """Chirp has no custom emojis."""

    oauth_scopes = "open"
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response([])


class PreferencesView(MastodonView):
    oauth_scopes = {"GET": "read:accounts"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        user = request.user
        return Response(
            {
                "posting:default:visibility": privacy_of(user),
                "posting:default:sensitive": False,
                "posting:default:language": None,
                "reading:expand:media": "show_all" if user.show_sensitive_media else "default",
                "reading:expand:spoilers": user.expand_content_warnings,
                "reading:autoplay:gifs": user.autoplay_videos,
            }
        )


def _positions(data) -> dict[str, str]:
    """`home[last_read_id]=1` (a form) or `{"home": {"last_read_id": "1"}}` (JSON) -> {"home": "1"}."""
    positions: dict[str, str] = {}
    for timeline in markers.TIMELINES:
        nested = data.get(timeline)
        value = nested.get("last_read_id") if isinstance(nested, dict) else data.get(f"{timeline}[last_read_id]")
        if value is None:
            continue
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ServiceError("last_read_id is an id (digits).")
        positions[timeline] = str(value)
    return positions


class MarkersView(MastodonView):
    oauth_scopes = {"GET": "read:statuses", "POST": "write:statuses"}
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get(self, request):
        wanted = request.query_params.getlist("timeline[]") or request.query_params.getlist("timeline")
        found = markers.markers_of(request.user, wanted)
        return Response({name: markers.marker_json(marker) for name, marker in found.items()})

    def post(self, request):
        if not hasattr(request.data, "get"):
            raise ServiceError("Send home[last_read_id] or notifications[last_read_id].")
        saved = markers.markers_set(request.user, _positions(request.data))
        return Response({name: markers.marker_json(marker) for name, marker in saved.items()})


class VerifyCredentialsView(MastodonView):
    """The caller's own account with its `source` (Mastodon's CredentialAccount)."""

    oauth_scopes = {"GET": "read:accounts"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(account_json(request.user, request))
