"""Mastodon's collections: favourites, bookmarks, blocks, mutes (Link paging) and suggestions.

Each reads Chirp's own selector (tweets.selectors, social.graph.selectors), so what drops out
(posts the caller may no longer see) drops out here too. The selectors page by the row's id
(the like, bookmark, block, mute), which is what the Link header's `max_id` carries; as
Mastodon does for these, only `max_id` pages (older); `min_id`/`since_id` are not supported.
"""

from __future__ import annotations

from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.pagination import PageRequest
from social.graph import selectors as graph_selectors
from social.mastodon import entities
from social.mastodon.base import MastodonView, page_params
from social.mastodon.reading import linked
from tweets import selectors as tweet_selectors

SUGGESTIONS_MAX = 10  # who_to_follow's cache keeps 3 and 10


def _page(request) -> PageRequest:
    page = page_params(request)
    return PageRequest(cursor=page["max_id"], limit=page["limit"])


class FavouritesView(MastodonView):
    oauth_scopes = {"GET": "read:favourites"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        shown, cursor = tweet_selectors.profile_timeline(request.user, request.user, "likes", _page(request))
        return linked(request, entities.statuses_json(shown, request), None, cursor)


class BookmarksView(MastodonView):
    oauth_scopes = {"GET": "read:bookmarks"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        shown, cursor = tweet_selectors.bookmarks(request.user, _page(request))
        return linked(request, entities.statuses_json(shown, request), None, cursor)


class BlocksView(MastodonView):
    oauth_scopes = {"GET": "read:blocks"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        users, cursor = graph_selectors.blocked_people(request.user, _page(request))
        return linked(request, entities.accounts_json(users, request), None, cursor)


class MutesView(MastodonView):
    oauth_scopes = {"GET": "read:mutes"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        users, cursor = graph_selectors.muted_people(request.user, _page(request))
        return linked(request, entities.accounts_json(users, request), None, cursor)


def _suggested(request) -> list:
    """Chirp's who-to-follow, staff accounts left out (they'd be suggested for their followers only)."""
    limit = page_params(request, default=SUGGESTIONS_MAX, maximum=SUGGESTIONS_MAX)["limit"]
    users = [u for u in graph_selectors.who_to_follow(request.user, limit=SUGGESTIONS_MAX) if not u.is_staff]
    return users[:limit]


class SuggestionsV2View(MastodonView):
    oauth_scopes = {"GET": "read"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        users = _suggested(request)
        return Response(
            [{"source": "global", "sources": ["friends_of_friends"], "account": account}
             for account in entities.accounts_json(users, request)]
        )  # fmt: skip


class SuggestionsV1View(MastodonView):
    oauth_scopes = {"GET": "read"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(entities.accounts_json(_suggested(request), request))


class SuggestionView(MastodonView):
    """Dismissing a suggestion: Chirp keeps no dismissals, so this answers 200 and changes nothing."""

    oauth_scopes = {"DELETE": "read"}
    permission_classes = [IsAuthenticated]

    def delete(self, request, account_id: str):
        return Response({})
