"""Mastodon's media: uploads through Chirp's own upload service (tweets.services.media_upload),
so the same size and type checks (what the bytes are decides), the same 413 while the body streams
in (config/kernel/uploads.py) and the same worker processing apply.

An upload is processed after the request: POST answers 202 with `url` null while it is, 200 once
ready (as Mastodon's v2 does); GET answers 206 while processing, 200 when ready, 422 when it failed.
`focus` is accepted and ignored (Chirp crops nothing by a focal point).
"""

from __future__ import annotations

from django.http import Http404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.api.input import valid
from social.mastodon import entities
from social.mastodon.base import MastodonView
from social.mastodon.reading import MastodonWriteView
from tweets import media_services
from tweets import services as tweet_services
from tweets.models import Media
from tweets.serializers import MediaUploadSerializer


def _answer(item: Media, request, processing_status: int) -> Response:
    if item.state == Media.State.FAILED:
        return Response({"error": item.failure or "The file could not be processed."}, status=422)
    body = entities.media_json(item, request)
    if item.state == Media.State.PROCESSING:
        body["url"] = body["preview_url"] = None
        return Response(body, status=processing_status)
    return Response(body)


class MediaUploadView(MastodonView):
    """POST /api/v2/media and the legacy /api/v1/media: `file`, `description`, `focus`."""

    oauth_scopes = {"POST": "write:media"}
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        description = request.data.get("description", "")
        data = valid(MediaUploadSerializer, {"file": request.data.get("file"), "altText": description})
        item = tweet_services.media_upload(owner=request.user, upload=data["file"], alt_text=data["altText"])
        return _answer(item, request, 202)


def _own(request, media_id: str) -> Media:
    item = Media.objects.filter(pk=parse_id(media_id) or 0, owner=request.user).first()
    if item is None:
        raise Http404
    return item


class MediaView(MastodonWriteView):
    oauth_scopes = {"GET": "write:media", "PUT": "write:media"}  # as Mastodon: the uploader polls its own
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get(self, request, media_id: str):
        return _answer(_own(request, media_id), request, 206)

    def put(self, request, media_id: str):
        if "description" not in request.data:  # only `focus`, say: nothing Chirp keeps changes
            return _answer(_own(request, media_id), request, 206)
        description = request.data.get("description")
        if not isinstance(description, str):
            return Response({"error": "description: Must be a string."}, status=422)
        item = media_services.media_describe(owner=request.user, media_id=parse_id(media_id), alt_text=description)
        return _answer(item, request, 206)
