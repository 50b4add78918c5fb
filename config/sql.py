"""Helpers for the few hand-written queries on hot paths."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def any_of(column: str, values: Sequence) -> tuple[str, list]:
    """`column` is one of `values`: one array parameter on PostgreSQL, a placeholder list elsewhere.

    The array keeps the query text the same whatever the list's length, so it
    is prepared once and never re-parsed for placeholders.
    """
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
