"""API views for tweets, likes, retweets, media and profile timelines."""

from datetime import timedelta

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.serializers import UserSerializer
from config.kernel import text as text_rules
from config.kernel.api.fields import parse_id
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import ChoiceParam, valid, valid_query
from config.kernel.api.pagination import PageRequest, page_body
from config.kernel.api.schema import PAGE_PARAMETERS, errors, list_schema
from social.graph import api as graph_api
from social.graph import selectors as graph_selectors
from social.graph.visibility import RelationSet
from tweets import selectors, services
from tweets.serializers import (
    BookmarkStateSerializer,
    EngagementsSerializer,
    LikeStateSerializer,
    PinStateSerializer,
    RetweetRequestSerializer,
    RetweetStateSerializer,
    TweetCreatedSerializer,
    TweetCreateSerializer,
    TweetEditSerializer,
    TweetResponseSerializer,
    TweetSerializer,
    UserDetailResponseSerializer,
    tweet_json,
)


def _tweet_or_404(raw_id, viewer):
    tweet_id = parse_id(raw_id)
    tweet = selectors.tweet_for_viewer(tweet_id, viewer) if tweet_id else None
    if tweet is None:
        raise NotFound(gettext(services.GONE))
    return tweet


GONE = errors(s404="No such post (or one you can't see).")
REFUSED = "A block stands between you, or the post is from a private account."


def _tweet_json(tweet, request) -> dict:
    return TweetSerializer(tweet, context={"request": request}).data


class TweetCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tweet_create",
        request=TweetCreateSerializer,
        responses={
            201: TweetCreatedSerializer,
            200: TweetCreatedSerializer,
            **errors(
                s403="A block stands between you and the author replied to or quoted, or the quoted post is "
                "from a private account.",
                s404="The post replied to or quoted is gone, or an image id is not an upload of yours.",
                s400="Invalid input, among it a poll with fewer than 2 or more than 4 choices, a choice over 25 "
                "characters, a duration outside 5 minutes to 7 days, or a poll with images.",
            ),
        },
        description=(
            "A post, a reply (`replyToTweetId`) or a quote (`quoteTweetId`), with text or images or both: 201 with "
            "the new post. `contentWarning` (up to 100 characters) folds the post behind a warning; `sensitive` "
            "blurs its images until the reader opens them. The same post sent again by its author within two "
            "minutes (same text, reply or quote target and media) is taken for a retry whose answer was lost: 200 "
            "with the first post. The first http(s) link gets a preview `card` a moment later (fetched by a "
            "worker), unless `card` is false."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["tweets"],
    )
    @idempotent
    def post(self, request):
        data = valid(TweetCreateSerializer, request.data)
        tweet = services.tweet_create(
            author=request.user,
            text_input=data["text"],
            media_ids=data["mediaIds"],
            reply_to_id=data.get("replyToTweetId"),
            quote_of_id=data.get("quoteTweetId"),
            content_warning=data.get("contentWarning") or "",
            sensitive=data["sensitive"],
            **_poll_arguments(data.get("poll")),
            link_card=data["card"],
        )
        data = _tweet_json(selectors.as_posted(tweet, request.user), request)
        body = {"tweetId": data["id"], "createdAt": data["createdAt"], "tweetData": data}
        # A retry of a post that was made (its answer lost) gets the first post back: 200, not 201.
        repeated = getattr(tweet, "repeated", False)
        return Response(body, status=status.HTTP_200_OK if repeated else status.HTTP_201_CREATED)


def _poll_arguments(poll: dict | None) -> dict:
    if not poll:
        return {}
    return {
        "poll_choices": poll["choices"],
        "poll_duration": timedelta(minutes=poll["durationMinutes"]),
        "poll_multiple": poll["multiple"],
    }


