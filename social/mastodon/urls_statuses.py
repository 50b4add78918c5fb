"""Mastodon's statuses, accounts and timelines paths (under /api/)."""

from django.urls import path

from social.mastodon import accounts_api as a
from social.mastodon import statuses_api as s
from social.mastodon import timelines_api as t

status = "v1/statuses/<str:status_id>"
account = "v1/accounts/<str:account_id>"

urlpatterns = [
    # The timelines first: a home timeline is the call clients make most, and routes are tried in order.
    path("v1/timelines/home", t.HomeView.as_view()),
    path("v1/timelines/public", t.PublicView.as_view()),
    path("v1/timelines/tag/<str:hashtag>", t.TagView.as_view()),
    path("v1/statuses", s.StatusesView.as_view()),
    path(status, s.StatusView.as_view()),
    path(f"{status}/source", s.StatusSourceView.as_view()),
    path(f"{status}/history", s.StatusHistoryView.as_view()),
    path(f"{status}/context", s.StatusContextView.as_view()),
    path(f"{status}/card", s.StatusCardView.as_view()),
    path(f"{status}/favourited_by", s.FavouritedByView.as_view()),
    path(f"{status}/reblogged_by", s.RebloggedByView.as_view()),
    path(f"{status}/favourite", s.FavouriteView.as_view()),
    path(f"{status}/unfavourite", s.UnfavouriteView.as_view()),
    path(f"{status}/reblog", s.ReblogView.as_view()),
    path(f"{status}/unreblog", s.UnreblogView.as_view()),
    path(f"{status}/bookmark", s.BookmarkView.as_view()),
    path(f"{status}/unbookmark", s.UnbookmarkView.as_view()),
    path(f"{status}/pin", s.PinView.as_view()),
    path(f"{status}/unpin", s.UnpinView.as_view()),
    path(f"{status}/mute", s.MuteView.as_view()),
    path(f"{status}/unmute", s.UnmuteView.as_view()),
    # fixed names before `<account_id>`
    path("v1/accounts/lookup", a.LookupView.as_view()),
    path("v1/accounts/relationships", a.RelationshipsView.as_view()),
    path("v1/accounts/familiar_followers", a.FamiliarFollowersView.as_view()),
    path("v1/accounts/search", a.SearchView.as_view()),
    path(account, a.AccountView.as_view()),
    path(f"{account}/statuses", a.AccountStatusesView.as_view()),
    path(f"{account}/followers", a.FollowersView.as_view()),
    path(f"{account}/following", a.FollowingView.as_view()),
    path(f"{account}/featured_tags", a.FeaturedTagsView.as_view()),
    path(f"{account}/follow", a.FollowView.as_view()),
    path(f"{account}/unfollow", a.UnfollowView.as_view()),
    path(f"{account}/block", a.BlockView.as_view()),
    path(f"{account}/unblock", a.UnblockView.as_view()),
    path(f"{account}/mute", a.MuteView.as_view()),
    path(f"{account}/unmute", a.UnmuteView.as_view()),
    path("v1/follow_requests", a.FollowRequestsView.as_view()),
    path("v1/follow_requests/<str:account_id>/authorize", a.AuthorizeView.as_view()),
    path("v1/follow_requests/<str:account_id>/reject", a.RejectView.as_view()),
]
