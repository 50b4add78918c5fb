"""Reads for accounts."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import SecurityEvent, User, UserSession
from config.kernel.api.fields import parse_id
from config.kernel.sql import select_rows, unique_or_none


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def suggestible_users() -> QuerySet[User]:
    """People the site may put forward to follow (Explore, who to follow, the APIs' suggestions):
    active, and never a staff or superuser account (`root`, `moderator`), which exist to run the site."""
    return active_users().filter(is_staff=False, is_superuser=False)


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
    """Explore's "New on Chirp": a suggestion too, so staff accounts stay out."""
    return list(suggestible_users().order_by("-date_joined")[:limit])


def security_events(
    user: User, *, before: int | None = None, limit: int = 20
) -> tuple[list[SecurityEvent], int | None]:
    """A page of someone's security log, newest first, and the id to read older ones from (None: no more)."""
    events = SecurityEvent.objects.filter(user=user)
    if before is not None:
        events = events.filter(pk__lt=before)
    page = list(events.order_by("-id")[: limit + 1])
    return page[:limit], (page[limit - 1].pk if len(page) > limit else None)


def live_sessions(user: User) -> list[UserSession]:
    """Someone's signed-in sessions, most recently used first: those whose Django session still holds."""
    alive = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    return list(UserSession.objects.filter(user=user).filter(Exists(alive)).order_by("-last_seen_at")[:50])