class TweetDetailView(APIView):
    @extend_schema(operation_id="tweet_get", responses={200: TweetResponseSerializer, **GONE}, tags=["tweets"])
    def get(self, request, tweet_id: str):
        return Response({"tweet": _tweet_json(_tweet_or_404(tweet_id, request.user), request)})

    @extend_schema(
        operation_id="tweet_edit",
        request=TweetEditSerializer,
        responses={
            200: TweetResponseSerializer,
            **GONE,
            **errors(
                s403="Not your post, a retweet, or past the 30 minutes in which a post can be edited.",
                s409="Empty text for a post without images.",
            ),
        },
        tags=["tweets"],
    )
    def patch(self, request, tweet_id: str):
        tweet = _tweet_or_404(tweet_id, request.user)
        data = valid(TweetEditSerializer, request.data)
        services.tweet_edit(
            actor=request.user,
            tweet=tweet,
            text_input=data["text"],
            content_warning=(data.get("contentWarning") or "") if "contentWarning" in data else None,
            sensitive=data.get("sensitive"),
            media_ids=data.get("mediaIds"),
        )
        return Response({"tweet": _tweet_json(_tweet_or_404(tweet_id, request.user), request)})

    @extend_schema(
        operation_id="tweet_delete",
        responses={
            200: inline_serializer("DeletedMessage", {"message": serializers.CharField()}),
            **GONE,
            **errors(s403="Not your post."),
        },
        tags=["tweets"],
    )
    def delete(self, request, tweet_id: str):
        tweet = _tweet_or_404(tweet_id, request.user)
        services.tweet_delete(actor=request.user, tweet=tweet)
        return Response({"message": "The post was deleted."})


class LikeView(APIView):
    permission_classes = [IsAuthenticated]

    def _answer(self, target, liked: bool):
        return Response({"liked": liked, "likeCount": target.like_count})

    @extend_schema(
        operation_id="tweet_like",
        request=None,
        responses={200: LikeStateSerializer, **GONE, **errors(s403=REFUSED)},
        tags=["tweets"],
    )
    def post(self, request, tweet_id: str):
        return self._answer(services.like_create(user=request.user, tweet_id=_id(tweet_id)), True)

    @extend_schema(
        operation_id="tweet_unlike",
        responses={200: LikeStateSerializer, **GONE, **errors(s403=REFUSED)},
        tags=["tweets"],
    )
    def delete(self, request, tweet_id: str):
        return self._answer(services.like_delete(user=request.user, tweet_id=_id(tweet_id)), False)


class RetweetView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tweet_retweet",
        request=RetweetRequestSerializer,
        responses={200: RetweetStateSerializer, **GONE, **errors(s403=REFUSED)},
        description="Without `comment`, a retweet (idempotent). With one, a quote tweet: `retweetId` is the new quote.",
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["tweets"],
    )
    @idempotent
    def post(self, request, tweet_id: str):
        data = valid(RetweetRequestSerializer, request.data)
        if not text_rules.is_blank(text_rules.normalise(data.get("comment", ""))):
            quote = services.quote_create(author=request.user, tweet_id=_id(tweet_id), comment=data["comment"])
            original = quote.quote_of
            original.refresh_from_db(fields=["retweet_count"])
            retweeted = original.retweets.filter(author=request.user).exists()
            return Response(
                {"retweeted": retweeted, "retweetCount": original.retweet_count, "retweetId": str(quote.pk)}
            )
        original, retweet = services.retweet_create(user=request.user, tweet_id=_id(tweet_id))
        return Response({"retweeted": True, "retweetCount": original.retweet_count, "retweetId": str(retweet.pk)})

    @extend_schema(
        operation_id="tweet_unretweet",
        responses={200: RetweetStateSerializer, **GONE, **errors(s403=REFUSED)},
        tags=["tweets"],
    )
    def delete(self, request, tweet_id: str):
        original = services.retweet_delete(user=request.user, tweet_id=_id(tweet_id))
        return Response({"retweeted": False, "retweetCount": original.retweet_count, "retweetId": None})


def _id(raw) -> int:
    tweet_id = parse_id(raw)
    if tweet_id is None:
        raise NotFound(gettext(services.GONE))
    return tweet_id


