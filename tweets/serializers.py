"""The tweet JSON of SPEC §4, written from hydrated tweets (no queries here)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from accounts.serializers import UserSerializer, media_url
from config.kernel import text as text_rules
from config.kernel.api import patterns
from config.kernel.api.fields import FlagField, IdField, StrictChoiceField, TextField
from config.kernel.timefmt import iso_z
from tweets import polls


class AuthorSerializer(serializers.Serializer):
    id = IdField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    avatarUrl = serializers.SerializerMethodField()

    def get_avatarUrl(self, user) -> str | None:
        return media_url(self.context.get("request"), user.avatar)


class MediaSerializer(serializers.Serializer):
    id = IdField()
    state = serializers.ChoiceField(["processing", "ready", "failed"], help_text="`url` is null until `ready`.")
    url = serializers.SerializerMethodField()
    thumbnailUrl = serializers.SerializerMethodField()
    type = serializers.ChoiceField(
        ["image", "gif", "video"], source="kind",
        help_text="`gif`: an animation, played as a silent looping MP4 (`url`) once ready; `video`: an MP4.",
    )  # fmt: skip
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    altText = serializers.CharField(source="alt_text", help_text="The description; for a video, its caption too.")
    previewUrl = serializers.SerializerMethodField()
    duration = serializers.FloatField(allow_null=True, help_text="Seconds (videos and GIFs, once ready); else null.")
    blurhash = serializers.SerializerMethodField()

    def get_url(self, item) -> str | None:
        return media_url(self.context.get("request"), item.file)

    def get_thumbnailUrl(self, item) -> str | None:
        """The WebP thumbnail once the task has made it; until then, null."""
        return media_url(self.context.get("request"), item.thumbnail)

    def get_previewUrl(self, item) -> str | None:
        """A video's or GIF's poster (WebP, an early frame) once ready; null for images and until then."""
        return _preview_url(item, self.context.get("request"))

    def get_blurhash(self, item) -> str | None:
        """The poster's blurhash (https://blurha.sh), to paint while it loads; null for images."""
        return item.blurhash or None


class MentionSerializer(serializers.Serializer):
    id = serializers.CharField()
    username = serializers.CharField()


def _id(value) -> str | None:
    return str(value) if value is not None else None


def author_json(user, request) -> dict:
    return {
        "id": str(user.pk),
        "username": user.username,
        "name": user.display_name,
        "avatarUrl": media_url(request, user.avatar),
    }


def media_json(item, request) -> dict:
    return {
        "id": str(item.pk),
        "state": item.state,  # processing (no url yet), ready, or failed
        "url": media_url(request, item.file),
        "thumbnailUrl": media_url(request, item.thumbnail),
        "type": item.kind,
        "width": item.width,
        "height": item.height,
        "altText": item.alt_text,
        "previewUrl": _preview_url(item, request),
        "duration": item.duration,
        "blurhash": item.blurhash or None,
    }


def _preview_url(item, request) -> str | None:
    return media_url(request, item.thumbnail) if item.kind != "image" else None


def link_card_json(card, request) -> dict | None:
    """A link preview card (tweets/link_cards.py), or None when there is none to show."""
    if card is None or card.state != "ok":
        return None
    return {
        "url": card.url,
        "title": card.title,
        "description": card.description,
        "siteName": card.site_name,
        "imageUrl": media_url(request, card.image),
        "imageWidth": card.image_width,
        "imageHeight": card.image_height,
    }


def tweet_core_json(tweet) -> dict:
    """The fields of a post that depend on no reader: the API's and the data export's (accounts.lifecycle)."""
    return {
        "id": str(tweet.pk),
        "text": tweet.text,
        "createdAt": iso_z(tweet.created_at),
        "editedAt": iso_z(tweet.edited_at),
        "replyToTweetId": _id(tweet.reply_to_id),
        "quoteTweetId": _id(tweet.quote_of_id),
        "likeCount": tweet.like_count,
        "retweetCount": tweet.retweet_count,
        "replyCount": tweet.reply_count,
        "quoteCount": tweet.quote_count,
        "contentWarning": tweet.content_warning or None,
        "sensitive": tweet.sensitive,
    }


