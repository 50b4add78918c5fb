"""API for polls: a vote. A poll is made with its post (POST /tweets, `poll`) and read on the tweet (`poll`)."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api.fields import parse_id
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import valid
from config.kernel.api.schema import errors
from tweets import poll_votes, polls, selectors, services
from tweets.serializers import PollVotedSerializer, PollVoteSerializer


class PollVoteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="poll_vote",
        request=PollVoteSerializer,
        responses={
            201: PollVotedSerializer,
            **errors(
                s403="Your own poll (authors don't vote), or a block stands between you and the author.",
                s400="`choices` empty, with a position twice or outside 1-4, several on a single-choice poll, "
                "or neither `choice` nor `choices` (or both).",
                s404="No such post, one you can't see, a post without a poll, or a choice the poll doesn't have.",
                s409="You already voted (votes are final), or the poll has ended.",
            ),
        },
        description=(
            "Vote: `choices`, the positions picked (several only in a `multiple` poll), or `choice`, one position. "
            "One vote per person, final: 201 with the poll, its results now shown to you. A second vote, even sent "
            "at the same moment and for other choices, is a 409 and changes nothing."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["tweets"],
    )
    @idempotent
    def post(self, request, tweet_id: str):
        target_id = parse_id(tweet_id)
        if target_id is None:
            raise NotFound(gettext(services.GONE))
        data = valid(PollVoteSerializer, request.data)
        field = "choices" if "choices" in data else "choice"
        positions = data["choices"] if "choices" in data else [data["choice"]]
        target = poll_votes.poll_vote(user=request.user, tweet_id=target_id, positions=positions, field=field)
        tweet = selectors.tweet_for_viewer(target.pk, request.user)
        view = tweet.original.poll_view if tweet is not None else None
        return Response({"poll": polls.poll_json(view)}, status=status.HTTP_201_CREATED)
