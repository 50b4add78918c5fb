"""Schema helpers, so every list endpoint documents `{"<list>": [...], "nextCursor"}` once."""

from functools import cache

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

PAGE_PARAMETERS = [
    OpenApiParameter("cursor", str, description="The nextCursor of the previous page."),
    OpenApiParameter("limit", int, description="1 to 100, default 20."),
]


@cache
def list_schema(name: str, key: str, item_serializer):
    """One component per name: two endpoints listing users share "UserList"."""
    return inline_serializer(
        name, {key: item_serializer(many=True), "nextCursor": serializers.CharField(allow_null=True)}
    )
