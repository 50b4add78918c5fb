"""The tweet JSON of SPEC §4, written from hydrated tweets (no queries here)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import media_url
from config.api.fields import IdField


class AuthorSerializer(serializers.Serializer):
    id = IdField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    avatarUrl = serializers.SerializerMethodField()

    def get_avatarUrl(self, user) -> str | None:
        return media_url(self.context.get("request"), user.avatar)


class MediaSerializer(serializers.Serializer):
    id = IdField()
    url = serializers.SerializerMethodField()
    thumbnailUrl = serializers.SerializerMethodField()
    type = serializers.CharField(source="kind")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    altText = serializers.CharField(source="alt_text")

    def get_url(self, item) -> str:
        return media_url(self.context.get("request"), item.file)

    def get_thumbnailUrl(self, item) -> str | None:
        """The WebP thumbnail once the task has made it; until then, null."""
        return media_url(self.context.get("request"), item.thumbnail)


class MentionSerializer(serializers.Serializer):
    id = serializers.CharField()
    username = serializers.CharField()


class TweetSerializer(serializers.Serializer):
    """One tweet. A retweet has empty text and the original in `retweetOf`."""

    id = IdField()
    text = serializers.CharField()
    createdAt = serializers.DateTimeField(source="created_at")
    editedAt = serializers.DateTimeField(source="edited_at", allow_null=True)
    author = AuthorSerializer()
    replyToTweetId = IdField(source="reply_to_id", allow_null=True)
    quoteTweetId = IdField(source="quote_of_id", allow_null=True, help_text="Set even when the quoted post is gone.")
    quoteTweet = serializers.SerializerMethodField(
        help_text="The quoted post, or null when it was deleted or is hidden from you."
    )
    retweetOf = serializers.SerializerMethodField()
    media = serializers.SerializerMethodField()
    hashtags = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    likeCount = serializers.IntegerField(source="like_count")
    retweetCount = serializers.IntegerField(source="retweet_count")
    replyCount = serializers.IntegerField(source="reply_count")
    quoteCount = serializers.IntegerField(source="quote_count")
    liked = serializers.SerializerMethodField()
    retweeted = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_quoteTweet(self, tweet):
        quoted = getattr(tweet, "quoted", None)
        return TweetSerializer(quoted, context=self.context).data if quoted is not None else None

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_retweetOf(self, tweet):
        if not tweet.retweet_of_id:
            return None
        return TweetSerializer(tweet.original, context=self.context).data

    @extend_schema_field(MediaSerializer(many=True))
    def get_media(self, tweet):
        return MediaSerializer(getattr(tweet, "media_list", []), many=True, context=self.context).data

    def get_hashtags(self, tweet) -> list[str]:
        return [e["tag"] for e in tweet.entities if e["type"] == "hashtag"]

    @extend_schema_field(MentionSerializer(many=True))
    def get_mentions(self, tweet):
        return [{"id": str(e["user_id"]), "username": e["username"]} for e in tweet.entities if e["type"] == "mention"]

    def get_liked(self, tweet) -> bool:
        return getattr(tweet, "viewer_liked", False)

    def get_retweeted(self, tweet) -> bool:
        return getattr(tweet, "viewer_retweeted", False)


class TweetCreateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False, max_length=5000)
    mediaIds = serializers.ListField(child=IdField(read_only=False), required=False, default=list, max_length=10)
    replyToTweetId = IdField(read_only=False, required=False, allow_null=True)
    quoteTweetId = IdField(read_only=False, required=False, allow_null=True)


class TweetCreatedSerializer(serializers.Serializer):
    tweetId = serializers.CharField()
    createdAt = serializers.DateTimeField()
    tweetData = TweetSerializer()


class TweetEditSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=5000)


class TweetResponseSerializer(serializers.Serializer):
    tweet = TweetSerializer()


class LikeStateSerializer(serializers.Serializer):
    liked = serializers.BooleanField()
    likeCount = serializers.IntegerField()


class RetweetRequestSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=5000)


class RetweetStateSerializer(serializers.Serializer):
    retweeted = serializers.BooleanField()
    retweetCount = serializers.IntegerField()
    retweetId = serializers.CharField(allow_null=True)


class EngagementsSerializer(serializers.Serializer):
    likeCount = serializers.IntegerField()
    retweetCount = serializers.IntegerField()
    replyCount = serializers.IntegerField()
    quoteCount = serializers.IntegerField()


class MediaUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    altText = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class MediaUploadedSerializer(serializers.Serializer):
    mediaId = serializers.CharField()
    mediaUrl = serializers.CharField()
    metadata = serializers.DictField()
