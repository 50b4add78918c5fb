"""Reads for the home timeline."""

from __future__ import annotations

from config.api.pagination import PageRequest, keyset_page
from tweets.selectors import hydrate, tweets_with_authors


def home_from_sql(viewer, page: PageRequest):
    """The viewer's own posts and those of the people they follow, newest first."""
    queryset = tweets_with_authors().filter(author=viewer)
    rows, next_cursor = keyset_page(queryset, page)
    return hydrate(rows, viewer), next_cursor
