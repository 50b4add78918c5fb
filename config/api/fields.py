from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.STR)
class IdField(serializers.Field):
    """A 64-bit id written as a JSON string, so JavaScript clients keep every digit."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value)

    def to_internal_value(self, data):
        value = parse_id(data)
        if value is None:
            raise serializers.ValidationError("Must be an id (a string of digits).")
        return value


def parse_id(value) -> int | None:
    """An id from a URL, body or query string, or None when it can't be one."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None
