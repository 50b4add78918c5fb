"""What an OAuth token needs to call each API view: one table, so no view is forgotten.

Each view (by module and class name, since some URLs have no name) maps to
 - a group: GET needs `read:<group>`, any other method `write:<group>`;
 - a dict of method -> scope, where the rule above doesn't fit;
 - OPEN: no scope (the view reads no credentials, or serves only public facts);
 - CLOSED: never with an OAuth token (the account's own keys: log out, delete, export).
A view may instead declare `oauth_scopes` (same forms) on its class, as the Mastodon API's do.
A view missing here (and declaring none) is CLOSED to OAuth tokens (and tests/api/test_oauth_scopes.py fails).
First-party tokens (knox, from /login) and browser sessions are never checked against it.
"""

from __future__ import annotations

OPEN = "open"
CLOSED = "closed"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

ENDPOINT_SCOPES: dict[str, str | dict[str, str]] = {
    # accounts: these read no credentials (authentication_classes = []) or end the caller's own access
    "accounts.api.SignupView": OPEN,
    "accounts.api.LoginView": OPEN,
    "accounts.api.LoginMFAView": OPEN,
    "accounts.api.PasswordResetRequestView": OPEN,
    "accounts.api.PasswordResetConfirmView": OPEN,
    "accounts.api.LogoutView": CLOSED,  # an app ends its token with POST /oauth/revoke
    "accounts.api.AccountExportView": CLOSED,  # the whole account, DMs included, in one file
    "accounts.api.AccountView": CLOSED,  # deleting the account
    "accounts.oauth_api.DeveloperAppsView": CLOSED,  # an app can't register or see other apps
    "accounts.oauth_api.DeveloperAppView": CLOSED,
    # people and the graph
    "tweets.api.UserDetailView": "accounts",
    "notifications.api.PrivacySettingsView": "accounts",
    "social.graph.api.FollowView": "follows",
    "social.graph.api.UnfollowView": "follows",
    "social.graph.api.FollowersView": "follows",
    "social.graph.api.FollowingView": "follows",
    "social.graph.api.FollowRequestsView": "follows",
    "social.graph.api.FollowRequestApproveView": "follows",
    "social.graph.api.FollowRequestDenyView": "follows",
    "social.graph.api.BlockView": "blocks",
    "social.graph.api.UnblockView": "blocks",
    "social.graph.api.MuteView": "mutes",
    "social.graph.api.UnmuteView": "mutes",
    "notifications.api.ConversationMuteView": "mutes",
    # posts
    "social.messages.api.MediaUploadView": "media",
    "social.messages.api.MediaDetailView": {"GET": "write:media"},  # the uploader polls its own upload
    "tweets.api.TweetCreateView": "statuses",
    "tweets.api.TweetDetailView": "statuses",
    "tweets.api.LikeView": "favourites",
    "tweets.api.RetweetView": "statuses",
    "tweets.api.PinView": "statuses",
    "tweets.api.RepliesView": "statuses",
    "tweets.api.LikersView": "statuses",
    "tweets.api.RetweetersView": "statuses",
    "tweets.api.QuotesView": "statuses",
    "tweets.api.EngagementsView": "statuses",
    "tweets.poll_api.PollVoteView": "statuses",
    "tweets.link_card_api.LinkPreviewView": "statuses",
    "tweets.draft_api.DraftsView": "statuses",
    "tweets.draft_api.DraftDetailView": "statuses",
    "tweets.draft_api.DraftPublishView": "statuses",
    "tweets.draft_api.ScheduledView": "statuses",
    "tweets.draft_api.ScheduledDetailView": "statuses",
    "tweets.api.UserTimelineView": "statuses",
    "timelines.api.HomeTimelineView": "statuses",
    "tweets.api.BookmarkView": "bookmarks",
    "tweets.api.BookmarksView": "bookmarks",
    # lists
    "timelines.lists_api.ListsView": "lists",
    "timelines.lists_api.ListDetailView": "lists",
    "timelines.lists_api.ListMembersView": "lists",
    "timelines.lists_api.ListMemberView": "lists",
    "timelines.lists_api.ListTimelineView": "lists",
    # notifications and push
    "notifications.api.NotificationsView": "notifications",
    "notifications.api.ReadAllView": "notifications",
    "notifications.api.ReadView": "notifications",
    "notifications.api.NotificationSettingsView": "notifications",
    "notifications.webpush.api.PushSubscriptionsView": {"GET": "push", "POST": "push"},
    "notifications.webpush.api.VapidKeyView": {"GET": "push"},
    "notifications.webpush.api.PushSubscriptionView": {"DELETE": "push"},
    # search
    "search.api.SearchView": "search",
    "search.api.TrendsView": "search",
    # direct messages
    "social.messages.api.ConversationsView": "messages",
    "social.messages.api.ConversationView": "messages",
    "social.messages.api.ParticipantsView": "messages",
    "social.messages.api.LeaveView": "messages",
    "social.messages.api.ReadView": "messages",
    "social.messages.api.MessagesView": "messages",
    "social.messages.api.MessageMediaView": "messages",
    "social.messages.api.MessageView": "messages",
    # filters and reports
    "social.graph.filters_api.FiltersView": "filters",
    "social.graph.filters_api.FilterView": "filters",
    "social.moderation.api.ReportsView": "reports",
    # the instance's public facts and the API's own description
    "config.instance.InstanceView": OPEN,
    "drf_spectacular.views.SpectacularAPIView": OPEN,
    "drf_spectacular.views.SpectacularSwaggerSplitView": OPEN,
}


def view_key(view_class: type) -> str:
    return f"{view_class.__module__}.{view_class.__qualname__}"


def scope_needed(view_class: type | None, method: str) -> str:
    """The scope an OAuth token needs for `method` on this view, or OPEN, or CLOSED."""
    entry = None
    if view_class is not None:  # a view may declare its own (the Mastodon API's do), else the table's
        entry = getattr(view_class, "oauth_scopes", None) or ENDPOINT_SCOPES.get(view_key(view_class))
    if entry is None:
        return CLOSED
    if isinstance(entry, dict):
        if method in ("HEAD", "OPTIONS") and "GET" in entry:
            return entry["GET"]
        return entry.get(method, CLOSED)
    if entry in (OPEN, CLOSED):
        return entry
    return f"read:{entry}" if method in SAFE_METHODS else f"write:{entry}"
