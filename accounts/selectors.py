"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from config.kernel.api.fields import parse_id
from config.kernel.sql import select_rows, unique_or_none


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def user_by_username(username: str, *, with_pinned: bool = False) -> User | None:
    """An active user by username, whatever its case; `with_pinned` brings the pinned post in the same query."""
    if not username:
        return None
    users = active_users().filter(username__iexact=username)
    return unique_or_none(users.select_related("pinned_tweet") if with_pinned else users)


def user_by_handle(handle: str) -> User | None:
    """An active user by numeric id or by username (usernames start with a letter)."""
    handle = handle.strip().removeprefix("@")
    user_id = parse_id(handle)
    if user_id is not None:
        found = select_rows(User, id=user_id, is_active=True)  # every action on a person looks them up
        return found[0] if found else None
    return user_by_username(handle)


def newest_users(*, limit: int = 20) -> list[User]:
    return list(active_users().order_by("-date_joined")[:limit])
