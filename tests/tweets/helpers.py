from tweets import services


def post(author, text="hello", **kwargs):
    return services.tweet_create(author=author, text_input=text, **kwargs)


TWEET_KEYS = {
    "id", "text", "createdAt", "editedAt", "author", "replyToTweetId", "quoteTweet", "retweetOf", "media",
    "hashtags", "mentions", "likeCount", "retweetCount", "replyCount", "quoteCount", "liked", "retweeted",
    "quoteTweetId",  # an addition to SPEC §4, documented in the schema
    "poll",  # null, or the post's poll (docs/API.md)
}  # fmt: skip
