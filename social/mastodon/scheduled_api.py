"""Mastodon's scheduled statuses over Chirp's scheduled drafts (tweets.draft_selectors, draft_services).

Listed soonest first, as Chirp lists them; `max_id` (the Link's next) continues after that post.
PUT changes only `scheduled_at` (Mastodon's one field), with Chirp's rule: 5 minutes to a year ahead.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.api.pagination import PageRequest
from social.mastodon.base import page_params
from social.mastodon.reading import MastodonWriteView, linked
from social.mastodon.statuses_api import scheduled_json
from tweets import draft_selectors, draft_services
from tweets.models import Draft


def _own(request, scheduled_id: str) -> Draft:
    draft = draft_selectors.draft_for(request.user, parse_id(scheduled_id), scheduled=True)
    if draft is None:
        raise Http404
    return draft


class ScheduledStatusesView(MastodonWriteView):
    oauth_scopes = "statuses"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        page = page_params(request)
        drafts, cursor = draft_selectors.scheduled(request.user, PageRequest(page["max_id"], page["limit"]))
        return linked(request, [scheduled_json(d, request) for d in drafts], None, cursor)


class ScheduledStatusView(MastodonWriteView):
    oauth_scopes = "statuses"
    permission_classes = [IsAuthenticated]

    def get(self, request, scheduled_id: str):
        return Response(scheduled_json(_own(request, scheduled_id), request))

    def put(self, request, scheduled_id: str):
        draft = _own(request, scheduled_id)
        raw = request.data.get("scheduled_at")
        try:
            when = parse_datetime(raw) if isinstance(raw, str) else None
        except ValueError:  # well-formed but no such date: 2030-13-45
            when = None
        if when is None or when.tzinfo is None:
            raise ValidationError({"scheduled_at": ["An ISO 8601 date and time with its zone."]})
        draft_services.draft_update(actor=request.user, draft_id=draft.pk, scheduled_at=when)
        return Response(scheduled_json(_own(request, scheduled_id), request))

    def delete(self, request, scheduled_id: str):
        draft_services.draft_delete(actor=request.user, draft_id=_own(request, scheduled_id).pk)
        return Response({})
