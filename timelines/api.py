from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api.input import ChoiceParam, valid_query
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, list_schema
from timelines import selectors, services
from tweets.serializers import TweetSerializer


class HomeQuerySerializer(serializers.Serializer):
    filter = ChoiceParam(selectors.KINDS)
    rank = ChoiceParam(selectors.RANKS, default="latest")


class HomeTimelineView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="timeline_home",
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter("filter", str, enum=list(selectors.KINDS), description="Only media, replies or retweets."),
            OpenApiParameter(
                "rank", str, enum=list(selectors.RANKS), description="`top`: the newest entries by engagement."
            ),
        ],
        responses=list_schema("TweetList", "tweets", TweetSerializer),
        description=(
            "Your posts and those of the people you follow, newest first. Retweets of a post already on the page "
            "are folded into it. With `rank=top` the cursor is a position in the ranked list."
        ),
        tags=["timelines"],
    )
    def get(self, request):
        params = valid_query(HomeQuerySerializer, request.query_params)
        kind, rank = params.get("filter"), params["rank"]
        page = PageRequest.from_query(request.query_params)
        services.note_visit(request.user)
        entries, cursor = selectors.home_timeline(request.user, page, kind=kind, rank=rank)
        data = TweetSerializer(entries, many=True, context={"request": request}).data
        return Response(page_body("tweets", data, cursor))