def tweet_json(tweet, request) -> dict:
    """A hydrated tweet (see tweets.selectors.hydrate) as the API writes it.

    Written by hand rather than by DRF's field machinery: timelines write
    thousands of these a second, and this is several times faster. The
    declared fields of TweetSerializer below document the same shape, and a
    test holds the two together.
    """
    quoted = getattr(tweet, "quoted", None)
    return {
        **tweet_core_json(tweet),
        "author": author_json(tweet.author, request),
        "quoteTweet": tweet_json(quoted, request) if quoted is not None else None,
        "retweetOf": tweet_json(tweet.original, request) if tweet.retweet_of_id else None,
        "media": [media_json(item, request) for item in getattr(tweet, "media_list", ())],
        "hashtags": [e["tag"] for e in tweet.entities if e["type"] == "hashtag"],
        "mentions": [
            {"id": str(e["user_id"]), "username": e["username"]} for e in tweet.entities if e["type"] == "mention"
        ],
        "liked": getattr(tweet, "viewer_liked", False),
        "retweeted": getattr(tweet, "viewer_retweeted", False),
        "conversationMuted": getattr(tweet, "conversation_muted", False),  # feat-convmute
        "pinned": getattr(tweet, "pinned", False),
        "bookmarked": getattr(tweet, "viewer_bookmarked", False),
        "poll": polls.poll_json(getattr(tweet, "poll_view", None)),
        "card": link_card_json(getattr(tweet, "preview_card", None), request),
    }


class PollChoiceSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="1 to 4: what a vote names.")
    text = serializers.CharField()
    votesCount = serializers.IntegerField(
        allow_null=True, help_text="null while you may still vote (results show once you voted or the poll ended)."
    )


class PollSerializer(serializers.Serializer):
    id = IdField()
    choices = PollChoiceSerializer(many=True)
    multiple = serializers.BooleanField(help_text="Whether a vote may pick several choices.")
    votesCount = serializers.IntegerField(
        help_text="Choices picked in all (shown to everyone); more than votersCount in a multiple-choice poll."
    )
    votersCount = serializers.IntegerField(help_text="People who voted; equals votesCount for a single-choice poll.")
    closesAt = serializers.DateTimeField()
    closed = serializers.BooleanField()
    voted = serializers.BooleanField(help_text="Whether you voted.")
    ownChoice = serializers.IntegerField(allow_null=True, help_text="The (first) position you voted for.")
    ownChoices = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every position you voted for, by position; empty before you vote."
    )


class LinkCardSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="The page linked (normalised): what the whole card links to.")
    title = serializers.CharField(help_text="Up to 200 characters; may be empty when there is a description.")
    description = serializers.CharField(help_text="Up to 300 characters; may be empty.")
    siteName = serializers.CharField(help_text="Up to 100 characters; may be empty.")
    imageUrl = serializers.CharField(
        allow_null=True, help_text="The page's image, re-encoded as WebP and served by us (never the site's own URL)."
    )
    imageWidth = serializers.IntegerField(allow_null=True)
    imageHeight = serializers.IntegerField(allow_null=True)


class TweetSerializer(serializers.Serializer):
    """One tweet. A retweet has empty text and the original in `retweetOf`.

    The fields document the shape for the schema; `to_representation` writes
    it with `tweet_json`, which a test keeps in step with these fields.
    """

    id = IdField()
    text = serializers.CharField()
    createdAt = serializers.DateTimeField(source="created_at")
    editedAt = serializers.DateTimeField(source="edited_at", allow_null=True)
    author = AuthorSerializer()
    replyToTweetId = IdField(source="reply_to_id", allow_null=True)
    quoteTweetId = IdField(source="quote_of_id", allow_null=True, help_text="Set even when the quoted post is gone.")
    quoteTweet = serializers.DictField(
        allow_null=True, help_text="The quoted post (a tweet), or null when it was deleted or is hidden from you."
    )
    retweetOf = serializers.DictField(allow_null=True, help_text="For a retweet, the original post (a tweet).")
    media = MediaSerializer(many=True)
    hashtags = serializers.ListField(child=serializers.CharField(), help_text="Tag names, case-folded.")
    mentions = MentionSerializer(many=True)
    likeCount = serializers.IntegerField(source="like_count")
    retweetCount = serializers.IntegerField(source="retweet_count")
    replyCount = serializers.IntegerField(source="reply_count")
    quoteCount = serializers.IntegerField(source="quote_count")
    liked = serializers.BooleanField(help_text="Whether you liked it.")
    retweeted = serializers.BooleanField(help_text="Whether you retweeted it.")
    conversationMuted = serializers.BooleanField(
        help_text="Whether you muted its conversation (no notifications from the thread); false when signed out."
    )
    contentWarning = serializers.CharField(
        source="content_warning", allow_null=True,
        help_text="The post's content warning (the text and images fold behind it), or null for none.",
    )  # fmt: skip
    sensitive = serializers.BooleanField(help_text="The post's images are marked sensitive (shown blurred).")
    pinned = serializers.BooleanField(help_text="This is the post its author pinned to their profile.")
    bookmarked = serializers.BooleanField(help_text="Whether you bookmarked it (always false when signed out).")
    poll = PollSerializer(allow_null=True, help_text="The post's poll, or null.")
    card = LinkCardSerializer(
        allow_null=True,
        help_text="The preview card of the post's first http(s) link, or null (none yet, none wanted, or the page "
        "couldn't be fetched). Added by a worker shortly after posting.",
    )

    def to_representation(self, tweet):
        return tweet_json(tweet, self.context.get("request"))


