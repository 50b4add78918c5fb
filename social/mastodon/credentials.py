"""Mastodon's CredentialAccount (GET /api/v1/accounts/verify_credentials): the caller's own account."""

from __future__ import annotations

from accounts.models import User
from social.graph.models import FollowRequest
from social.mastodon import entities


def privacy_of(user: User) -> str:
    """Mastodon's default posting visibility: a private account's posts are for its followers."""
    return "private" if user.is_private else "public"


def account_json(user: User, request) -> dict:
    """Mastodon's CredentialAccount for `user`: the Account entity with its `source`."""
    return entities.account_json(user, request) | {
        "source": {
            "privacy": privacy_of(user),
            "sensitive": False,
            "language": None,
            "note": user.bio,
            "fields": [],
            "follow_requests_count": FollowRequest.objects.filter(target=user).count(),
        },
    }
