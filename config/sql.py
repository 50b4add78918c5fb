"""Helpers for the few hand-written queries on hot paths."""

from __future__ import annotations

from collections.abc import Sequence


def any_of(column: str, values: Sequence) -> tuple[str, list]:
    """`column` is one of `values`, as one array parameter.

    The array keeps the query text the same whatever the list's length, so it
    is prepared once and never re-parsed for placeholders.
    """
    return f"{column} = ANY(%s)", [list(values)]
