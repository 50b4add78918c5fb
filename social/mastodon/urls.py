"""Mastodon's client API paths (issue 22), included under /api/ before Chirp's own /api/v1/.

Paths that exist in both APIs are dispatched by the caller's token (docs/DECISIONS.md "Mastodon API").
"""

from django.urls import include, path

urlpatterns: list = [
    path("", include("social.mastodon.urls_more")),  # media, lists, filters and more; update_credentials first
    path("", include("social.mastodon.urls_statuses")),  # statuses, accounts, timelines
]
