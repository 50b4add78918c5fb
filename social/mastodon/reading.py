"""Shared by the statuses, accounts and timelines endpoints: lookups that answer 404 the Mastodon way,
Mastodon's form and JSON inputs, and id paging of querysets (max_id / since_id / min_id)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import User
from config.kernel.api.fields import parse_id
from social.graph.visibility import RelationSet
from social.mastodon.base import PAGE_KEYS, MastodonView, page_params
from tweets import selectors as tweet_selectors

TRUE = {"true", "1", "on", "yes", True}


class MastodonWriteView(MastodonView):
    """Mastodon clients send forms (Mastodon.py) or JSON (masto.js): both are read."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]


def form(request):
    """The body as a mapping (a JSON list or string is a 422, never a 500)."""
    if not hasattr(request.data, "get"):
        raise ValidationError({"error": "The body must be an object"})
    return request.data


def text_field(data, name: str) -> str:
    value = data.get(name) or ""
    if not isinstance(value, str):
        raise ValidationError({"error": f"{name} must be text"})
    return value


def flag(value) -> bool:
    return (value.lower() if isinstance(value, str) else value) in TRUE


def query_flag(request, name: str) -> bool:
    return flag(request.query_params.get(name, ""))


def many(data, name: str) -> list:
    """A list from `name[]=` (forms, query strings) or `name: [...]` (JSON)."""
    if hasattr(data, "getlist"):
        return data.getlist(f"{name}[]") or data.getlist(name)
    value = data.get(name, data.get(f"{name}[]"))
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def status_or_404(raw_id, viewer):
    """The hydrated post as the viewer sees it; a missing or hidden one is Mastodon's 404."""
    tweet_id = parse_id(str(raw_id))
    tweet = tweet_selectors.tweet_for_viewer(tweet_id, viewer) if tweet_id else None
    if tweet is None:
        raise Http404
    return tweet


def account_or_404(raw_id, viewer) -> User:
    """An active account with no block between it and the viewer (social.graph.visibility)."""
    user_id = parse_id(str(raw_id))
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None or not RelationSet.for_viewer(viewer, [user.pk]).user_exists(user):
        raise Http404
    return user


def id_page(queryset, page: dict, key: str = "id") -> list:
    """Rows newest first by `key`: below max_id, above since_id, or the oldest ones above min_id."""
    if page["max_id"] is not None:
        queryset = queryset.filter(**{f"{key}__lt": page["max_id"]})
    if page["since_id"] is not None:
        queryset = queryset.filter(**{f"{key}__gt": page["since_id"]})
    if page["min_id"] is not None:
        rows = list(queryset.filter(**{f"{key}__gt": page["min_id"]}).order_by(key)[: page["limit"]])
        return rows[::-1]
    return list(queryset.order_by(f"-{key}")[: page["limit"]])


def linked(request, body: list, newest, oldest) -> Response:
    """Mastodon's Link header from the page's newest and oldest keys (None: no such link)."""
    response = Response(body)
    base = request.build_absolute_uri(request.path)
    keep = [(k, v) for k, values in request.query_params.lists() if k not in PAGE_KEYS for v in values]
    links = []
    if oldest is not None:
        links.append(f'<{base}?{urlencode([("max_id", oldest), *keep])}>; rel="next"')
    if newest is not None:
        links.append(f'<{base}?{urlencode([("min_id", newest), *keep])}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return response


def rows_linked(request, rows_queryset, render) -> Response:
    """A collection read from a selector's rows (likes, follows, blocks...), paged by the row's id both ways:
    `max_id` (older), `since_id` / `min_id` (newer), with Link's `next` and `prev`. `render` turns the
    page's rows into the body."""
    rows = id_page(rows_queryset, page_params(request))
    newest, oldest = (rows[0].pk, rows[-1].pk) if rows else (None, None)
    return linked(request, render(rows), newest, oldest)
