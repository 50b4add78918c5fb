"""The URLconf the Mastodon OpenAPI document reads (social/mastodon/schema.py): Mastodon's paths only."""

from django.urls import include, path

urlpatterns = [path("api/", include("social.mastodon.urls"))]
