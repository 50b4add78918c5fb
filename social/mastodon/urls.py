"""Mastodon's client API paths (issue 22), included under /api/ before Chirp's own /api/v1/.

Paths that exist in both APIs are dispatched by the caller's token (docs/DECISIONS.md "Mastodon API").
"""

from django.urls import include, path

from notifications import api as chirp_notifications
from social.mastodon import notifications_api
from social.mastodon.dispatch import shared
from social.mastodon.schema import MastodonSchemaView

urlpatterns: list = [
    path("v1/schema/mastodon/", MastodonSchemaView, name="mastodon-schema"),  # before Chirp's /api/v1/schema/
    path("", include("social.mastodon.urls_core")),  # apps, v2 instance, preferences, markers, verify_credentials
    path("", include("social.mastodon.urls_statuses")),  # statuses, accounts, timelines
    path("", include("social.mastodon.urls_live")),  # notifications, streaming
    # Shared with Chirp's own API: the caller's token decides which answers.
    path(
        "v1/notifications",
        shared(notifications_api.NotificationsView.as_view(), chirp_notifications.NotificationsView.as_view()),
        name="mastodon-notifications",
    ),
]
