"""The list-timeline row: each bench reader gets one list of people they follow, read like home.

A list of `SIZE` of the reader's followees (the most followed first, as people
list the accounts they read most), built in bulk so preparing 300 readers stays
quick, and its Redis timeline warmed as home timelines are. The row reads
`GET /api/v1/lists/:id/timeline?limit=20` with the owner's token: the same
Redis read, hydration and visibility filter as `home_api`.
"""

from __future__ import annotations

SIZE = 50
NAME = "bench list"


def make_lists(reader_ids: list[int], size: int = SIZE) -> dict[int, int]:
    """One list per reader (replacing an earlier bench list): {reader id: list id}."""
    from django.db import transaction

    from social.graph.models import Follow
    from timelines.models import List, ListMember

    with transaction.atomic():
        List.objects.filter(owner_id__in=reader_ids, name=NAME).delete()
        made = {}
        for reader_id in reader_ids:
            members = list(
                Follow.objects.filter(follower_id=reader_id)
                .order_by("-followee__followers_count", "followee_id")
                .values_list("followee_id", flat=True)[:size]
            )
            lst = List.objects.create(owner_id=reader_id, name=NAME, member_count=len(members))
            ListMember.objects.bulk_create([ListMember(list=lst, user_id=m) for m in members])
            made[reader_id] = lst.pk
    return made


def warm(list_ids: list[int]) -> int:
    """Build the lists' Redis timelines from PostgreSQL, as their first read would. Returns how many."""
    from timelines import list_timelines
    from timelines.models import List
    from timelines.store import TimelineStore

    store = TimelineStore()
    return sum(list_timelines.rebuild(store, lst) for lst in List.objects.filter(pk__in=list_ids))


def requests(lists: dict[int, int], tokens: dict[int, str]) -> list[dict]:
    """The row's requests: each reader's list timeline with their bearer token."""
    return [
        {"path": f"/api/v1/lists/{list_id}/timeline?limit=20", "headers": {"Authorization": f"Bearer {tokens[owner]}"}}
        for owner, list_id in lists.items()
    ]
