"""The token decides: one path, two APIs (docs/DECISIONS.md "Mastodon API: apps, OAuth and shared paths").

Paths such as /api/v1/notifications exist in Chirp's API and in Mastodon's with different answers.
A call whose bearer token is an OAuth access token of an app registered through Mastodon's
POST /api/v1/apps (DeveloperApp.api == "mastodon") gets Mastodon's view; every other call
(knox tokens, Chirp apps' tokens, sessions, no token, unknown tokens) gets Chirp's, which
authenticates it as always.
"""

from __future__ import annotations

import hashlib

from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import get_authorization_header

from config.kernel.api.auth import OAUTH_TOKEN_PREFIX


def is_mastodon_token(request) -> bool:
    """Whether the bearer token is an OAuth access token of a Mastodon app. One query at most, none without one."""
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return False
    token = parts[1].decode("latin1")
    if not token.startswith(OAUTH_TOKEN_PREFIX):  # knox's, or no token we made
        return False
    checksum = hashlib.sha256(token.encode()).hexdigest()  # tokens are stored as their SHA-256 only
    return get_access_token_model().objects.filter(token_checksum=checksum, application__chirp__api="mastodon").exists()


def shared(mastodon_view, chirp_view, *, documented=None):
    """A view sending each call to `mastodon_view` or `chirp_view` by its token (both are `as_view()` results).

    `documented` is the view whose class the schemas see (Chirp's unless said otherwise).
    """

    def view(request, *args, **kwargs):
        target = mastodon_view if is_mastodon_token(request) else chirp_view
        return target(request, *args, **kwargs)

    # The CSRF exemption of DRF's views (and a view's other markers) hold for the dispatcher too.
    view.csrf_exempt = getattr(chirp_view, "csrf_exempt", False) and getattr(mastodon_view, "csrf_exempt", False)
    if not getattr(chirp_view, "login_required", True) or not getattr(mastodon_view, "login_required", True):
        view.login_required = False
    view.mastodon_view, view.chirp_view = mastodon_view, chirp_view
    # Chirp's OpenAPI schema and the scope table's test read the view class off the URL's callback:
    # they see Chirp's view (the schema documents Chirp's API; Mastodon's view declares its own scopes).
    documented = documented or chirp_view
    for name in ("cls", "initkwargs", "view_class", "view_initkwargs"):
        if hasattr(documented, name):
            setattr(view, name, getattr(documented, name))
    return view
