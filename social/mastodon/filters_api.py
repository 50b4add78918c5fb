"""Mastodon's filters (v2) over Chirp's muted words (social.graph.services.muted_word_*).

One muted word is one filter with one keyword (the filter's id is the word's id, and so is its
keyword's). Chirp's words always hide, match whole words, and apply in home, notifications or
search, or everywhere; so:
 - context: ["home"] is home, ["notifications"] notifications, any other set everywhere; a word
   muted in Chirp's search shows as ["public"] (Mastodon has no search context);
 - filter_action: "warn" and "blur" are taken and answered as "hide"; whole_word is always true;
 - expires_in: empty or null is forever; else one of Chirp's durations (a day, a week, 30 days);
 - the phrase is the one keyword (keywords_attributes) or, with none, the title; two or more: 422.
"""

from __future__ import annotations

import re

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.timefmt import iso_z
from social.graph import muted_words
from social.graph import services as graph_services
from social.graph.models import MutedWord
from social.mastodon.reading import MastodonWriteView, form, many

Context = MutedWord.Context
MASTODON_CONTEXTS = {"home", "notifications", "public", "thread", "account"}
SHOWN_AS = {
    Context.HOME: ["home"],
    Context.NOTIFICATIONS: ["notifications"],
    Context.SEARCH: ["public"],
    Context.EVERYWHERE: sorted(MASTODON_CONTEXTS),
}
ACTIONS = {"hide", "warn", "blur"}
_FORM_KEYWORD = re.compile(r"^keywords_attributes\[\d*\]\[keyword\]$")


def keyword_json(word: MutedWord) -> dict:
    return {"id": str(word.pk), "keyword": word.phrase, "whole_word": True}


def filter_json(word: MutedWord) -> dict:
    return {
        "id": str(word.pk),
        "title": word.phrase,
        "context": SHOWN_AS.get(word.context, sorted(MASTODON_CONTEXTS)),
        "expires_at": iso_z(word.expires_at),
        "filter_action": "hide",
        "keywords": [keyword_json(word)],
        "statuses": [],
    }


def _context(data) -> str:
    raw = many(data, "context")
    asked = {c for c in raw if isinstance(c, str)}
    if not asked or len(asked) != len(set(map(str, raw))) or not asked <= MASTODON_CONTEXTS:
        raise ValidationError({"context": [f"Choose among {', '.join(sorted(MASTODON_CONTEXTS))}."]})
    if asked == {"home"}:
        return Context.HOME
    if asked == {"notifications"}:
        return Context.NOTIFICATIONS
    return Context.EVERYWHERE


def _expires_in(data):
    value = data.get("expires_in")
    if value in (None, ""):
        return None
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        seconds = -1
    if not graph_services.is_expiry(seconds) or isinstance(value, bool):
        raise ValidationError({"expires_in": ["Forever (empty), or 86400, 604800 or 2592000 seconds."]})
    return seconds


def _keywords(data) -> list:
    if hasattr(data, "getlist"):  # a form: keywords_attributes[][keyword]=...
        return [v for key in data if _FORM_KEYWORD.match(key) for v in data.getlist(key)]
    rows = data.get("keywords_attributes") or []
    if isinstance(rows, dict):  # {"0": {...}}, as Rails forms nest them
        rows = list(rows.values())
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValidationError({"keywords_attributes": ["A list of {keyword: ...}."]})
    return [r.get("keyword") for r in rows if not r.get("_destroy")]


def _phrase(data, required: bool):
    keywords = _keywords(data)
    if len(keywords) > 1:
        raise ValidationError({"keywords_attributes": ["A Chirp filter has one keyword."]})
    if keywords:
        return keywords[0]
    title = data.get("title")
    if title is None and required:
        raise ValidationError({"title": ["Give the filter a title or a keyword."]})
    return title


def _action(data) -> None:
    action = data.get("filter_action", "hide")
    if not isinstance(action, str) or action not in ACTIONS:
        raise ValidationError({"filter_action": ["hide, warn or blur."]})


def _own(request, filter_id: str) -> MutedWord:
    word = muted_words.muted_words_list(request.user).filter(pk=parse_id(filter_id) or 0).first()
    if word is None:
        raise Http404
    return word


