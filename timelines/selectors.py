"""Reads for the home timeline."""

from __future__ import annotations

from django.db.models import Q

from config.api.pagination import PageRequest, keyset_page
from social.models import Follow
from tweets.selectors import hydrate, tweets_with_authors


def home_from_sql(viewer, page: PageRequest):
    """The viewer's own posts and those of the people they follow, newest first; mutes hidden."""
    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    queryset = tweets_with_authors().filter(Q(author=viewer) | Q(author_id__in=followed))
    rows, next_cursor = keyset_page(queryset, page)
    return hydrate(rows, viewer, hide_muted=True), next_cursor
