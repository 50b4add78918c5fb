"""API views for the social graph."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiRequest, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.serializers import (
    ProfileImagesSerializer,
    ProfileUpdateSerializer,
    ProfileWriteSerializer,
    UserResponseSerializer,
    UserSerializer,
)
from config.kernel.api.fields import IdField, parse_id
from config.kernel.api.input import valid
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, errors, list_schema
from social.graph import selectors, services
from social.graph.visibility import RelationSet

STATE = inline_serializer("FollowState", {"state": serializers.ChoiceField(["following", "requested", "none"])})
MESSAGE = inline_serializer("ActionMessage", {"message": serializers.CharField()})


class FollowRequestSerializer(serializers.Serializer):
    id = IdField()
    user = UserSerializer(source="requester")
    createdAt = serializers.DateTimeField(source="created_at")


def _user(handle: str):
    user = account_selectors.user_by_handle(handle)
    if user is None:
        raise NotFound(_("No such user."))
    return user


class _UserAction(APIView):
    """POST /users/:id/<action>: one service call on the named person."""

    permission_classes = [IsAuthenticated]

    def act(self, me, other) -> dict:
        raise NotImplementedError

    def post(self, request, handle: str):
        return Response(self.act(request.user, _user(handle)))


def _documented(operation_id: str, response, description: str, **refusals: str):
    return extend_schema(
        operation_id=operation_id,
        request=None,
        responses={200: response, **errors(s404="No such user.", **refusals)},
        description=description,
        tags=["users"],
    )


YOURSELF = "Yourself."
BLOCKED = "Yourself, or a block stands between you."


@extend_schema_view(
    post=_documented(
        "follow",
        STATE,
        "Follow a public account (`following`) or ask a private one (`requested`). Idempotent.",
        s403=BLOCKED,
    )
)
class FollowView(_UserAction):
    def act(self, me, other):
        return {"state": services.follow_create(follower=me, followee=other)}


@extend_schema_view(
    post=_documented("unfollow", STATE, "Unfollow, or withdraw a pending follow request. Idempotent.", s403=YOURSELF)
)
class UnfollowView(_UserAction):
    def act(self, me, other):
        return {"state": services.follow_delete(follower=me, followee=other)}


@extend_schema_view(
    post=_documented(
        "block", MESSAGE, "Block: removes follows and requests both ways; neither side sees the other.", s403=YOURSELF
    )
)
class BlockView(_UserAction):
    def act(self, me, other):
        services.block_create(blocker=me, blocked=other)
        return {"message": f"You blocked @{other.username}."}


@extend_schema_view(
    post=_documented("unblock", MESSAGE, "Unblock. Follows the block removed are not restored.", s403=YOURSELF)
)
class UnblockView(_UserAction):
    def act(self, me, other):
        services.block_delete(blocker=me, blocked=other)
        return {"message": f"You unblocked @{other.username}."}


@extend_schema_view(
    post=_documented(
        "mute", MESSAGE, "Mute: hides them from your home timeline and notifications, silently.", s403=YOURSELF
    )
)
class MuteView(_UserAction):
    def act(self, me, other):
        services.mute_create(muter=me, muted=other)
        return {"message": f"You muted @{other.username}."}


@extend_schema_view(post=_documented("unmute", MESSAGE, "Unmute.", s403=YOURSELF))
class UnmuteView(_UserAction):
    def act(self, me, other):
        services.mute_delete(muter=me, muted=other)
        return {"message": f"You unmuted @{other.username}."}


PROTECTED_LIST = errors(s403="A private account you don't follow, or a block between you.", s404="No such user.")


class FollowersView(APIView):
    select = staticmethod(selectors.followers)

    @extend_schema(
        operation_id="user_followers",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("UserList", "users", UserSerializer), **PROTECTED_LIST},
        tags=["users"],
    )
    def get(self, request, handle: str):
        user = _user(handle)
        if not RelationSet.for_viewer(request.user, [user.pk]).can_see_author(user):
            raise PermissionDenied(_("This account's lists are protected."))
        people, cursor = self.select(user, request.user, PageRequest.from_query(request.query_params))
        data = UserSerializer(people, many=True, context={"request": request}).data
        return Response(page_body("users", data, cursor))


@extend_schema_view(
    get=extend_schema(
        operation_id="user_following",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("UserList", "users", UserSerializer), **PROTECTED_LIST},
        tags=["users"],
    )
)
class FollowingView(FollowersView):
    select = staticmethod(selectors.following)


class FollowRequestsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="follow_requests", parameters=PAGE_PARAMETERS,
                   responses=list_schema("FollowRequestList", "requests", FollowRequestSerializer),
                   tags=["users"])  # fmt: skip
    def get(self, request):
        rows, cursor = selectors.follow_requests(request.user, PageRequest.from_query(request.query_params))
        data = FollowRequestSerializer(rows, many=True, context={"request": request}).data
        return Response(page_body("requests", data, cursor))


REQUEST_ERRORS = errors(s403="A request to someone else.", s404="No such follow request.")


def _request_id(raw: str) -> int:
    request_id = parse_id(raw)
    if request_id is None:
        raise NotFound(_("No such follow request."))
    return request_id


class FollowRequestApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="follow_request_approve", request=None, responses={200: MESSAGE, **REQUEST_ERRORS},
                   tags=["users"])  # fmt: skip
    def post(self, request, request_id: str):
        follow = services.follow_request_approve(target=request.user, request_id=_request_id(request_id))
        return Response({"message": f"@{follow.follower.username} now follows you."})


class FollowRequestDenyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="follow_request_deny", request=None, responses={200: MESSAGE, **REQUEST_ERRORS},
                   tags=["users"])  # fmt: skip
    def post(self, request, request_id: str):
        services.follow_request_deny(target=request.user, request_id=_request_id(request_id))
        return Response({"message": "The request was denied."})


# --- a user as the viewer sees them (relations included), and the owner's profile edits ----------


PROFILE_REQUEST = {
    "application/json": ProfileUpdateSerializer,
    "multipart/form-data": OpenApiRequest(
        ProfileImagesSerializer,
        encoding={
            name: {"contentType": "image/jpeg, image/png, image/gif, image/webp"} for name in ("avatar", "header")
        },
    ),
}


class UserDetailView(APIView):
    """`:id` is the numeric id or the username."""

    parser_classes = [JSONParser, MultiPartParser]  # multipart brings new avatar and header images

    def get_user(self, handle: str):
        user = account_selectors.user_by_handle(handle)
        if user is None:
            raise NotFound(_("No such user."))
        return user

    @extend_schema(operation_id="user_get", responses=UserResponseSerializer, tags=["users"])
    def get(self, request, handle: str):
        user = selectors.with_relations(request.user, [self.get_user(handle)])[0]
        return Response({"user": UserSerializer(user, context={"request": request}).data})

    @extend_schema(
        operation_id="user_update",
        request=PROFILE_REQUEST,
        responses={200: UserResponseSerializer, **errors(s403="Not your profile.")},
        description="Change some of your profile: JSON, or multipart when it brings new images.",
        tags=["users"],
    )
    def patch(self, request, handle: str):
        return self._update(request, handle, partial=True)

    @extend_schema(
        operation_id="user_replace",
        request=PROFILE_REQUEST,
        responses={200: UserResponseSerializer, **errors(s403="Not your profile.")},
        description="Set your profile: `name` is required, other text left out keeps its value.",
        tags=["users"],
    )
    def put(self, request, handle: str):
        return self._update(request, handle, partial=False)

    def _update(self, request, handle: str, *, partial: bool):
        user = self.get_user(handle)
        if user.pk != request.user.pk:
            raise PermissionDenied(_("You can only edit your own profile."))
        data = valid(ProfileWriteSerializer, request.data, partial=partial)
        avatar, header = data.pop("avatar", None), data.pop("header", None)
        is_private = data.pop("is_private", None)
        user = account_services.profile_update(
            user=user, changes=data, avatar=avatar, header=header, is_private=is_private
        )
        return Response({"user": UserSerializer(user, context={"request": request}).data})