class RepliesView(APIView):
    @extend_schema(
        operation_id="tweet_replies",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("ReplyList", "replies", TweetSerializer), **GONE},
        tags=["tweets"],
    )
    def get(self, request, tweet_id: str):
        tweet = _tweet_or_404(tweet_id, request.user)
        items, cursor = selectors.replies(tweet.original, request.user, PageRequest.from_query(request.query_params))
        data = TweetSerializer(items, many=True, context={"request": request}).data
        return Response(page_body("replies", data, cursor))


class LikersView(APIView):
    select = staticmethod(selectors.likers)

    @extend_schema(
        operation_id="tweet_likers",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("UserList", "users", UserSerializer), **GONE},
        tags=["tweets"],
    )
    def get(self, request, tweet_id: str):
        tweet = _tweet_or_404(tweet_id, request.user)
        users, cursor = self.select(tweet.original, request.user, PageRequest.from_query(request.query_params))
        data = UserSerializer(users, many=True, context={"request": request}).data
        return Response(page_body("users", data, cursor))


@extend_schema_view(
    get=extend_schema(
        operation_id="tweet_retweeters",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("UserList", "users", UserSerializer), **GONE},
        tags=["tweets"],
    )
)
class RetweetersView(LikersView):
    select = staticmethod(selectors.retweeters)


class EngagementsView(APIView):
    @extend_schema(operation_id="tweet_engagements", responses={200: EngagementsSerializer, **GONE}, tags=["tweets"])
    def get(self, request, tweet_id: str):
        tweet = _tweet_or_404(tweet_id, request.user).original
        return Response(
            {
                "likeCount": tweet.like_count,
                "retweetCount": tweet.retweet_count,
                "replyCount": tweet.reply_count,
                "quoteCount": tweet.quote_count,
            }
        )


class ProfileTabSerializer(serializers.Serializer):
    tab = ChoiceParam(selectors.PROFILE_TABS, default="tweets")


class UserTimelineView(APIView):
    @extend_schema(
        operation_id="timeline_user",
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter(
                "tab",
                str,
                enum=list(selectors.PROFILE_TABS),
                description=(
                    "tweets (the default): posts and retweets, no replies; replies; "
                    "media: the owner's own posts with images, GIFs or video; likes."
                ),
            ),
        ],
        responses={
            200: list_schema("TweetList", "tweets", TweetSerializer),
            **errors(s403="A private account you don't follow, or a block between you.", s404="No such user."),
        },
        tags=["timelines"],
    )
    def get(self, request, handle: str):
        owner = account_selectors.user_by_handle(handle)
        if owner is None:
            raise NotFound(gettext("No such user."))
        tab = valid_query(ProfileTabSerializer, request.query_params)["tab"]  # "?tab=" is 400
        if not RelationSet.for_viewer(request.user, [owner.pk]).can_see_author(owner):
            raise PermissionDenied("This account's posts are protected. Follow it to see them.")
        page = PageRequest.from_query(request.query_params)
        items, cursor = selectors.profile_timeline(owner, request.user, tab, page)
        data = TweetSerializer(items, many=True, context={"request": request}).data
        return Response(page_body("tweets", data, cursor))


# --- pinned posts ---------------------------------------------------------------------


class PinView(APIView):
    permission_classes = [IsAuthenticated]

    def _answer(self, request, tweet):
        pinned_id = request.user.pinned_tweet_id
        return Response({"pinned": pinned_id == tweet.pk, "pinnedTweetId": _id_or_none(pinned_id)})

    @extend_schema(
        operation_id="tweet_pin",
        request=None,
        responses={200: PinStateSerializer, **GONE, **errors(s403="Not your post, or a retweet.")},
        description="Pin your post to your profile (idempotent); it replaces the post pinned before. "
        "Someone else's post is 403 and changes nothing.",
        tags=["tweets"],
    )
    def post(self, request, tweet_id: str):
        return self._answer(request, services.tweet_pin(user=request.user, tweet_id=_id(tweet_id)))

    @extend_schema(
        operation_id="tweet_unpin",
        responses={200: PinStateSerializer, **GONE, **errors(s403="Not your post.")},
        description="Unpin your post (idempotent: a post that isn't pinned stays as it is).",
        tags=["tweets"],
    )
    def delete(self, request, tweet_id: str):
        return self._answer(request, services.tweet_unpin(user=request.user, tweet_id=_id(tweet_id)))


