"""Test URLconf: the Mastodon views of paths shared with Chirp's API mounted first, then the site.

(In the site the shared paths go through the token dispatcher; these tests call the views straight.)
"""

from django.urls import include, path

from social.mastodon.urls_more import SHARED_ROUTES

urlpatterns = [
    path("api/", include([path(route, view.as_view(), name=name) for route, view, name in SHARED_ROUTES])),
    path("", include("config.urls")),
]
