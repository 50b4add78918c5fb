"""API views for lists: /lists, /lists/:id, /lists/:id/members, /lists/:id/timeline (docs/API.md "Lists")."""

from django.utils.translation import gettext, gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.serializers import UserSerializer
from config.kernel.api.fields import FlagField, IdField, TextField, parse_id
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import valid
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, errors, list_schema
from social.graph.selectors import with_relations
from timelines import lists_selectors as selectors
from timelines import lists_services as services
from timelines.models import List
from tweets.serializers import TweetSerializer

NO_LIST = gettext_noop("No such list (or one you can't see).")
GONE = errors(s404=NO_LIST)
NOT_OWNER = errors(s403="Only the list's owner can change it.", s404=NO_LIST)


class ListSerializer(serializers.Serializer):
    id = IdField()
    name = serializers.CharField()
    description = serializers.CharField()
    private = serializers.BooleanField(source="is_private")
    memberCount = serializers.IntegerField(source="member_count")
    owner = UserSerializer()
    createdAt = serializers.DateTimeField(source="created_at")


class ListCreateSerializer(serializers.Serializer):
    name = TextField(max_length=List.NAME_MAX, help_text="1 to 25 characters.")
    description = TextField(max_length=List.DESCRIPTION_MAX, required=False, allow_blank=True, default="")
    private = FlagField(required=False, default=False, help_text="Private lists are seen by their owner only.")


class ListUpdateSerializer(serializers.Serializer):
    name = TextField(max_length=List.NAME_MAX, required=False)
    description = TextField(max_length=List.DESCRIPTION_MAX, required=False, allow_blank=True)
    private = FlagField(required=False)


class MemberAddSerializer(serializers.Serializer):
    userId = TextField(max_length=64, help_text="The person's id, or their username (as `/users/:id` takes).")


ListBody = inline_serializer("ListResponse", {"list": ListSerializer()})


def _json(lists: list[List], request) -> list[dict]:
    with_relations(request.user, list({lst.owner_id: lst.owner for lst in lists}.values()))
    return ListSerializer(lists, many=True, context={"request": request}).data


def _one(lst: List, request) -> dict:
    return {"list": _json([lst], request)[0]}


def _visible(raw_id: str, viewer) -> List:
    found = selectors.list_for_viewer(parse_id(raw_id), viewer)
    if found is None:
        raise NotFound(gettext(NO_LIST))
    return found


class ListsView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]  # anyone may read someone's public lists with `?user=`

    @extend_schema(
        operation_id="lists",
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter("user", str, description="Whose lists (id or username); yours when absent."),
        ],
        responses={200: list_schema("ListList", "lists", ListSerializer), **errors(s404="No such user.")},
        description=(
            "Lists of one person, newest first: all of yours, or another's public ones you may see (also "
            "without signing in, with `user`)."
        ),
        tags=["lists"],
    )
    def get(self, request):
        handle = request.query_params.get("user")
        if handle is None and not request.user.is_authenticated:
            raise NotAuthenticated()
        owner = request.user if handle is None else account_selectors.user_by_handle(handle)
        if owner is None:
            raise NotFound(gettext("No such user."))
        rows, cursor = selectors.lists_of(owner, request.user, PageRequest.from_query(request.query_params))
        return Response(page_body("lists", _json(rows, request), cursor))

    @extend_schema(
        operation_id="list_create",
        request=ListCreateSerializer,
        responses={201: ListBody, **errors(s409="You already have 1,000 lists.")},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["lists"],
    )
    @idempotent
    def post(self, request):
        data = valid(ListCreateSerializer, request.data)
        lst = services.list_create(
            owner=request.user, name=data["name"], description=data["description"], is_private=data["private"]
        )
        return Response(_one(lst, request), status=status.HTTP_201_CREATED)


class ListDetailView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]  # public lists are readable as public posts are

    @extend_schema(operation_id="list_get", responses={200: ListBody, **GONE}, tags=["lists"])
    def get(self, request, list_id: str):
        return Response(_one(_visible(list_id, request.user), request))

    @extend_schema(
        operation_id="list_update", request=ListUpdateSerializer, responses={200: ListBody, **NOT_OWNER},
        tags=["lists"],
    )  # fmt: skip
    def patch(self, request, list_id: str):
        lst = _visible(list_id, request.user)
        data = valid(ListUpdateSerializer, request.data)
        services.list_update(
            actor=request.user, lst=lst, name=data.get("name"), description=data.get("description"),
            is_private=data.get("private"),
        )  # fmt: skip
        return Response(_one(lst, request))

    @extend_schema(
        operation_id="list_delete",
        responses={200: inline_serializer("ListDeleted", {"message": serializers.CharField()}), **NOT_OWNER},
        tags=["lists"],
    )
    def delete(self, request, list_id: str):
        services.list_delete(actor=request.user, lst=_visible(list_id, request.user))
        return Response({"message": "The list was deleted."})


class ListMembersView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]  # public lists are readable as public posts are

    @extend_schema(
        operation_id="list_members",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("UserList", "users", UserSerializer), **GONE},
        description="Members you may see (a block hides someone), newest first.",
        tags=["lists"],
    )
    def get(self, request, list_id: str):
        lst = _visible(list_id, request.user)
        users, cursor = selectors.members(lst, request.user, PageRequest.from_query(request.query_params))
        data = UserSerializer(users, many=True, context={"request": request}).data
        return Response(page_body("users", data, cursor))

    @extend_schema(
        operation_id="list_member_add",
        request=MemberAddSerializer,
        responses={
            200: ListBody,
            **errors(
                s403="Not your list, or you can't add this person (you blocked them, or another reason not given).",
                s404="No such list, or no such user.",
                s409="The list already has 1,000 members.",
            ),
        },
        description="Adds someone to your list; adding a member again changes nothing.",
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["lists"],
    )
    @idempotent
    def post(self, request, list_id: str):
        lst = _visible(list_id, request.user)
        data = valid(MemberAddSerializer, request.data)
        member = account_selectors.user_by_handle(data["userId"])
        services.list_member_add(actor=request.user, lst=lst, member=member)
        return Response(_one(lst, request))


class ListMemberView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="list_member_remove",
        responses={200: ListBody, **NOT_OWNER},
        description="Takes someone (`handle`: the id or the username) off your list; removing a non-member "
        "changes nothing.",
        tags=["lists"],
    )
    def delete(self, request, list_id: str, handle: str):
        lst = _visible(list_id, request.user)
        member_id = parse_id(handle)
        if member_id is None:  # a username, as POST takes
            found = account_selectors.user_by_handle(handle)
            member_id = found.pk if found is not None else 0
        services.list_member_remove(actor=request.user, lst=lst, member_id=member_id)
        return Response(_one(lst, request))


class ListTimelineView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]  # public lists are readable as public posts are

    @extend_schema(
        operation_id="timeline_list",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("TweetList", "tweets", TweetSerializer), **GONE},
        description="The members' posts and retweets that you may see, newest first, as the home timeline.",
        tags=["lists"],
    )
    def get(self, request, list_id: str):
        lst = _visible(list_id, request.user)
        entries, cursor = selectors.list_timeline(request.user, lst, PageRequest.from_query(request.query_params))
        data = TweetSerializer(entries, many=True, context={"request": request}).data
        return Response(page_body("tweets", data, cursor))
