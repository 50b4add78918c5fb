"""Mastodon's notifications (v1 and grouped v2) and streaming paths."""

from django.urls import path

from social.mastodon import notifications_api as n
from social.mastodon import streaming

urlpatterns = [
    # /api/v1/notifications itself is a shared path: social/mastodon/urls.py dispatches it by token.
    path("v1/notifications/clear", n.ClearView.as_view(), name="mastodon-notifications-clear"),
    path("v1/notifications/unread_count", n.UnreadCountView.as_view(), name="mastodon-notifications-unread"),
    path("v1/notifications/<int:notification_id>", n.NotificationView.as_view(), name="mastodon-notification"),
    path(
        "v1/notifications/<int:notification_id>/dismiss", n.DismissView.as_view(), name="mastodon-notification-dismiss"
    ),
    path("v2/notifications", n.GroupedNotificationsView.as_view(), name="mastodon-notifications-v2"),
    path("v2/notifications/unread_count", n.UnreadCountView.as_view(), name="mastodon-notifications-unread-v2"),
    path("v2/notifications/<str:group_key>", n.GroupView.as_view(), name="mastodon-notification-group"),
    path("v2/notifications/<str:group_key>/dismiss", n.GroupDismissView.as_view(), name="mastodon-group-dismiss"),
    path("v2/notifications/<str:group_key>/accounts", n.GroupAccountsView.as_view(), name="mastodon-group-accounts"),
    path("v1/streaming/health", streaming.health, name="mastodon-streaming-health"),
    path("v1/streaming/<path:stream>", streaming.sse, name="mastodon-streaming"),
]
