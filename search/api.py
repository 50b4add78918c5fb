"""GET /search and GET /trends (SPEC §4)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import UserSerializer, user_json
from config.kernel.api import patterns
from config.kernel.api.input import ChoiceParam, CursorParam, LimitParam, QueryParam, valid_query
from config.kernel.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS
from config.kernel.errors import ServiceError
from search import query, selectors, trends
from tweets.serializers import TweetSerializer, tweet_json

TYPES = ("tweets", "users", "hashtags")
# Not only spaces, and no control characters other than tab and newlines (search/query.py).
_CONTROL = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f"
Q_PATTERN = rf"^[^{_CONTROL}]*[^{_CONTROL}{patterns.WHITESPACE}][^{_CONTROL}]*$"
SORTS = ("latest", "top")


class HashtagResultSerializer(serializers.Serializer):
    hashtag = serializers.CharField(help_text="The tag without '#', as stored: case-folded.")
    tweetCount = serializers.IntegerField()


def hashtag_json(tag: dict) -> dict:
    return {"hashtag": tag["hashtag"], "tweetCount": tag["tweet_count"]}


RESULTS = inline_serializer(
    "SearchResults",
    {
        "results": PolymorphicProxySerializer(
            component_name="SearchResult",
            serializers=[TweetSerializer, UserSerializer, HashtagResultSerializer],
            resource_type_field_name=None,
            many=True,
        ),
        "nextCursor": serializers.CharField(allow_null=True),
    },
)


class QParam(QueryParam):
    """`q`, stripped, as search/query.py judges it; left out, it is empty (and refused)."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, "")

    def to_internal_value(self, data):
        try:
            return query.checked(data)
        except ServiceError as error:
            raise ValidationError(error.message) from error


class SearchQuerySerializer(serializers.Serializer):
    # Judged in this order, the first wrong one answering.
    type = ChoiceParam(TYPES, default=TYPES[0])
    sort = ChoiceParam(SORTS, default=SORTS[0])
    limit = LimitParam(maximum=MAX_LIMIT)
    cursor = CursorParam()
    q = QParam()


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": query.MAX_LENGTH, "pattern": Q_PATTERN},
                required=True,
                description=(
                    'Words, "phrases", #tag, from:username, -word: 1 to 256 characters, not only spaces, without '
                    "control characters. The first 16 terms count; a query with nothing to look for finds nothing."
                ),
            ),
            OpenApiParameter("type", str, enum=list(TYPES), description="tweets (default), users or hashtags."),
            OpenApiParameter(
                "sort", str, enum=list(SORTS), description="For tweets: latest (default) or top. An addition."
            ),
            *PAGE_PARAMETERS,
        ],
        responses={200: RESULTS},
        description=(
            "Results the caller may see: tweets are posts (not retweets), newest first or, with `sort=top`, "
            "relevance blended with engagement and freshness; users put prefix matches first, then the closest "
            "spellings; hashtags start with `q`, most used first. `q` is 1 to 256 characters."
        ),
        tags=["search"],
    )
    def get(self, request):
        params = valid_query(SearchQuerySerializer, request.query_params)
        kind, sort, text = params["type"], params["sort"], params["q"]
        page = PageRequest(cursor=params.get("cursor"), limit=params.get("limit", DEFAULT_LIMIT))
        if kind == "users":
            people, cursor = selectors.search_users(request.user, text, page)
            results = [user_json(user, request) for user in people]
        elif kind == "hashtags":
            tags, cursor = selectors.search_hashtags(request.user, text, page)
            results = [hashtag_json(tag) for tag in tags]
        else:
            wanted = query.parse_api(text)
            tweets, cursor = selectors.search_tweets(request.user, wanted, page, sort=sort) if wanted else ([], None)
            results = [tweet_json(tweet, request) for tweet in tweets]
        return Response(page_body("results", results, cursor))


class TrendsView(APIView):
    @extend_schema(
        operation_id="trends",
        responses=inline_serializer("Trends", {"trends": HashtagResultSerializer(many=True)}),
        description=(
            "The top 10 hashtags rising fastest against their usual rate, refreshed every minute. "
            "`tweetCount` is the tag's uses over the last 24 hours, by public accounts."
        ),
        tags=["search"],
    )
    def get(self, request):
        return Response({"trends": [hashtag_json(trend) for trend in trends.current()]})
