"""Mastodon's media, collections, lists, filters and more (under /api/).

`urlpatterns` holds paths Chirp's own API doesn't have. `SHARED_ROUTES` are paths that exist in
both APIs (Chirp's under config/api_urls.py): they are not mounted here, where they would shadow
Chirp's, but wired through the token dispatcher (docs/DECISIONS.md "Mastodon API").
"""

from django.urls import path

from social.mastodon import collections_api as c
from social.mastodon import conversations_api as conversations
from social.mastodon import filters_api as filters
from social.mastodon import lists_api as lists
from social.mastodon import media_api as media
from social.mastodon import misc_api as misc
from social.mastodon import profile_api as profile
from social.mastodon import scheduled_api as scheduled

urlpatterns = [
    # before urls_statuses' v1/accounts/<account_id> (social/mastodon/urls.py includes this file first)
    path("v1/accounts/update_credentials", profile.UpdateCredentialsView.as_view()),
    path("v2/media", media.MediaUploadView.as_view()),
    path("v1/media", media.MediaUploadView.as_view()),  # legacy; same answer as v2
    path("v1/favourites", c.FavouritesView.as_view()),
    path("v1/blocks", c.BlocksView.as_view()),
    path("v1/mutes", c.MutesView.as_view()),
    path("v2/suggestions", c.SuggestionsV2View.as_view()),
    path("v1/suggestions", c.SuggestionsV1View.as_view()),
    path("v1/suggestions/<str:account_id>", c.SuggestionView.as_view()),
    path("v1/accounts/<str:account_id>/lists", lists.AccountListsView.as_view()),
    path("v1/timelines/list/<str:list_id>", lists.ListTimelineView.as_view()),
    path("v2/filters", filters.FiltersView.as_view()),
    path("v2/filters/keywords/<str:keyword_id>", filters.FilterKeywordView.as_view()),
    path("v2/filters/<str:filter_id>", filters.FilterView.as_view()),
    path("v2/filters/<str:filter_id>/keywords", filters.FilterKeywordsView.as_view()),
    path("v1/polls/<str:poll_id>", misc.PollView.as_view()),
    path("v1/polls/<str:poll_id>/votes", misc.PollVotesView.as_view()),
    path("v1/trends/tags", misc.TrendTagsView.as_view()),
    path("v1/trends/statuses", misc.TrendStatusesView.as_view()),
    path("v1/trends/links", misc.TrendLinksView.as_view()),
    path("v2/search", misc.SearchView.as_view()),
    path("v1/scheduled_statuses", scheduled.ScheduledStatusesView.as_view()),
    path("v1/scheduled_statuses/<str:scheduled_id>", scheduled.ScheduledStatusView.as_view()),
]

# (route under /api/, Mastodon view, name)
SHARED_ROUTES = [
    ("v1/media/<str:media_id>", media.MediaView, "mastodon-media"),  # Chirp's GET media/<id> (its poll)
    ("v1/bookmarks", c.BookmarksView, "mastodon-bookmarks"),
    ("v1/reports", misc.ReportsView, "mastodon-reports"),
    ("v1/reports/", misc.ReportsView, "mastodon-reports-slash"),  # Mastodon.py's report() asks with the slash
    ("v1/trends", misc.TrendTagsView, "mastodon-trends"),  # Mastodon's older path of trends/tags
    ("v1/conversations", conversations.ConversationsView, "mastodon-conversations"),
    ("v1/conversations/", conversations.ConversationsView, "mastodon-conversations-slash"),  # Mastodon.py's spelling
    ("v1/conversations/<str:conversation_id>", conversations.ConversationView, "mastodon-conversation"),
    ("v1/conversations/<str:conversation_id>/read", conversations.ConversationReadView, "mastodon-conversation-read"),
    ("v1/filters", filters.FiltersV1View, "mastodon-filters-v1"),
    ("v1/filters/<str:filter_id>", filters.FilterV1View, "mastodon-filter-v1"),
    ("v1/lists", lists.ListsView, "mastodon-lists"),
    ("v1/lists/<str:list_id>", lists.ListView, "mastodon-list"),
    ("v1/lists/<str:list_id>/accounts", lists.ListAccountsView, "mastodon-list-accounts"),
]
