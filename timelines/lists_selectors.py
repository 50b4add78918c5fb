"""Reading lists: which lists a viewer may see, their members, and a list's timeline.

A list's timeline is read as the home timeline is (timelines/selectors.py):
its Redis set first, rebuilt from PostgreSQL under a lock on a miss, and SQL
while Redis is down or another request is rebuilding it. Every page is
hydrated for the viewer, so entries the viewer may not see drop out and the
page keeps filling from older ids.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from redis.exceptions import RedisError

from accounts.models import User
from config.kernel.api.pagination import PageRequest, keyset_page
from config.kernel.redis import log_unavailable
from config.kernel.sql import unique_or_none
from social.graph.selectors import with_relations
from social.graph.visibility import readable_authors, users_visible_to, viewer_id_of
from timelines import list_timelines
from timelines.models import List, ListMember
from timelines.selectors import _grouped
from timelines.store import TimelineStore
from tweets.models import Tweet
from tweets.selectors import hydrate, load_cards

logger = logging.getLogger(__name__)

MAX_ROUNDS = 3  # refills per page when entries drop out


def lists_visible_to(viewer) -> Q:
    """One's own lists, and public lists of owners whose posts the viewer may read (privacy and blocks)."""
    public = Q(is_private=False) & readable_authors(viewer, "owner__")
    viewer_id = viewer_id_of(viewer)
    return (Q(owner_id=viewer_id) | public) if viewer_id is not None else public


def list_for_viewer(list_id: int | None, viewer) -> List | None:
    """The list, or None when it doesn't exist or the viewer may not see it (a private list is the owner's only)."""
    if list_id is None:
        return None
    return unique_or_none(List.objects.filter(lists_visible_to(viewer), pk=list_id).select_related("owner"))


def owned_list(list_id: int | None, owner) -> List | None:
    """One of `owner`'s own lists (for writes), or None."""
    if list_id is None or not owner.is_authenticated:
        return None
    return unique_or_none(List.objects.filter(pk=list_id, owner=owner).select_related("owner"))


def lists_of(owner, viewer, page: PageRequest) -> tuple[list[List], int | None]:
    """`owner`'s lists that the viewer may see, newest first."""
    rows = List.objects.filter(lists_visible_to(viewer), owner=owner).select_related("owner")
    return keyset_page(rows, page)


def lists_with_member(owner, member_id: int) -> list[List]:
    """All of `owner`'s lists (at most 1,000), each marked `has_member`, for the "Add to lists" dialog."""
    holds = ListMember.objects.filter(list_id=OuterRef("pk"), user_id=member_id)
    return list(List.objects.filter(owner=owner).annotate(has_member=Exists(holds)).order_by("-id"))


def members(lst: List, viewer, page: PageRequest) -> tuple[list[User], int | None]:
    """The list's members the viewer may see, newest first, with follow state. As with followers
    lists, a private member shows only to those who may read them, and to the list's owner."""
    shown = users_visible_to if viewer_id_of(viewer) == lst.owner_id else readable_authors
    rows = ListMember.objects.filter(shown(viewer, "user__"), list=lst).select_related("user")
    rows, cursor = keyset_page(rows, page)
    return with_relations(viewer, [row.user for row in rows]), cursor


# --- the timeline --------------------------------------------------------------------------


def _for_viewer(ids: list[int], viewer) -> list[Tweet]:
    # Mutes stay visible in lists (social/graph/visibility.py: mutes hide only from home and notifications);
    # muted words apply as on home, where a list is read.
    return hydrate(load_cards(ids), viewer, muted_in="home")


def list_timeline(viewer, lst: List, page: PageRequest) -> tuple[list[Tweet], int | None]:
    """(entries, next_cursor) of the list's members' posts that the viewer may see, newest first."""
    if not settings.TIMELINE_READ_FROM_SQL:
        try:
            found = _from_redis(TimelineStore(), viewer, lst, page)
            if found is not None:
                return found
        except RedisError as error:
            log_unavailable(logger, error, "Redis unavailable; list %s read from SQL", lst.pk)
    return list_from_sql(viewer, lst, page)


def list_from_sql(viewer, lst: List, page: PageRequest) -> tuple[list[Tweet], int | None]:
    entries: list[Tweet] = []
    cursor = page.cursor
    for _ in range(MAX_ROUNDS):
        want = page.limit - len(entries)
        ids = list(list_timelines.member_entries(lst, before=cursor).order_by("-id").values_list("id", flat=True)[
            : want + 1])  # fmt: skip
        more = len(ids) > want
        ids = ids[:want]
        if ids:
            cursor = ids[-1]
            entries = _grouped(entries + _for_viewer(ids, viewer))
        if not more:
            return entries, None
        if len(entries) >= page.limit:
            break
    return entries[: page.limit], cursor


def _from_redis(store: TimelineStore, viewer, lst: List, page: PageRequest):
    found = list_timelines.read_page(store, lst, page.cursor, page.limit + 5)
    if found is None:
        if not list_timelines.rebuild(store, lst):
            return None  # another request is building it; this reader gets SQL meanwhile
        found = list_timelines.read_page(store, lst, page.cursor, page.limit + 5)
        if found is None:
            return None
    entries: list[Tweet] = []
    cursor = page.cursor
    for round_number in range(MAX_ROUNDS):
        want = (page.limit - len(entries)) + 5  # a little slack covers entries that drop out
        ids, trimmed = found if round_number == 0 else list_timelines.read_page(store, lst, cursor, want) or ([], False)
        if ids:
            cursor = ids[-1]
            entries = _grouped(entries + _for_viewer(ids, viewer))
        if len(entries) > page.limit:
            entries = entries[: page.limit]
            return entries, entries[-1].pk
        if len(ids) < want:
            if trimmed:  # the set holds only the newest entries; older pages continue in SQL
                more, next_cursor = list_from_sql(viewer, lst, PageRequest(cursor, page.limit - len(entries)))
                return _grouped(entries + more), next_cursor
            return entries, None
        if len(entries) == page.limit:
            break
    return entries, cursor


def list_newer(viewer, lst: List, after: int, limit: int = 50) -> list[Tweet]:
    """Entries newer than `after`, newest first: what the "Show N new posts" banner brings in."""
    ids = None
    if not settings.TIMELINE_READ_FROM_SQL:
        try:
            ids = list_timelines.newer(TimelineStore(), lst, after, limit)
        except RedisError as error:
            log_unavailable(logger, error, "Redis unavailable; new entries of list %s read from SQL", lst.pk)
    if ids is None:
        ids = list(list_timelines.member_entries(lst, after=after).order_by("id").values_list("id", flat=True)[:limit])
    return _grouped(_for_viewer(sorted(ids, reverse=True), viewer))
