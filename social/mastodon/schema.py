"""Mastodon's endpoints get an OpenAPI document of their own, `/api/v1/schema/mastodon/`.

Chirp's schema (`/api/v1/schema/`) is Chirp's contract: camelCase, `{"error", "fields"}`,
cursors, and a fuzz that holds the API to it. Mastodon's endpoints answer Mastodon's
documented shapes instead, so they are listed apart: every path, method and the OAuth
scope it needs, with Mastodon's entities named as JSON objects (docs/API.md, "Mastodon
client API", says which fields Chirp fills).
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView

from social.mastodon.base import MastodonSchema


def _is_mastodon(callback) -> bool:
    view_class = getattr(callback, "cls", None)
    return isinstance(getattr(view_class, "schema", None), MastodonSchema)


def without_mastodon(endpoints, **kwargs):
    """PREPROCESSING_HOOKS of Chirp's schema: Mastodon's endpoints are in their own."""
    return [e for e in endpoints if not _is_mastodon(e[3])]


def only_mastodon(endpoints, **kwargs):
    return [e for e in endpoints if _is_mastodon(e[3])]


MastodonSchemaView = SpectacularAPIView.as_view(
    urlconf="social.mastodon.schema_urls",
    custom_settings={
        "TITLE": "Chirp's Mastodon client API",
        "DESCRIPTION": (
            "Mastodon's client API as Chirp answers it (https://docs.joinmastodon.org/client/intro/): "
            'snake_case, `Link` header paging with max_id/since_id/min_id, errors `{"error": ...}`. '
            "Each operation names the OAuth scope it needs. docs/API.md lists what is supported."
        ),
        "PREPROCESSING_HOOKS": ["social.mastodon.schema.only_mastodon"],
        "SCHEMA_PATH_PREFIX": "/api/v[12]",
    },
)