# Posts are counted after NFC normalisation, with control characters dropped and the ends trimmed
# (SPEC §4): the schema says 280; the field only stops what could never fit.
TEXT_RAW_LIMIT = 5000
POST_TEXT = {
    "maxLength": text_rules.MAX_LENGTH,
    "description": f"Up to {text_rules.MAX_LENGTH} characters, counted in Unicode code points after NFC "
    "normalisation (control characters dropped, the ends trimmed).",
}


CONTENT_WARNING = {
    "maxLength": 100,
    "description": "Shown before the post, which folds behind it: up to 100 characters, counted as the text is "
    "(after NFC normalisation, control characters dropped, the ends trimmed). Empty or null for none.",
}
POLL_DURATION = gettext_lazy("A poll lasts from 5 minutes to 7 days: durationMinutes from 5 to 10080.")
DURATION_ERRORS = ("invalid", "required", "null", "min_value", "max_value", "max_string_length")


class PollInputSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=TextField(
            allow_blank=True, trim_whitespace=False, max_length=1000,
            error_messages={
                "invalid": gettext_lazy("Each poll choice must be a text."),
                "max_length": gettext_lazy("A poll choice is too long."),
            },
        ),
        max_length=20,
        error_messages={
            "max_length": gettext_lazy("A poll has 2 to 4 choices."),
            "not_a_list": gettext_lazy("Poll choices must be a list of texts."),
        },
    )  # fmt: skip
    durationMinutes = serializers.IntegerField(
        min_value=5, max_value=7 * 24 * 60, error_messages=dict.fromkeys(DURATION_ERRORS, POLL_DURATION)
    )
    multiple = FlagField(required=False, default=False, help_text="true: a vote may pick several choices.")

    def validate_choices(self, value):
        if not polls.MIN_CHOICES <= len(value) <= polls.MAX_CHOICES:  # the rest is the service's to judge
            raise serializers.ValidationError(
                _("A poll has %(low)s to %(high)s choices; this one has %(count)s.")
                % {"low": 2, "high": 4, "count": len(value)}
            )
        return value

    schema_rules = {
        "properties": {
            "choices": {
                "minItems": polls.MIN_CHOICES,
                "maxItems": polls.MAX_CHOICES,
                "items": {"type": "string", "maxLength": polls.CHOICE_MAX_LENGTH, "pattern": patterns.VISIBLE},
                "description": "2 to 4 choices of up to 25 characters (counted as post text is), none blank.",
            },
            "durationMinutes": {"description": "From 5 minutes to 7 days (10080)."},
        }
    }


class TweetCreateSerializer(serializers.Serializer):
    text = TextField(required=False, allow_blank=True, default="", trim_whitespace=False, max_length=TEXT_RAW_LIMIT)
    mediaIds = serializers.ListField(
        child=IdField(read_only=False), required=False, default=list, max_length=settings.TWEET_MAX_IMAGES,
        error_messages={"max_length": gettext_lazy("A post can have at most {max_length} images.")},
        help_text="Images uploaded with POST /media/upload, at most four.",
    )  # fmt: skip
    replyToTweetId = IdField(read_only=False, required=False, allow_null=True)
    quoteTweetId = IdField(read_only=False, required=False, allow_null=True)
    contentWarning = TextField(
        required=False, allow_blank=True, allow_null=True, default="", trim_whitespace=False, max_length=1000
    )
    sensitive = FlagField(required=False, default=False, help_text="Mark the post's images as sensitive.")
    poll = PollInputSerializer(required=False, allow_null=True, help_text="A poll; not with images.")
    card = FlagField(
        required=False, default=True,
        help_text="false: no preview card for the post's first link (the author removed it in the compose box).",
    )  # fmt: skip

    # Something to show: text with a visible character, or an image. Images or a poll, not both.
    schema_rules = {
        "properties": {"text": POST_TEXT, "contentWarning": CONTENT_WARNING},
        "anyOf": [
            {"required": ["text"], "properties": {"text": {"pattern": patterns.VISIBLE}}},
            {"required": ["mediaIds"], "properties": {"mediaIds": {"minItems": 1}}},
        ],
        "not": {
            "required": ["poll", "mediaIds"],
            "properties": {"poll": {"type": "object"}, "mediaIds": {"minItems": 1}},
        },
    }


class UserWithPinSerializer(UserSerializer):
    """A user as the user detail endpoints write it: with the pinned post (lists leave it out: no N+1)."""

    pinnedTweet = TweetSerializer(
        allow_null=True, read_only=True, help_text="The post pinned to the profile, or null (none, or hidden from you)."
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "pinnedTweet"]
        read_only_fields = fields


