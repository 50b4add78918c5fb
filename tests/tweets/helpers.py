from tweets import services


def post(author, text="hello", **kwargs):
    return services.tweet_create(author=author, text_input=text, **kwargs)


TWEET_KEYS = {
    "id", "text", "createdAt", "editedAt", "author", "replyToTweetId", "quoteTweet", "retweetOf", "media",
    "hashtags", "mentions", "likeCount", "retweetCount", "replyCount", "quoteCount", "liked", "retweeted",
    "conversationMuted",  # feat-convmute: the viewer muted the post's thread
    "contentWarning", "sensitive", "pinned",  # feat-cw
    "quoteTweetId", "bookmarked",  # additions to SPEC §4, documented in the schema
    "poll",  # null, or the post's poll (docs/API.md)
    "card",  # null, or the preview card of the post's first link (docs/API.md)
}  # fmt: skip
