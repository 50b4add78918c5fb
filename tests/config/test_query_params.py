"""config/kernel/api/input.valid_query: the fields bound once answer exactly as a serializer made per request."""

import pytest
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from config.kernel.api import input as api_input
from config.kernel.api.pagination import PageQuerySerializer
from notifications.api import TabQuerySerializer
from search.api import SearchQuerySerializer
from social.messages.api import ImageSizeSerializer
from timelines.api import HomeQuerySerializer
from tweets.api import ProfileTabSerializer
from tweets.link_card_api import PreviewQuerySerializer

SERIALIZERS = [
    PageQuerySerializer,
    HomeQuerySerializer,
    SearchQuerySerializer,
    TabQuerySerializer,
    ProfileTabSerializer,
    ImageSizeSerializer,
    PreviewQuerySerializer,
]
QUERIES = [
    "",
    "limit=20",
    "limit=0",
    "limit=101",
    "limit=",
    "limit=%EF%BC%95",  # a full-width digit
    "limit=5&limit=7",
    "cursor=",
    "cursor=123",
    "cursor=-1",
    "cursor=abc%00",
    "filter=media&rank=top",
    "filter=",
    "rank=sideways",
    "q=hello&type=users&sort=latest",
    "q=%00",
    "q=" + "x" * 5000,
    "type=",
    "tab=mentions&grouped=true",
    "tab=likes",
    "grouped=maybe",
    "size=thumb",
    "size=",
    "url=https://example.com/a",
    "url=",
    "url=" + "y" * 5000,
]


def _answer(serializer_class, query, **kwargs):
    try:
        return "ok", dict(api_input.valid_query(serializer_class, QueryDict(query), **kwargs))
    except ValidationError as error:
        return "error", error.detail


@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=lambda c: c.__name__)
def test_the_bound_fields_answer_as_a_serializer_would(serializer_class):
    assert api_input._query_fields(serializer_class) is not None  # these all take the short way
    for query in QUERIES:
        # Any keyword (here a context) makes a serializer for the request, as before the short way.
        assert _answer(serializer_class, query) == _answer(serializer_class, query, context={}), query


def test_a_serializer_that_judges_more_than_each_field_is_made_per_request():
    class Both(serializers.Serializer):
        start = serializers.IntegerField(required=False)
        end = serializers.IntegerField(required=False)

        def validate(self, data):
            if data.get("start", 0) > data.get("end", 0):
                raise ValidationError({"start": ["Start after end."]})
            return data

    assert api_input._query_fields(Both) is None
    assert _answer(Both, "start=5&end=1") == ("error", {"start": ["Start after end."]})
