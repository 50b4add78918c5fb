"""Request and response fields of the API, strict about JSON types.

DRF's fields are lenient on purpose (a CharField takes 0 and makes "0", a
BooleanField takes "yes" and 1): fine for HTML forms, wrong for a JSON API
whose schema says "string" or "boolean". These take what the schema says and
refuse the rest, so a request the schema forbids is a 400, never a guess.
Values sent as form fields (multipart uploads) are strings by nature and are
read as DRF reads them.
"""

from __future__ import annotations

import re

from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.kernel.api import patterns

_ID = re.compile(patterns.ID)
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id from a URL, body or query string, or None when it can't be one.

    A well-formed id too large for 64 bits names nothing: it becomes the largest
    id, which no row has, so a lookup finds nothing (and a cursor starts at the top).
    """
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    return min(int(value), MAX_ID)


def _is_form_input(field: serializers.Field) -> bool:
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


@extend_schema_field({"type": "string", "pattern": patterns.ID})
class IdField(serializers.Field):
    """A 64-bit id written as a JSON string, so JavaScript clients keep every digit."""

    default_error_messages = {"invalid": "Must be an id (a string of digits)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value)

    def to_internal_value(self, data):
        value = parse_id(data)
        if value is None:
            self.fail("invalid")
        return value


class TextField(serializers.CharField):
    """A CharField that takes only strings from JSON (DRF would turn 0 into "0").

    `max_length` counts the text as sent, before trimming, as the schema's
    `maxLength` does: "a" and 60 spaces is too long for 50 characters.
    """

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class FlagField(serializers.BooleanField):
    """A BooleanField that takes only true and false from JSON (DRF would take "yes", 1 and "on")."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if _is_form_input(self):
            return super().to_internal_value(data)
        self.fail("invalid")


class StrictChoiceField(serializers.ChoiceField):
    """A ChoiceField that takes only the strings it lists (DRF matches 1 to "1")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)