def _id_or_none(value) -> str | None:
    return str(value) if value is not None else None


def user_with_pin_json(user, request) -> dict:
    """The user object with `pinnedTweet`, as the viewer may see it (null when hidden from them)."""
    pinned = selectors.pinned_tweet(user, request.user)
    data = UserSerializer(user, context={"request": request}).data
    return {**data, "pinnedTweet": tweet_json(pinned, request) if pinned is not None else None}


class UserDetailView(graph_api.UserDetailView):
    """/users/:id with the user's pinned post (`pinnedTweet`), which social.graph can't load (tweets sit above it)."""

    @extend_schema(operation_id="user_get", responses=UserDetailResponseSerializer, tags=["users"])
    def get(self, request, handle: str):
        user = graph_selectors.with_relations(request.user, [self.get_user(handle)])[0]
        return Response({"user": user_with_pin_json(user, request)})

    @extend_schema(
        operation_id="user_update",
        request=graph_api.PROFILE_REQUEST,
        responses={200: UserDetailResponseSerializer, **errors(s403="Not your profile.")},
        description="Change some of your profile: JSON, or multipart when it brings new images.",
        tags=["users"],
    )
    def patch(self, request, handle: str):
        return self._with_pin(request, super().patch(request, handle))

    @extend_schema(
        operation_id="user_replace",
        request=graph_api.PROFILE_REQUEST,
        responses={200: UserDetailResponseSerializer, **errors(s403="Not your profile.")},
        description="Set your profile: `name` is required, other text left out keeps its value.",
        tags=["users"],
    )
    def put(self, request, handle: str):
        return self._with_pin(request, super().put(request, handle))

    def _with_pin(self, request, response):
        pinned = selectors.pinned_tweet(request.user, request.user)  # only your own profile can be changed
        response.data["user"]["pinnedTweet"] = tweet_json(pinned, request) if pinned is not None else None
        return response


class QuotesView(APIView):
    @extend_schema(
        operation_id="tweet_quotes",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("TweetList", "tweets", TweetSerializer), **GONE},
        description="The posts quoting this one that you may see, newest first.",
        tags=["tweets"],
    )
    def get(self, request, tweet_id: str):
        tweet = _tweet_or_404(tweet_id, request.user)
        items, cursor = selectors.quotes(tweet.original, request.user, PageRequest.from_query(request.query_params))
        data = TweetSerializer(items, many=True, context={"request": request}).data
        return Response(page_body("tweets", data, cursor))


class BookmarkView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tweet_bookmark",
        request=None,
        responses={200: BookmarkStateSerializer, **GONE},
        description="Save a post to your bookmarks (private to you). Idempotent: a second call answers the same. "
        "A retweet's id saves its original.",
        tags=["bookmarks"],
    )
    def post(self, request, tweet_id: str):
        services.bookmark_create(user=request.user, tweet_id=_id(tweet_id))
        return Response({"bookmarked": True})

    @extend_schema(
        operation_id="tweet_unbookmark",
        responses={200: BookmarkStateSerializer, **GONE},
        description="Remove a post from your bookmarks. Idempotent: a post that was not bookmarked answers the same. "
        "404 only when it was not bookmarked and is gone or hidden from you.",
        tags=["bookmarks"],
    )
    def delete(self, request, tweet_id: str):
        services.bookmark_delete(user=request.user, tweet_id=_id(tweet_id))
        return Response({"bookmarked": False})


class BookmarksView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bookmarks_list",
        parameters=PAGE_PARAMETERS,
        responses={200: list_schema("TweetList", "tweets", TweetSerializer)},
        description="Your bookmarked posts, newest bookmark first. The cursor is a bookmark's position, not a "
        "post id. Posts you may no longer see are left out.",
        tags=["bookmarks"],
    )
    def get(self, request):
        items, cursor = selectors.bookmarks(request.user, PageRequest.from_query(request.query_params))
        data = TweetSerializer(items, many=True, context={"request": request}).data
        return Response(page_body("tweets", data, cursor))
