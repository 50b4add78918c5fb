"""Clients holding a token of an app registered as a Mastodon app (accounts.models.DeveloperApp.api)."""

from __future__ import annotations

from accounts.models import DeveloperApp
from tests.oauth.tokens import bearer, make_app, make_token

ALL = "read write follow push"


def mastodon_app(name: str = "Toot client"):
    app = make_app(name)
    DeveloperApp.objects.create(application=app, scopes=ALL, api="mastodon")
    return app


def masto(user, scope: str = ALL):
    """An API client for `user` with a Mastodon app's token of `scope`."""
    return bearer(make_token(user, scope, app=mastodon_app()))


def link_of(response, rel: str) -> str | None:
    """The URL of `rel` in the Link header (path and query)."""
    for part in response.get("Link", "").split(","):
        url, _, kind = part.strip().partition(";")
        if f'rel="{rel}"' in kind:
            return "/" + url.strip("<> ").split("://", 1)[-1].split("/", 1)[-1]
    return None
