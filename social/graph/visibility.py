"""Who may see what: the one place that decides, and every read path asks it.

The rule, for a viewer V and an author A:
- A blocked V, or V blocked A: V sees nothing of A (posts, lists, likes, retweets).
- A is private: only A and A's approved followers see A's posts and lists.
- A is inactive (deleted or suspended): nobody sees A.
- V muted A: A is hidden only from V's home timeline and notifications
  (`RelationSet.is_muted`); everywhere else A stays visible.

It comes in two forms that must agree: queryset filters for lists
(`tweets_visible_to`, `users_visible_to`) and `RelationSet`, which answers for
objects already loaded (hydration, single objects, live events).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from config.kernel.routers import read_connection
from config.kernel.sql import id_array
from social.graph.models import Block, Follow, FollowRequest, Mute


def viewer_id_of(viewer) -> int | None:
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def _blocked_either_way(viewer_id: int):
    return Block.objects.filter(blocker_id=viewer_id).values("blocked_id"), Block.objects.filter(
        blocked_id=viewer_id
    ).values("blocker_id")


def users_visible_to(viewer, prefix: str = "") -> Q:
    """Users that exist for the viewer: active, and no block between them."""
    condition = Q(**{f"{prefix}is_active": True})
    viewer_id = viewer_id_of(viewer)
    if viewer_id is not None:
        blocked, blockers = _blocked_either_way(viewer_id)
        condition &= ~Q(**{f"{prefix}pk__in": blocked}) & ~Q(**{f"{prefix}pk__in": blockers})
    return condition


def readable_authors(viewer, prefix: str = "") -> Q:
    """Users whose posts and lists the viewer may read (privacy on top of existence)."""
    viewer_id = viewer_id_of(viewer)
    open_to_viewer = Q(**{f"{prefix}is_private": False})
    if viewer_id is not None:
        followed = Follow.objects.filter(follower_id=viewer_id).values("followee_id")
        open_to_viewer |= Q(**{f"{prefix}pk": viewer_id}) | Q(**{f"{prefix}pk__in": followed})
    return users_visible_to(viewer, prefix) & open_to_viewer


def tweets_visible_to(viewer, prefix: str = "") -> Q:
    """A filter on tweets (or on `prefix` relations to tweets) the viewer may read."""
    return readable_authors(viewer, prefix=f"{prefix}author__")


@dataclass
class RelationSet:
    """The viewer's relations with a known set of users, loaded in three queries."""

    viewer_id: int | None
    following: set[int] = field(default_factory=set)
    requested: set[int] = field(default_factory=set)
    blocked: set[int] = field(default_factory=set)  # the viewer blocked them
    blocked_by: set[int] = field(default_factory=set)  # they blocked the viewer
    muted: set[int] = field(default_factory=set)

    @classmethod
    def for_viewer(cls, viewer, user_ids: Iterable[int] = ()) -> RelationSet:
        """One query: the viewer's follows, blocks (both ways) and mutes among `user_ids`."""

        relations = cls(viewer_id=viewer_id_of(viewer))
        sql, params = relations.query(user_ids)
        if sql:
            with read_connection(Follow).cursor() as cursor:
                cursor.execute(sql, params)
                relations.take(cursor.fetchall())
        return relations

    LABELS = ("following", "blocked", "blocked_by", "muted")

    def query(self, user_ids: Iterable[int]) -> tuple[str, list]:
        """The SQL for `for_viewer`, for callers that fold it into a bigger query of their own.

        Hand-written: this runs on every page, and the ORM spends longer
        composing a four-part UNION than the database spends answering it.
        """
        ids = sorted({i for i in user_ids if i is not None} - {self.viewer_id})
        if self.viewer_id is None or not ids:
            return "", []
        # One probe of the (viewer, other) unique index per id, never a walk
        # of the viewer's list: with `other = ANY(...)` the planner may read
        # all of someone's follows through the (follower, id) index, which is
        # 5 ms for 5,000 follows against 0.15 ms for a page's 31 authors.
        parts, params = [], []
        array = id_array(ids)
        for label, table, mine, other in (
            ("following", Follow._meta.db_table, "follower_id", "followee_id"),
            ("blocked", Block._meta.db_table, "blocker_id", "blocked_id"),
            ("blocked_by", Block._meta.db_table, "blocked_id", "blocker_id"),
            ("muted", Mute._meta.db_table, "muter_id", "muted_id"),
        ):
            parts.append(
                f"SELECT '{label}', ids.id FROM unnest(%s::bigint[]) AS ids(id) CROSS JOIN LATERAL"  # noqa: S608
                f" (SELECT 1 FROM {table} WHERE {mine} = %s AND {other} = ids.id LIMIT 1) AS hit"
            )
            params += [array, self.viewer_id]
        return " UNION ALL ".join(parts), params

    def take(self, rows) -> None:
        """Add (label, user id) rows from `query` to the sets."""
        for label, user_id in rows:
            if label in self.LABELS:
                getattr(self, label).add(user_id)

    def load_requests(self, user_ids: Iterable[int]) -> None:
        """Pending follow requests, for follow buttons only."""
        if self.viewer_id is not None:
            self.requested = set(
                FollowRequest.objects.filter(requester_id=self.viewer_id, target_id__in=set(user_ids)).values_list(
                    "target_id", flat=True
                )
            )

    def is_blocked(self, user) -> bool:
        return user.pk in self.blocked or user.pk in self.blocked_by

    def user_exists(self, user) -> bool:
        return user is not None and user.is_active and not self.is_blocked(user)

    def can_see_author(self, author) -> bool:
        """Whether the viewer may read this person's posts, likes and lists."""
        if not self.user_exists(author):
            return False
        if not author.is_private or author.pk == self.viewer_id:
            return True
        return author.pk in self.following

    def can_see(self, tweet) -> bool:
        return tweet is not None and self.can_see_author(tweet.author)

    def is_muted(self, user) -> bool:
        return user.pk in self.muted

    def refusal(self, user) -> str | None:
        """Why the viewer may not act on this person (follow, reply, like...), if a block says so."""
        if user.pk in self.blocked_by:
            return _("@%(username)s has blocked you, so you can't do that.") % {"username": user.username}
        if user.pk in self.blocked:
            return _("You blocked @%(username)s. Unblock them first.") % {"username": user.username}
        return None
