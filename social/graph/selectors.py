"""Reads for the social graph: lists of people, requests, suggestions, relation states."""

from __future__ import annotations

from contextlib import suppress

from django.core.cache import cache
from django.db.models import Count
from redis.exceptions import RedisError

from accounts.models import User
from accounts.selectors import suggestible_users
from config.kernel.api.pagination import PageRequest, keyset_page
from social.graph.models import Block, Follow, FollowRequest, Mute
from social.graph.visibility import RelationSet, readable_authors, users_visible_to, viewer_id_of

SUGGESTIONS_TTL = 600  # seconds; friends-of-friends is too costly to count per page view


def with_relations(viewer, users: list[User]) -> list[User]:
    """Mark each user with the viewer's relation, for follow buttons and the API (4 queries)."""
    ids = [u.pk for u in users]
    relations = RelationSet.for_viewer(viewer, ids)
    relations.load_requests(ids)
    followers_of_viewer = set()
    if relations.viewer_id is not None and ids:
        followers_of_viewer = set(
            Follow.objects.filter(followee_id=relations.viewer_id, follower_id__in=ids).values_list(
                "follower_id", flat=True
            )
        )
    for user in users:
        user.relation = relation_of(relations, user, follows_viewer=user.pk in followers_of_viewer)
    return users


def relation_of(relations: RelationSet, user: User, follows_viewer: bool = False) -> dict:
    is_self = user.pk == relations.viewer_id
    return {
        "is_self": is_self,
        "signed_in": relations.viewer_id is not None,
        "following": user.pk in relations.following,
        "requested": user.pk in relations.requested,
        "followed_by": follows_viewer,
        "blocking": user.pk in relations.blocked,
        "blocked_by": user.pk in relations.blocked_by,
        "muting": user.pk in relations.muted,
    }


def _people(rows, attribute: str, viewer) -> list[User]:
    return with_relations(viewer, [getattr(row, attribute) for row in rows])


def _listed(owner: User, viewer, prefix: str):
    """Who may appear in `owner`'s lists: a private account's follows are its own business,
    shown to those who may read it, and to the list's owner (who should know who follows them)."""
    if viewer_id_of(viewer) == owner.pk:
        return users_visible_to(viewer, prefix)
    return readable_authors(viewer, prefix)


def follower_rows(user: User, viewer):
    """The follows of `user` the viewer may see, with the `follower`; a follow's id is its paging key."""
    return Follow.objects.filter(followee=user).filter(_listed(user, viewer, "follower__")).select_related("follower")


def following_rows(user: User, viewer):
    """`user`'s follows the viewer may see, with the `followee`; a follow's id is its paging key."""
    return Follow.objects.filter(follower=user).filter(_listed(user, viewer, "followee__")).select_related("followee")


def followers(user: User, viewer, page: PageRequest) -> tuple[list[User], int | None]:
    rows, cursor = keyset_page(follower_rows(user, viewer), page)
    return _people(rows, "follower", viewer), cursor


def following(user: User, viewer, page: PageRequest) -> tuple[list[User], int | None]:
    rows, cursor = keyset_page(following_rows(user, viewer), page)
    return _people(rows, "followee", viewer), cursor


def follow_requests(target: User, page: PageRequest) -> tuple[list[FollowRequest], int | None]:
    rows = FollowRequest.objects.filter(target=target, requester__is_active=True).select_related("requester")
    return keyset_page(rows, page)


def pending_request_count(target: User) -> int:
    return FollowRequest.objects.filter(target=target).count()


def block_rows(user: User):
    return Block.objects.filter(blocker=user).select_related("blocked")  # a block's id is its paging key


def mute_rows(user: User):
    return Mute.objects.filter(muter=user).select_related("muted")  # a mute's id is its paging key


def blocked_people(user: User, page: PageRequest) -> tuple[list[User], int | None]:
    rows, cursor = keyset_page(block_rows(user), page)
    return [row.blocked for row in rows], cursor


def muted_people(user: User, page: PageRequest) -> tuple[list[User], int | None]:
    rows, cursor = keyset_page(mute_rows(user), page)
    return [row.muted for row in rows], cursor


def _suggestion_ids(viewer_id: int | None, limit: int) -> list[int]:
    excluded: set[int] = set()
    ranked: list[int] = []
    if viewer_id is not None:
        excluded = {viewer_id}
        excluded |= set(Follow.objects.filter(follower_id=viewer_id).values_list("followee_id", flat=True))
        excluded |= set(FollowRequest.objects.filter(requester_id=viewer_id).values_list("target_id", flat=True))
        excluded |= set(Block.objects.filter(blocker_id=viewer_id).values_list("blocked_id", flat=True))
        excluded |= set(Block.objects.filter(blocked_id=viewer_id).values_list("blocker_id", flat=True))
        excluded |= set(Mute.objects.filter(muter_id=viewer_id).values_list("muted_id", flat=True))
        friends = Follow.objects.filter(follower_id=viewer_id).values("followee_id")
        ranked = list(
            Follow.objects.filter(follower_id__in=friends, followee__in=suggestible_users())
            .exclude(followee_id__in=excluded)
            .values("followee_id")
            .annotate(friends=Count("id"))
            .order_by("-friends", "followee_id")
            .values_list("followee_id", flat=True)[:limit]
        )
    if len(ranked) < limit:
        popular = (
            suggestible_users()
            .exclude(pk__in=excluded | set(ranked))
            .order_by("-followers_count", "pk")
            .values_list("pk", flat=True)[: limit - len(ranked)]
        )
        ranked += list(popular)
    return ranked


def who_to_follow(viewer, limit: int = 3) -> list[User]:
    """Friends of friends first, then popular accounts; never self, followed, requested, blocked, or staff
    (`accounts.selectors.suggestible_users`: the one rule for every list that suggests people)."""
    viewer_id = viewer_id_of(viewer)
    key = f"who-to-follow:{viewer_id or 'anonymous'}:{limit}"
    try:
        ids = cache.get(key)
    except RedisError:  # the cache is an optimisation: work it out afresh
        ids = None
    if ids is None:
        ids = _suggestion_ids(viewer_id, limit)
        with suppress(RedisError):
            cache.set(key, ids, SUGGESTIONS_TTL)

    by_id = User.objects.in_bulk(ids)
    # The cached ids may name someone suspended (or made staff) since.
    shown = [by_id[i] for i in ids if i in by_id and by_id[i].is_active and not _is_staff(by_id[i])]
    return with_relations(viewer, shown)


def _is_staff(user: User) -> bool:
    return user.is_staff or user.is_superuser


def forget_suggestions(*user_ids: int) -> None:
    """After a follow, block or mute, the next page suggests afresh."""
    with suppress(RedisError):  # stale suggestions for a few minutes beat a failed follow
        cache.delete_many([f"who-to-follow:{i}:{n}" for i in user_ids for n in (3, 10)])
