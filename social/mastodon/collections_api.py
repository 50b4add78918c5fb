"""Mastodon's collections: favourites, bookmarks, blocks, mutes (Link paging) and suggestions.

Each reads Chirp's own selector rows (tweets.selectors, social.graph.selectors), so what drops out
(posts the caller may no longer see) drops out here too. They page by the row's id (the like,
bookmark, block, mute), which is what the Link header carries: `max_id` (older, `next`) and
`min_id` / `since_id` (newer, `prev`), as Mastodon pages them.
"""

from __future__ import annotations

from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from social.graph import selectors as graph_selectors
from social.mastodon import entities
from social.mastodon.base import MastodonView, page_params
from social.mastodon.reading import rows_linked
from tweets import selectors as tweet_selectors

SUGGESTIONS_MAX = 10  # who_to_follow's cache keeps 3 and 10


def _posts(request):
    return lambda rows: entities.statuses_json(tweet_selectors.hydrate([r.tweet for r in rows], request.user), request)


def _people(request, attribute: str):
    return lambda rows: entities.accounts_json([getattr(r, attribute) for r in rows], request)


class FavouritesView(MastodonView):
    oauth_scopes = {"GET": "read:favourites"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return rows_linked(request, tweet_selectors.like_rows(request.user, request.user), _posts(request))


class BookmarksView(MastodonView):
    oauth_scopes = {"GET": "read:bookmarks"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return rows_linked(request, tweet_selectors.bookmark_rows(request.user), _posts(request))


class BlocksView(MastodonView):
    oauth_scopes = {"GET": "read:blocks"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return rows_linked(request, graph_selectors.block_rows(request.user), _people(request, "blocked"))


class MutesView(MastodonView):
    oauth_scopes = {"GET": "read:mutes"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return rows_linked(request, graph_selectors.mute_rows(request.user), _people(request, "muted"))


def _suggested(request) -> list:
    """Chirp's who-to-follow (which never names staff accounts: one rule, in the selector)."""
    limit = page_params(request, default=SUGGESTIONS_MAX, maximum=SUGGESTIONS_MAX)["limit"]
    return graph_selectors.who_to_follow(request.user, limit=SUGGESTIONS_MAX)[:limit]


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
