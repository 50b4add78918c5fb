"""Cursor pagination: `?cursor=&limit=` in, `{"<list>": [...], "nextCursor"}` out.

A cursor is the integer sort key of the last item returned (for tweets, the
snowflake id), so it is stable while new rows arrive and exclusive on reuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from config.kernel.api import patterns
from config.kernel.api.input import CursorParam, LimitParam, valid_query

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageQuerySerializer(serializers.Serializer):
    limit = LimitParam(maximum=MAX_LIMIT)
    cursor = CursorParam()


@dataclass(frozen=True)
class PageRequest:
    cursor: int | None
    limit: int

    @classmethod
    def from_query(cls, query, default_limit: int = DEFAULT_LIMIT) -> PageRequest:
        """`limit` absent is the default; present, it must be 1 to 100 (empty is not a number).

        `cursor` absent or empty is the first page (SPEC §4 writes `?cursor=&limit=`).
        """
        data = valid_query(PageQuerySerializer, query)
        return cls(cursor=data.get("cursor"), limit=data.get("limit", default_limit))

    @classmethod
    def from_query_or_first(cls, query, default_limit: int = DEFAULT_LIMIT) -> PageRequest:
        """For pages: a hand-edited cursor or limit starts from the top instead of failing."""
        try:
            return cls.from_query(query, default_limit)
        except ValidationError:
            return cls(cursor=None, limit=default_limit)


def keyset_page(queryset, page: PageRequest, key: str = "id") -> tuple[list, int | None]:
    """Newest first by `key` (an integer column or annotation), strictly below the cursor."""
    if page.cursor is not None:
        queryset = queryset.filter(**{f"{key}__lt": page.cursor})
    rows = list(queryset.order_by(f"-{key}")[: page.limit + 1])
    has_more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_cursor = getattr(rows[-1], key) if has_more and rows else None
    return rows, next_cursor


class CursorPagination(BasePagination):
    """DRF glue for keyset_page. Make one per list with `cursor_pagination()`."""

    list_key = "results"
    cursor_key = "id"

    def paginate_queryset(self, queryset, request, view=None):
        page = PageRequest.from_query(request.query_params)
        rows, self.next_cursor = keyset_page(queryset, page, self.cursor_key)
        return rows

    def get_paginated_response(self, data):
        return Response(page_body(self.list_key, data, self.next_cursor))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": [self.list_key, "nextCursor"],
            "properties": {
                self.list_key: schema,
                "nextCursor": {"type": "string", "nullable": True},
            },
        }

    def get_schema_operation_parameters(self, view):
        cursor = {"type": "string", "pattern": patterns.CURSOR}
        return [
            {"name": "cursor", "in": "query", "required": False, "schema": cursor,
             "description": "The nextCursor of the previous page."},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        ]  # fmt: skip


def page_body(list_key: str, items: list, next_cursor: int | None) -> dict:
    return {list_key: items, "nextCursor": str(next_cursor) if next_cursor is not None else None}


def cursor_pagination(list_key: str, cursor_key: str = "id") -> type[CursorPagination]:
    """A pagination class whose answer names its list `list_key`."""
    name = f"{list_key.title()}CursorPagination"
    return type(name, (CursorPagination,), {"list_key": list_key, "cursor_key": cursor_key})