class FiltersView(MastodonWriteView):
    oauth_scopes = "filters"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response([filter_json(w) for w in muted_words.muted_words_list(request.user).order_by("-id")])

    def post(self, request):
        data = request.data
        _action(data)
        word = graph_services.muted_word_create(
            user=request.user, phrase=_phrase(data, True), context=_context(data), expires_in=_expires_in(data)
        )
        return Response(filter_json(word))


class FilterView(MastodonWriteView):
    oauth_scopes = "filters"
    permission_classes = [IsAuthenticated]

    def get(self, request, filter_id: str):
        return Response(filter_json(_own(request, filter_id)))

    def put(self, request, filter_id: str):
        word, data = _own(request, filter_id), request.data
        _action(data)
        changes = {}
        if (phrase := _phrase(data, False)) is not None:
            changes["phrase"] = phrase
        if "context" in data or "context[]" in data:
            changes["context"] = _context(data)
        if "expires_in" in data:
            changes["expires_in"] = _expires_in(data)
        word = graph_services.muted_word_update(user=request.user, word_id=word.pk, **changes)
        return Response(filter_json(word))

    def delete(self, request, filter_id: str):
        graph_services.muted_word_delete(user=request.user, word_id=_own(request, filter_id).pk)
        return Response({})


# --- v2 keywords: a Chirp filter has exactly one, so it can be read and changed, not added or removed ---

ONE_KEYWORD = "A Chirp filter has exactly one keyword: change it, or delete the filter."


class FilterKeywordsView(MastodonWriteView):
    oauth_scopes = {"GET": "read:filters", "POST": "write:filters"}
    permission_classes = [IsAuthenticated]

    def get(self, request, filter_id: str):
        return Response([keyword_json(_own(request, filter_id))])

    def post(self, request, filter_id: str):
        _own(request, filter_id)  # someone else's filter is 404 before anything else
        raise ValidationError({"keyword": [ONE_KEYWORD]})


class FilterKeywordView(MastodonWriteView):
    oauth_scopes = "filters"
    permission_classes = [IsAuthenticated]

    def get(self, request, keyword_id: str):
        return Response(keyword_json(_own(request, keyword_id)))

    def put(self, request, keyword_id: str):
        word, data = _own(request, keyword_id), form(request)
        if "keyword" in data:
            word = graph_services.muted_word_update(user=request.user, word_id=word.pk, phrase=data["keyword"])
        return Response(keyword_json(word))

    def delete(self, request, keyword_id: str):
        _own(request, keyword_id)
        raise ValidationError({"keyword": [ONE_KEYWORD]})


# --- v1 (deprecated in Mastodon 4.0, still asked by older clients): one muted word, flat -----------


def filter_v1_json(word: MutedWord) -> dict:
    """Mastodon's V1::Filter. Chirp's words always hide (`irreversible`) and match whole words."""
    return {
        "id": str(word.pk),
        "phrase": word.phrase,
        "context": SHOWN_AS.get(word.context, sorted(MASTODON_CONTEXTS)),
        "expires_at": iso_z(word.expires_at),
        "irreversible": True,
        "whole_word": True,
    }


class FiltersV1View(MastodonWriteView):
    """Mastodon's v1 filters over Chirp's muted words (the same mapping as v2)."""

    oauth_scopes = "filters"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response([filter_v1_json(w) for w in muted_words.muted_words_list(request.user).order_by("-id")])

    def post(self, request):
        data = form(request)
        if "phrase" not in data:
            raise ValidationError({"phrase": ["Give the filter a phrase."]})
        word = graph_services.muted_word_create(
            user=request.user, phrase=data["phrase"], context=_context(data), expires_in=_expires_in(data)
        )
        return Response(filter_v1_json(word))


class FilterV1View(MastodonWriteView):
    oauth_scopes = "filters"
    permission_classes = [IsAuthenticated]

    def get(self, request, filter_id: str):
        return Response(filter_v1_json(_own(request, filter_id)))

    def put(self, request, filter_id: str):
        word, data = _own(request, filter_id), form(request)
        changes = {}
        if "phrase" in data:
            changes["phrase"] = data["phrase"]
        if "context" in data or "context[]" in data:
            changes["context"] = _context(data)
        if "expires_in" in data:
            changes["expires_in"] = _expires_in(data)
        word = graph_services.muted_word_update(user=request.user, word_id=word.pk, **changes)
        return Response(filter_v1_json(word))

    def delete(self, request, filter_id: str):
        graph_services.muted_word_delete(user=request.user, word_id=_own(request, filter_id).pk)
        return Response({})
