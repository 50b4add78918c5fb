"""GET /api/v1/cards/preview: the compose box's look at a link's card before posting.

Never fetches on the request: a URL without a fresh card gets its fetch queued
(tweets/link_cards.py) and 202; the client asks again. Cards are by URL only,
public data about a public page, so the answer is the same for everyone and
says nothing about who posted the link (a private account's post included).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api.input import valid_query
from config.kernel.api.schema import errors
from tweets import link_cards
from tweets.models import LinkCard
from tweets.serializers import LinkCardSerializer, link_card_json


class PreviewQuerySerializer(serializers.Serializer):
    url = serializers.CharField(
        min_length=1, max_length=2048, trim_whitespace=False, help_text="The link, up to 2048 characters."
    )


class PreviewSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        ["ok", "pending", "failed"],
        help_text="ok: `card` is set. pending: a fetch is queued, ask again in a second or two. failed: the page "
        "can't be previewed (refused, unreachable, not HTML, too big, nothing to show); the post gets no card.",
    )
    card = LinkCardSerializer(allow_null=True)


def preview_json(card: LinkCard | None, request) -> tuple[dict, int]:
    """The answer's body and status for a card as it is now; None: not an http(s) URL, nothing to preview."""
    if card is None:
        return {"state": "failed", "card": None}, status.HTTP_200_OK
    if link_cards.shown(card):
        return {"state": "ok", "card": link_card_json(card, request)}, status.HTTP_200_OK
    if card.state == LinkCard.State.PENDING:
        return {"state": "pending", "card": None}, status.HTTP_202_ACCEPTED
    return {"state": "failed", "card": None}, status.HTTP_200_OK


class LinkPreviewView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "link_preview"  # each new URL queues a fetch: counted per account

    @extend_schema(
        operation_id="card_preview",
        parameters=[PreviewQuerySerializer],
        responses={
            200: PreviewSerializer,
            202: PreviewSerializer,
            **errors(s400="`url` missing, empty or over 2048 characters (or a NUL byte)."),
            **errors(401, 429),
        },
        description=(
            "The preview card of a link, for the compose box. 200 `{state: ok, card}` when the card is cached "
            "(a card over a day old is still answered, and fetched again in the background); 202 `{state: "
            "pending, card: null}` when its fetch was just queued or is under way: ask again shortly (the fetch "
            "never runs on this request). 200 `{state: failed, card: null}` when the page was refused or could "
            "not be fetched, or is no http(s) URL at all: the post gets no card. Cards are public data "
            "by URL; nothing here says who linked it."
        ),
        tags=["tweets"],
    )
    def get(self, request):
        data = valid_query(PreviewQuerySerializer, request.query_params)
        body, code = preview_json(link_cards.link_card_request(url=data["url"]), request)
        return Response(body, status=code)
