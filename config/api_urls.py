"""The API router: every /api/v1/ endpoint, in the order of SPEC §4."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from accounts import oauth_api
from config.instance import InstanceView
from notifications import api as notifications_api
from notifications.webpush import api as push_api
from search import api as search_api
from social.graph import api as social_api
from social.graph import filters_api
from social.messages import api as dm_api
from social.moderation import api as moderation_api
from timelines import api as timelines_api
from timelines import lists_api
from tweets import api as tweets_api
from tweets import draft_api, link_card_api, poll_api

urlpatterns = [
    path("signup", accounts_api.SignupView.as_view(), name="api-signup"),
    path("login", accounts_api.LoginView.as_view(), name="api-login"),
    # OAuth apps (issue 21); /api/v1/apps stays free for Mastodon's app registration.
    path("developer/apps", oauth_api.DeveloperAppsView.as_view(), name="api-developer-apps"),
    path("developer/apps/<str:app_id>", oauth_api.DeveloperAppView.as_view(), name="api-developer-app"),
    path("login/mfa", accounts_api.LoginMFAView.as_view(), name="api-login-mfa"),
    path("logout", accounts_api.LogoutView.as_view(), name="api-logout"),
    path("password-reset/request", accounts_api.PasswordResetRequestView.as_view(), name="api-password-reset"),
    path("password-reset/confirm", accounts_api.PasswordResetConfirmView.as_view(), name="api-password-reset-confirm"),
    path("users/<str:handle>", tweets_api.UserDetailView.as_view(), name="api-user"),  # with pinnedTweet
    path("users/<str:handle>/follow", social_api.FollowView.as_view(), name="api-follow"),
    path("users/<str:handle>/unfollow", social_api.UnfollowView.as_view(), name="api-unfollow"),
    path("users/<str:handle>/followers", social_api.FollowersView.as_view(), name="api-followers"),
    path("users/<str:handle>/following", social_api.FollowingView.as_view(), name="api-following"),
    path("users/<str:handle>/block", social_api.BlockView.as_view(), name="api-block"),
    path("users/<str:handle>/unblock", social_api.UnblockView.as_view(), name="api-unblock"),
    path("users/<str:handle>/mute", social_api.MuteView.as_view(), name="api-mute"),
    path("users/<str:handle>/unmute", social_api.UnmuteView.as_view(), name="api-unmute"),
    path("follow-requests", social_api.FollowRequestsView.as_view(), name="api-follow-requests"),
    path("follow-requests/<str:request_id>/approve", social_api.FollowRequestApproveView.as_view()),
    path("follow-requests/<str:request_id>/deny", social_api.FollowRequestDenyView.as_view()),
    path("media/upload", dm_api.MediaUploadView.as_view(), name="api-media-upload"),
    path("media/<str:media_id>", dm_api.MediaDetailView.as_view(), name="api-media-detail"),
    path("tweets", tweets_api.TweetCreateView.as_view(), name="api-tweets"),
    path("tweets/<str:tweet_id>", tweets_api.TweetDetailView.as_view(), name="api-tweet"),
    path("tweets/<str:tweet_id>/like", tweets_api.LikeView.as_view(), name="api-tweet-like"),
    path("tweets/<str:tweet_id>/mute", notifications_api.ConversationMuteView.as_view(), name="api-tweet-mute"),
    path("tweets/<str:tweet_id>/retweet", tweets_api.RetweetView.as_view(), name="api-tweet-retweet"),
    path("tweets/<str:tweet_id>/pin", tweets_api.PinView.as_view(), name="api-tweet-pin"),
    path("tweets/<str:tweet_id>/replies", tweets_api.RepliesView.as_view(), name="api-tweet-replies"),
    path("tweets/<str:tweet_id>/likers", tweets_api.LikersView.as_view(), name="api-tweet-likers"),
    path("tweets/<str:tweet_id>/retweeters", tweets_api.RetweetersView.as_view(), name="api-tweet-retweeters"),
    path("tweets/<str:tweet_id>/quotes", tweets_api.QuotesView.as_view(), name="api-tweet-quotes"),
    path("tweets/<str:tweet_id>/bookmark", tweets_api.BookmarkView.as_view(), name="api-tweet-bookmark"),
    path("bookmarks", tweets_api.BookmarksView.as_view(), name="api-bookmarks"),
    path("tweets/<str:tweet_id>/engagements", tweets_api.EngagementsView.as_view(), name="api-tweet-engagements"),
    path("tweets/<str:tweet_id>/poll/votes", poll_api.PollVoteView.as_view(), name="api-poll-votes"),
    path("cards/preview", link_card_api.LinkPreviewView.as_view(), name="api-card-preview"),
    path("drafts", draft_api.DraftsView.as_view(), name="api-drafts"),
    path("drafts/<str:draft_id>", draft_api.DraftDetailView.as_view(), name="api-draft"),
    path("drafts/<str:draft_id>/publish", draft_api.DraftPublishView.as_view(), name="api-draft-publish"),
    path("scheduled", draft_api.ScheduledView.as_view(), name="api-scheduled"),
    path("scheduled/<str:draft_id>", draft_api.ScheduledDetailView.as_view(), name="api-scheduled-detail"),
    path("timeline/home", timelines_api.HomeTimelineView.as_view(), name="api-timeline-home"),
    path("timeline/user/<str:handle>", tweets_api.UserTimelineView.as_view(), name="api-timeline-user"),
    path("lists", lists_api.ListsView.as_view(), name="api-lists"),
    path("lists/<str:list_id>", lists_api.ListDetailView.as_view(), name="api-list"),
    path("lists/<str:list_id>/members", lists_api.ListMembersView.as_view(), name="api-list-members"),
    path("lists/<str:list_id>/members/<str:handle>", lists_api.ListMemberView.as_view(), name="api-list-member"),
    path("lists/<str:list_id>/timeline", lists_api.ListTimelineView.as_view(), name="api-timeline-list"),
    path("notifications", notifications_api.NotificationsView.as_view(), name="api-notifications"),
    path("notifications/read-all", notifications_api.ReadAllView.as_view(), name="api-notifications-read-all"),
    path(
        "notifications/<str:notification_id>/read", notifications_api.ReadView.as_view(), name="api-notification-read"
    ),
    path("search", search_api.SearchView.as_view(), name="api-search"),
    path("trends", search_api.TrendsView.as_view(), name="api-trends"),
    path("conversations", dm_api.ConversationsView.as_view(), name="api-conversations"),
    path("conversations/<str:conversation_id>", dm_api.ConversationView.as_view(), name="api-conversation"),
    path("conversations/<str:conversation_id>/participants", dm_api.ParticipantsView.as_view()),
    path("conversations/<str:conversation_id>/leave", dm_api.LeaveView.as_view()),
    path("conversations/<str:conversation_id>/read", dm_api.ReadView.as_view(), name="api-conversation-read"),
    path("messages", dm_api.MessagesView.as_view(), name="api-messages"),
    path("messages/media/<str:image_id>", dm_api.MessageMediaView.as_view(), name="api-message-media"),
    path("messages/<str:message_id>", dm_api.MessageView.as_view(), name="api-message"),
    path("account/privacy", notifications_api.PrivacySettingsView.as_view(), name="api-privacy"),
    path(
        "account/notification-settings",
        notifications_api.NotificationSettingsView.as_view(),
        name="api-notification-settings",
    ),
    path("account/push-subscriptions", push_api.PushSubscriptionsView.as_view(), name="api-push-subscriptions"),
    path("account/push-subscriptions/vapid-key", push_api.VapidKeyView.as_view(), name="api-push-vapid-key"),
    path("account/push-subscriptions/<str:subscription_id>", push_api.PushSubscriptionView.as_view()),
    path("account/export", accounts_api.AccountExportView.as_view(), name="api-account-export"),
    path("account", accounts_api.AccountView.as_view(), name="api-account"),
    path("filters", filters_api.FiltersView.as_view(), name="api-filters"),
    path("filters/<str:filter_id>", filters_api.FilterView.as_view(), name="api-filter"),
    path("reports", moderation_api.ReportsView.as_view(), name="api-reports"),
    path("instance", InstanceView.as_view(), name="api-instance"),  # an addition: where live events are
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file of its own, so the CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
