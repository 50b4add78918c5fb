"""Mastodon's client API paths (issue 22), included under /api/ before Chirp's own /api/v1/.

Paths that exist in both APIs are dispatched by the caller's token (docs/DECISIONS.md "Mastodon API").
"""

from django.urls import path, register_converter

from config import api_urls as chirp_urls
from config.kernel.url_prefixes import include_by_prefix
from social.mastodon import notifications_api
from social.mastodon.dispatch import shared
from social.mastodon.schema import MastodonSchemaView
from social.mastodon.urls_more import SHARED_ROUTES


class Digits:
    """An id segment of digits, kept a string: a shared id route mustn't catch Chirp's `media/upload`."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(Digits, "digits")


def _shared(route: str, view_class, name: str):
    """`route` dispatched by token where Chirp's API has the same path; mounted plainly where it hasn't."""
    chirp_route = route.removesuffix("/")  # Mastodon.py asks some paths with a trailing slash
    chirp = next((p for p in chirp_urls.urlpatterns if "v1/" + str(p.pattern) == chirp_route), None)
    mastodon_view = view_class.as_view()
    digits_only = route.replace("<str:", "<digits:")
    if not chirp:
        return path(digits_only, mastodon_view, name=name)
    # A trailing-slash alias is Mastodon.py's spelling, not Chirp's API: Mastodon's schema lists it, Chirp's doesn't.
    documented = mastodon_view if route.endswith("/") else None
    return path(digits_only, shared(mastodon_view, chirp.callback, documented=documented), name=name)


# Each group is passed over at once by a path that starts like none of its routes
# (config/kernel/url_prefixes.py): a call is tried against one group's routes, not all 98.
urlpatterns: list = [
    path("v1/schema/mastodon/", MastodonSchemaView, name="mastodon-schema"),  # before Chirp's /api/v1/schema/
    include_by_prefix("", "social.mastodon.urls_core"),  # apps, v2 instance, preferences, markers, verify_credentials
    include_by_prefix("", "social.mastodon.urls_more"),  # media, lists, filters and more; update_credentials first
    include_by_prefix("", "social.mastodon.urls_statuses"),  # statuses, accounts, timelines
    include_by_prefix("", "social.mastodon.urls_live"),  # notifications, streaming
    # Shared with Chirp's own API: the caller's token decides which answers.
    *(
        _shared(route, view_class, name)
        for route, view_class, name in [
            *SHARED_ROUTES,
            ("v1/notifications", notifications_api.NotificationsView, "mastodon-notifications"),
        ]
    ),
]
