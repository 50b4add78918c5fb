"""Mastodon's CredentialAccount (GET /api/v1/accounts/verify_credentials): the caller's own account.

Kept small on purpose: the full Account entity lives in entities.py and takes this over when merged.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.templatetags.static import static
from django.utils.html import linebreaks

from accounts.models import User
from accounts.serializers import media_url
from config.kernel.timefmt import iso_z
from tweets.models import Tweet


def _image(request, field) -> str:
    """Mastodon always answers an image URL: without an avatar, the site's icon."""
    return media_url(request, field) or request.build_absolute_uri(static("icons/icon-192.png"))


def privacy_of(user: User) -> str:
    """Mastodon's default posting visibility: a private account's posts are for its followers."""
    return "private" if user.is_private else "public"


def account_json(user: User, request) -> dict:
    """Mastodon's CredentialAccount for `user` (one query: their posts' count and latest)."""
    posts = Tweet.objects.filter(author=user).aggregate(n=Count("id"), last=Max("created_at"))
    avatar = _image(request, user.avatar)
    header = media_url(request, user.header) or ""
    return {
        "id": str(user.pk),
        "username": user.username,
        "acct": user.username,
        "display_name": user.name,
        "locked": user.is_private,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": iso_z(user.date_joined),
        "note": linebreaks(user.bio, autoescape=True) if user.bio else "",
        "url": request.build_absolute_uri(f"/{user.username}"),
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": user.followers_count,
        "following_count": user.following_count,
        "statuses_count": posts["n"],
        "last_status_at": posts["last"].date().isoformat() if posts["last"] else None,
        "emojis": [],
        "fields": [],
        "source": {
            "privacy": privacy_of(user),
            "sensitive": False,
            "language": None,
            "note": user.bio,
            "fields": [],
            "follow_requests_count": 0,
        },
    }
