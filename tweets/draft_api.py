"""API views for drafts (/api/v1/drafts) and scheduled posts (/api/v1/scheduled): the author's own only."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api.fields import parse_id
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import valid
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, errors, list_schema
from tweets import draft_selectors, draft_services, selectors
from tweets.draft_serializers import (
    DraftCreateSerializer,
    DraftResponseSerializer,
    DraftSerializer,
    DraftUpdateSerializer,
    ScheduledCreateSerializer,
    draft_json,
    service_arguments,
)
from tweets.serializers import TweetCreatedSerializer, TweetSerializer

NOT_YOURS = errors(s404="No such draft (or not yours).")
REFUSED_MEDIA = "An image id is not an unattached upload of yours (or another draft keeps it)."
BAD_TIME = "Bad input; for `scheduledAt`, a time less than 5 minutes or more than a year ahead."
CHANGE_REFUSED = errors(s400=BAD_TIME, s409="Already published, or the change would leave nothing to show.")


class _DraftViews(APIView):
    permission_classes = [IsAuthenticated]
    scheduled = False
    list_key = "drafts"

    def _own(self, request, raw_id):
        found = draft_selectors.draft_for(request.user, parse_id(raw_id), scheduled=self.scheduled)
        if found is None:
            raise NotFound(gettext(draft_services.GONE))
        return found

    def _answer(self, request, draft_id, status_code=status.HTTP_200_OK):
        # Read back from the selector: a draft PATCHed into a scheduled post is still answered.
        draft = draft_selectors.draft_for(request.user, draft_id, scheduled=False) or draft_selectors.draft_for(
            request.user, draft_id, scheduled=True
        )
        return Response({"draft": draft_json(draft, request)}, status=status_code)

    def _list(self, request, select):
        items, cursor = select(request.user, PageRequest.from_query(request.query_params))
        return Response(page_body(self.list_key, [draft_json(d, request) for d in items], cursor))


class DraftsView(_DraftViews):
    @extend_schema(
        operation_id="drafts_list",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("DraftList", "drafts", DraftSerializer)},
        description="Your drafts (not scheduled), newest first.",
        tags=["drafts"],
    )
    def get(self, request):
        return self._list(request, draft_selectors.drafts)

    @extend_schema(
        operation_id="draft_create",
        request=DraftCreateSerializer,
        responses={201: DraftResponseSerializer, **errors(s404=REFUSED_MEDIA, s409="Too many drafts kept.")},
        description="Save a draft: text, images, reply or quote target, content warning, poll.",
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["drafts"],
    )
    @idempotent
    def post(self, request):
        data = valid(DraftCreateSerializer, request.data)
        draft = draft_services.draft_create(author=request.user, **service_arguments(data))
        return self._answer(request, draft.pk, status.HTTP_201_CREATED)


class DraftDetailView(_DraftViews):
    @extend_schema(operation_id="draft_get", responses={200: DraftResponseSerializer, **NOT_YOURS}, tags=["drafts"])
    def get(self, request, draft_id: str):
        return Response({"draft": draft_json(self._own(request, draft_id), request)})

    @extend_schema(
        operation_id="draft_update",
        request=DraftUpdateSerializer,
        responses={200: DraftResponseSerializer, **NOT_YOURS, **CHANGE_REFUSED},
        description="Change the fields sent. A `scheduledAt` schedules the draft (it then lives under /scheduled).",
        tags=["drafts"],
    )
    def patch(self, request, draft_id: str):
        draft = self._own(request, draft_id)
        data = valid(DraftUpdateSerializer, request.data, partial=True)
        draft_services.draft_update(actor=request.user, draft_id=draft.pk, **service_arguments(data))
        return self._answer(request, draft.pk)

    @extend_schema(
        operation_id="draft_delete",
        responses={200: inline_serializer("DraftDeleted", {"message": serializers.CharField()}), **NOT_YOURS},
        tags=["drafts"],
    )
    def delete(self, request, draft_id: str):
        draft = self._own(request, draft_id)
        draft_services.draft_delete(actor=request.user, draft_id=draft.pk)
        return Response({"message": "The draft was deleted."})


class DraftPublishView(_DraftViews):
    @extend_schema(
        operation_id="draft_publish",
        request=None,
        responses={
            201: TweetCreatedSerializer,
            **NOT_YOURS,
            **errors(s403="A block stands between you and the post replied to or quoted.", s409="Already published."),
        },
        description="Publish the draft now, as POST /tweets would; the draft is gone from the list afterwards.",
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["drafts"],
    )
    @idempotent
    def post(self, request, draft_id: str):
        draft = self._own(request, draft_id)
        tweet = draft_services.draft_publish(actor=request.user, draft_id=draft.pk)
        data = TweetSerializer(selectors.tweet_for_viewer(tweet.pk, request.user), context={"request": request}).data
        return Response(
            {"tweetId": data["id"], "createdAt": data["createdAt"], "tweetData": data}, status=status.HTTP_201_CREATED
        )


class ScheduledView(_DraftViews):
    scheduled = True
    list_key = "scheduled"

    @extend_schema(
        operation_id="scheduled_list",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("ScheduledList", "scheduled", DraftSerializer)},
        description="Your scheduled posts not yet published, soonest first (failed ones too, with `lastError`).",
        tags=["drafts"],
    )
    def get(self, request):
        return self._list(request, draft_selectors.scheduled)

    @extend_schema(
        operation_id="scheduled_create",
        request=ScheduledCreateSerializer,
        responses={
            201: DraftResponseSerializer,
            **errors(s400=BAD_TIME, s404=REFUSED_MEDIA, s409="Too many drafts kept."),
        },
        description="Schedule a post for `scheduledAt` (5 minutes to a year ahead). It goes out within a minute of it.",
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["drafts"],
    )
    @idempotent
    def post(self, request):
        data = valid(ScheduledCreateSerializer, request.data)
        draft = draft_services.draft_create(author=request.user, **service_arguments(data))
        return self._answer(request, draft.pk, status.HTTP_201_CREATED)


class ScheduledDetailView(DraftDetailView):
    scheduled = True

    @extend_schema(operation_id="scheduled_get", responses={200: DraftResponseSerializer, **NOT_YOURS}, tags=["drafts"])
    def get(self, request, draft_id: str):
        return super().get(request, draft_id)

    @extend_schema(
        operation_id="scheduled_update",
        request=DraftUpdateSerializer,
        responses={200: DraftResponseSerializer, **NOT_YOURS, **CHANGE_REFUSED},
        description="Edit or reschedule (which also retries a failed one); `scheduledAt: null` makes it a draft.",
        tags=["drafts"],
    )
    def patch(self, request, draft_id: str):
        return super().patch(request, draft_id)

    @extend_schema(
        operation_id="scheduled_delete",
        responses={200: inline_serializer("ScheduledDeleted", {"message": serializers.CharField()}), **NOT_YOURS},
        description="Cancel the scheduled post (it is deleted, with its images).",
        tags=["drafts"],
    )
    def delete(self, request, draft_id: str):
        return super().delete(request, draft_id)
