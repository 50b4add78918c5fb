"""An account's place in the Redis timelines, for its erasure (connected in config/wiring.py)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from config.kernel import ids
from config.kernel.timefmt import iso_z
from timelines.models import List, ListMember
from timelines.services import remove_everywhere
from timelines.store import TimelineStore
from tweets.models import Tweet


def erase_user(*, user: User) -> None:
    """Their entries, and others' retweets of their posts, out of every home timeline in Redis.

    Runs before the follows and posts go: it finds the readers through them. A
    timeline holds at most TIMELINE_MAX_ENTRIES (plus slack) newest entries,
    so older posts of theirs can't be in one. Anything missed is a dangling id
    that reading skips, as after any delete.
    """
    store = TimelineStore()
    window = settings.TIMELINE_MAX_ENTRIES + settings.TIMELINE_TRIM_SLACK
    own = list(Tweet.objects.filter(author=user).order_by("-id").values_list("id", flat=True)[:window])
    remove_everywhere(user.pk, own, store)
    since = ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
    shares: dict[int, list[int]] = defaultdict(list)
    for author_id, entry_id in Tweet.objects.filter(retweet_of__author=user, id__gte=since).values_list(
        "author_id", "id"
    ):
        shares[author_id].append(entry_id)
    for author_id, entries in shares.items():
        remove_everywhere(author_id, entries, store)
    store.drop_home(user.pk)
    store.replace_recent(user.pk, [])


def export_user(*, user: User, files) -> list[tuple[str, list[dict]]]:
    """Their lists, each with its members (accounts that are gone left out)."""
    lists = list(List.objects.filter(owner=user).order_by("id"))
    members: dict[int, list[dict]] = defaultdict(list)
    rows = ListMember.objects.filter(list__owner=user, user__is_active=True).select_related("user").order_by("id")
    for row in rows:
        members[row.list_id].append({"id": str(row.user_id), "username": row.user.username})
    return [
        ("lists.json", [
            {"id": str(lst.pk), "name": lst.name, "description": lst.description, "private": lst.is_private,
             "createdAt": iso_z(lst.created_at), "members": members[lst.pk]}
            for lst in lists
        ])
    ]  # fmt: skip
