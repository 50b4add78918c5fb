"""Who may see what: the one place that decides, used by every read path.

Two forms of the same rule: `tweets_visible_to(viewer)` is a queryset filter
for lists, `RelationSet` answers for objects already loaded (hydration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q


def _viewer_id(viewer) -> int | None:
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def authors_visible_to(viewer) -> Q:
    """A filter on users (`author` relations use `author__` prefixes via `prefix`)."""
    return _author_filter(viewer, prefix="")


def tweets_visible_to(viewer, prefix: str = "") -> Q:
    """A filter on tweets: the author's privacy allows the viewer to read them."""
    return _author_filter(viewer, prefix=f"{prefix}author__")


def _author_filter(viewer, prefix: str) -> Q:
    viewer_id = _viewer_id(viewer)
    public = Q(**{f"{prefix}is_private": False})
    if viewer_id is None:
        return public
    return public | Q(**{f"{prefix}pk": viewer_id})


@dataclass
class RelationSet:
    """The viewer's relations, loaded once per request for checks on loaded objects."""

    viewer_id: int | None
    following: set[int] = field(default_factory=set)

    @classmethod
    def for_viewer(cls, viewer) -> RelationSet:
        return cls(viewer_id=_viewer_id(viewer))

    def can_see_author(self, author) -> bool:
        if author is None:
            return False
        if not author.is_private:
            return True
        return author.pk == self.viewer_id or author.pk in self.following

    def can_see(self, tweet) -> bool:
        return tweet is not None and self.can_see_author(tweet.author)
