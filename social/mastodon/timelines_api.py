"""Mastodon's timelines: home (the same Redis-backed read as Chirp's /api/v1/timeline/home), public, tag."""

from __future__ import annotations

from rest_framework.permissions import IsAuthenticated

from config.kernel import text as text_rules
from config.kernel.api.pagination import PageRequest
from social.graph.visibility import tweets_visible_to
from social.mastodon import entities
from social.mastodon.base import MastodonView, page_params
from social.mastodon.reading import id_page, linked, query_flag
from timelines import selectors as timeline_selectors
from timelines import services as timeline_services
from tweets import selectors as tweet_selectors


def _answer(request, entries, newest=None, oldest=None):
    body = entities.statuses_json(entries, request)
    if entries and newest is None:
        newest, oldest = entries[0].pk, entries[-1].pk
    return linked(request, body, newest, oldest)


class HomeView(MastodonView):
    oauth_scopes = "statuses"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        page = page_params(request)
        timeline_services.note_visit(request.user)
        after = page["min_id"] if page["min_id"] is not None else page["since_id"]
        if after is not None:
            # Newer than an id: the oldest `limit` of them, newest first (what "show new posts" reads).
            entries = timeline_selectors.home_newer(request.user, after, page["limit"])
            if page["max_id"] is not None:
                entries = [e for e in entries if e.pk < page["max_id"]]
        else:
            entries, _ = timeline_selectors.home_timeline(
                request.user, PageRequest(cursor=page["max_id"], limit=page["limit"])
            )
        return _answer(request, entries)


def _public_rows(request):
    """Posts of public accounts the caller may see, retweets left out (Mastodon's public timeline)."""
    tweets = tweet_selectors.tweets_with_authors().filter(retweet_of__isnull=True, author__is_private=False)
    tweets = tweets.filter(tweets_visible_to(request.user))
    if query_flag(request, "only_media"):
        tweets = tweets.filter(has_media=True)
    return tweets


def _rows_page(request, tweets):
    rows = id_page(tweets, page_params(request))
    shown = tweet_selectors.hydrate(rows, request.user, hide_muted=True)  # as Mastodon hides muted accounts
    newest, oldest = (rows[0].pk, rows[-1].pk) if rows else (None, None)
    return _answer(request, shown, newest, oldest)


class PublicView(MastodonView):
    """`local` and `remote` are accepted: Chirp is one server, so local is everything (remote is empty)."""

    oauth_scopes = "statuses"

    def get(self, request):
        if query_flag(request, "remote"):
            return linked(request, [], None, None)
        return _rows_page(request, _public_rows(request))


class TagView(MastodonView):
    oauth_scopes = "statuses"

    def get(self, request, hashtag: str):
        tweets = tweet_selectors.tweets_with_authors().filter(retweet_of__isnull=True)
        tweets = tweets.filter(hashtags__name=text_rules.hashtag_key(hashtag)).filter(tweets_visible_to(request.user))
        if query_flag(request, "only_media"):
            tweets = tweets.filter(has_media=True)
        return _rows_page(request, tweets)
