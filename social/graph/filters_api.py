"""API views for muted words: /api/v1/filters (a person's own list; anyone else's is a 404)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api import patterns
from config.kernel.api.fields import IdField, StrictChoiceField, TextField, parse_id
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import valid
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, errors, list_schema
from social.graph import muted_words, services

EXPIRY_SECONDS = [s for s in services.EXPIRIES if s is not None]
PHRASE_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": muted_words.MAX_LENGTH,
    "pattern": patterns.NOT_BLANK,
    "description": (
        "A word, phrase or #hashtag, 1 to 100 characters. Matched whole-word, ignoring case and accents; "
        "`#tag` matches only the hashtag, `tag` the word and the hashtag."
    ),
}


@extend_schema_field(
    {
        "type": "integer",
        "nullable": True,
        "enum": [*EXPIRY_SECONDS, None],
        "description": "Seconds from now until the word stops being muted: null (forever), 24 h, 7 d or 30 d.",
    }
)
class ExpiresInField(serializers.Field):
    """Passed through as sent; the service accepts only null and the listed durations."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not services.is_expiry(data) or data is None:
            raise serializers.ValidationError(_("Must be null, 86400, 604800 or 2592000."))
        return int(data)


class FilterSerializer(serializers.Serializer):
    id = IdField()
    phrase = serializers.CharField()
    context = serializers.ChoiceField(muted_words.CONTEXTS)
    expiresAt = serializers.DateTimeField(source="expires_at", allow_null=True, help_text="null: forever.")
    createdAt = serializers.DateTimeField(source="created_at")


class FilterCreateSerializer(serializers.Serializer):
    phrase = TextField(max_length=muted_words.MAX_LENGTH, trim_whitespace=False)
    context = StrictChoiceField(muted_words.CONTEXTS, default="everywhere", help_text="Where it is hidden.")
    expiresIn = ExpiresInField(required=False, default=None)

    schema_rules = {"properties": {"phrase": PHRASE_SCHEMA}}


class FilterUpdateSerializer(serializers.Serializer):
    phrase = TextField(max_length=muted_words.MAX_LENGTH, trim_whitespace=False, required=False)
    context = StrictChoiceField(muted_words.CONTEXTS, required=False)
    expiresIn = ExpiresInField(required=False)

    schema_rules = {"properties": {"phrase": PHRASE_SCHEMA}}


FILTER = inline_serializer("FilterResponse", {"filter": FilterSerializer()})
MISSING = "No such muted word (or not yours)."
REFUSED = errors(s409="You already muted that word, or you have muted 200 words already.")


def _json(word, request) -> dict:
    return FilterSerializer(word, context={"request": request}).data


def _word_id(raw: str) -> int:
    word_id = parse_id(raw)
    if word_id is None:
        raise NotFound(_("No such muted word (or not yours)."))
    return word_id


class FiltersView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="filters_list",
        parameters=PAGE_PARAMETERS,
        responses=list_schema("FilterList", "filters", FilterSerializer),
        description="Your muted words, newest first. Expired ones are gone from the list at once.",
        tags=["filters"],
    )
    def get(self, request):
        rows, cursor = muted_words.muted_words_page(request.user, PageRequest.from_query(request.query_params))
        return Response(page_body("filters", [_json(w, request) for w in rows], cursor))

    @extend_schema(
        operation_id="filter_create",
        request=FilterCreateSerializer,
        responses={201: FILTER, **REFUSED},
        parameters=[IDEMPOTENCY_PARAMETER],
        description=(
            "Mute a word, phrase or hashtag in `home`, `notifications`, `search` or `everywhere` (all three): "
            "posts containing it (and retweets and quotes of them, but never your own) are left out there, and "
            "make no notification or live `timeline.new` event. At most 200 muted words."
        ),
        tags=["filters"],
    )
    @idempotent
    def post(self, request):
        data = valid(FilterCreateSerializer, request.data)
        word = services.muted_word_create(
            user=request.user, phrase=data["phrase"], context=data["context"], expires_in=data["expiresIn"]
        )
        return Response({"filter": _json(word, request)}, status=status.HTTP_201_CREATED)


class FilterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="filter_get", responses={200: FILTER, **errors(s404=MISSING)}, tags=["filters"])
    def get(self, request, filter_id: str):
        word = muted_words.muted_words_list(request.user).filter(pk=_word_id(filter_id)).first()
        if word is None:
            raise NotFound(_("No such muted word (or not yours)."))
        return Response({"filter": _json(word, request)})

    @extend_schema(
        operation_id="filter_update",
        request=FilterUpdateSerializer,
        responses={200: FILTER, **errors(s404=MISSING, s409="You already muted that word.")},
        description="Change the phrase, where it is muted, or how long (`expiresIn` counts from now).",
        tags=["filters"],
    )
    def patch(self, request, filter_id: str):
        word_id = _word_id(filter_id)
        data = valid(FilterUpdateSerializer, request.data)
        changes = {"expires_in" if k == "expiresIn" else k: v for k, v in data.items()}
        word = services.muted_word_update(user=request.user, word_id=word_id, **changes)
        return Response({"filter": _json(word, request)})

    @extend_schema(
        operation_id="filter_delete",
        responses={
            200: inline_serializer("FilterDeleted", {"message": serializers.CharField()}),
            **errors(s404=MISSING),
        },
        tags=["filters"],
    )
    def delete(self, request, filter_id: str):
        services.muted_word_delete(user=request.user, word_id=_word_id(filter_id))
        return Response({"message": "Unmuted."})