class UserDetailResponseSerializer(serializers.Serializer):
    user = UserWithPinSerializer()


class TweetCreatedSerializer(serializers.Serializer):
    tweetId = serializers.CharField()
    createdAt = serializers.DateTimeField()
    tweetData = TweetSerializer()


class TweetEditSerializer(serializers.Serializer):
    text = TextField(allow_blank=True, trim_whitespace=False, max_length=TEXT_RAW_LIMIT)
    contentWarning = TextField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False, max_length=1000
    )
    sensitive = FlagField(required=False)
    mediaIds = serializers.ListField(
        child=IdField(read_only=False), required=False, max_length=settings.TWEET_MAX_IMAGES,
        error_messages={"max_length": gettext_lazy("A post can have at most {max_length} images.")},
        help_text="Left out: unchanged. The post's images afterwards, in order: ones on it now, or your own "
        "uploads on no other post. Not with a poll.",
    )  # fmt: skip

    schema_rules = {
        "required": ["text"],  # PATCH, yet the one field is required
        "properties": {
            "text": {**POST_TEXT, "description": POST_TEXT["description"] + " Empty only for a post with images."},
            "contentWarning": {
                **CONTENT_WARNING,
                "description": "Left out: unchanged. " + CONTENT_WARNING["description"],
            },
        },
    }


class TweetResponseSerializer(serializers.Serializer):
    tweet = TweetSerializer()


class PinStateSerializer(serializers.Serializer):
    pinned = serializers.BooleanField(help_text="Whether this post is now your pinned post.")
    pinnedTweetId = serializers.CharField(allow_null=True, help_text="Your profile's pinned post now, or null.")


class LikeStateSerializer(serializers.Serializer):
    liked = serializers.BooleanField()
    likeCount = serializers.IntegerField()


class RetweetRequestSerializer(serializers.Serializer):
    comment = TextField(required=False, allow_blank=True, trim_whitespace=False, max_length=TEXT_RAW_LIMIT)

    schema_rules = {
        "properties": {
            "comment": {
                **POST_TEXT,
                "description": "With something to show, a quote tweet of this text: " + POST_TEXT["description"],
            }
        }
    }


class RetweetStateSerializer(serializers.Serializer):
    retweeted = serializers.BooleanField()
    retweetCount = serializers.IntegerField()
    retweetId = serializers.CharField(allow_null=True)


class BookmarkStateSerializer(serializers.Serializer):
    bookmarked = serializers.BooleanField()


class EngagementsSerializer(serializers.Serializer):
    likeCount = serializers.IntegerField()
    retweetCount = serializers.IntegerField()
    replyCount = serializers.IntegerField()
    quoteCount = serializers.IntegerField()


class MediaUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A JPEG, PNG, GIF or WebP image (up to 5 MB and 40 megapixels), or an MP4, MOV or WebM video "
        "(up to 100 MB and 2 min 20 s; frames up to 4096x4096 pixels). What the bytes are decides, not the name."
    )
    altText = TextField(required=False, allow_blank=True, default="", max_length=1000)
    purpose = StrictChoiceField(
        ["tweet", "message"],
        default="tweet",
        help_text="`message` for a direct message: stored privately, seen only by the conversation's members.",
    )


class MediaUploadedSerializer(serializers.Serializer):
    mediaId = serializers.CharField()
    mediaUrl = serializers.CharField(allow_null=True, help_text="null until `metadata.state` is `ready`")
    metadata = serializers.DictField(
        help_text="`type` (image, gif or video), `state` (processing, ready, failed), `contentType`, `width`, "
        "`height`, `size`, `altText`, `failure` (why, when failed); videos and GIFs once ready: `duration` "
        "(seconds), `previewUrl` (the poster), `blurhash`."
    )


class PollVoteSerializer(serializers.Serializer):
    choice = serializers.IntegerField(
        min_value=1, max_value=polls.MAX_CHOICES, required=False, help_text="The choice's position (one choice)."
    )
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=polls.MAX_CHOICES),
        required=False, min_length=1, max_length=polls.MAX_CHOICES,
        error_messages={
            "min_length": gettext_lazy("Pick at least one choice."),
            "max_length": gettext_lazy("A poll has at most 4 choices."),
        },
        help_text="The positions picked, each once: one for a single-choice poll, one or more for a multiple one.",
    )  # fmt: skip

    def validate(self, attrs):
        if ("choice" in attrs) == ("choices" in attrs):
            raise serializers.ValidationError({"choices": [_("Send `choices` (a list of positions) or `choice`.")]})
        return attrs

    schema_rules = {
        "oneOf": [{"required": ["choice"]}, {"required": ["choices"]}],
        "properties": {"choices": {"uniqueItems": True}},
    }


class PollVotedSerializer(serializers.Serializer):
    poll = PollSerializer()
