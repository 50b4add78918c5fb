"""Reads for tweets. Lists load a page in one query, then `hydrate` adds what cards show.

Hydration costs a fixed number of queries whatever the page size: referenced
tweets (originals of retweets, quoted and parent tweets), their quoted
tweets, media, and the viewer's likes and retweets.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from accounts.models import User
from config.api.pagination import PageRequest, keyset_page
from social.visibility import RelationSet, readable_authors, tweets_visible_to
from tweets.models import Like, Media, Tweet

PROFILE_TABS = ("tweets", "replies", "media", "likes")


def tweets_with_authors() -> QuerySet[Tweet]:
    return Tweet.objects.select_related("author")


def _load(ids: set[int], into: dict[int, Tweet]) -> None:
    missing = ids - into.keys()
    if missing:
        into.update({t.pk: t for t in tweets_with_authors().filter(pk__in=missing)})


def hydrate(tweets: list[Tweet], viewer, *, hide_muted: bool = False) -> list[Tweet]:
    """Attach everything a card or the API shows, and drop what the viewer may not see.

    Sets on each tweet: `original` (what a retweet points at, else itself),
    `quoted` (None when deleted or hidden) with `quote_state` ("deleted",
    "unavailable"), `parent_author`, `media_list`, `viewer_liked`,
    `viewer_retweeted`. Nested tweets get the same attributes, one level deep.
    `hide_muted` also drops posts and retweets by, or of, muted people (home
    timeline only).
    """
    known: dict[int, Tweet] = {t.pk: t for t in tweets}

    _load({t.retweet_of_id for t in tweets if t.retweet_of_id}, known)
    originals = [known.get(t.retweet_of_id, t) if t.retweet_of_id else t for t in tweets]
    _load(
        {o.quote_of_id for o in originals if o.quote_of_id} | {o.reply_to_id for o in originals if o.reply_to_id}, known
    )
    quoted = [known[o.quote_of_id] for o in originals if o.quote_of_id and o.quote_of_id in known]
    _load({q.quote_of_id for q in quoted if q.quote_of_id}, known)  # so a quoted quote can say "quoting"
    relations = RelationSet.for_viewer(viewer, {t.author_id for t in known.values()})

    def shown(tweet: Tweet) -> bool:
        original = known.get(tweet.retweet_of_id) if tweet.retweet_of_id else tweet
        if not relations.can_see(tweet) or not relations.can_see(original):
            return False
        return not (hide_muted and (relations.is_muted(tweet.author) or relations.is_muted(original.author)))

    tweets = [t for t in tweets if shown(t)]
    originals = [known[t.retweet_of_id] if t.retweet_of_id else t for t in tweets]
    quoted = [known[o.quote_of_id] for o in originals if o.quote_of_id and o.quote_of_id in known]
    cards = {t.pk: t for t in originals + quoted}
    media_by_tweet: dict[int, list[Media]] = {}
    for item in Media.objects.filter(tweet_id__in=cards.keys()).order_by("tweet_id", "position"):
        media_by_tweet.setdefault(item.tweet_id, []).append(item)
    liked, retweeted = set(), set()
    if relations.viewer_id is not None and cards:
        liked = set(
            Like.objects.filter(user_id=relations.viewer_id, tweet_id__in=cards.keys()).values_list(
                "tweet_id", flat=True
            )
        )
        retweeted = set(
            Tweet.objects.filter(author_id=relations.viewer_id, retweet_of_id__in=cards.keys()).values_list(
                "retweet_of_id", flat=True
            )
        )

    def dress(tweet: Tweet, depth: int) -> None:
        tweet.media_list = media_by_tweet.get(tweet.pk, [])
        tweet.viewer_liked = tweet.pk in liked
        tweet.viewer_retweeted = tweet.pk in retweeted
        parent = known.get(tweet.reply_to_id) if tweet.reply_to_id else None
        tweet.parent_author = parent.author if parent is not None and relations.can_see(parent) else None
        tweet.quoted, tweet.quote_state = None, None
        if tweet.quote_of_id:
            target = known.get(tweet.quote_of_id)
            if target is None:
                tweet.quote_state = "deleted"
            elif not relations.can_see(target):
                tweet.quote_state = "unavailable"
            elif depth == 0:
                tweet.quoted = target
                dress(target, depth + 1)
            else:
                tweet.quote_state = "nested"

    for tweet in tweets:
        tweet.original = known[tweet.retweet_of_id] if tweet.retweet_of_id else tweet
        dress(tweet.original, 0)
    return tweets


def tweet_for_viewer(tweet_id: int, viewer) -> Tweet | None:
    tweet = tweets_with_authors().filter(pk=tweet_id).first()
    if tweet is None:
        return None
    hydrated = hydrate([tweet], viewer)
    return hydrated[0] if hydrated else None


def _page(queryset, viewer, page: PageRequest, key: str = "id"):
    rows, next_cursor = keyset_page(queryset, page, key)
    return hydrate(rows, viewer), next_cursor


def profile_timeline(owner: User, viewer, tab: str, page: PageRequest) -> tuple[list[Tweet], int | None]:
    """A profile tab; empty when the viewer may not see the owner's posts."""
    if not RelationSet.for_viewer(viewer, [owner.pk]).can_see_author(owner):
        return [], None
    if tab == "likes":
        likes = (
            Like.objects.filter(user=owner)
            .filter(tweets_visible_to(viewer, prefix="tweet__"))
            .select_related("tweet__author")
        )
        rows, next_cursor = keyset_page(likes, page)
        return hydrate([like.tweet for like in rows], viewer), next_cursor
    tweets = tweets_with_authors().filter(author=owner)
    if tab == "replies":
        tweets = tweets.filter(reply_to__isnull=False)
    elif tab == "media":
        tweets = tweets.filter(has_media=True)
    else:
        tweets = tweets.filter(reply_to__isnull=True)
    rows, next_cursor = keyset_page(tweets, page)
    return hydrate(rows, viewer), next_cursor


def replies(tweet: Tweet, viewer, page: PageRequest) -> tuple[list[Tweet], int | None]:
    """Direct replies, oldest first, as a conversation reads."""
    queryset = tweets_with_authors().filter(reply_to=tweet).filter(tweets_visible_to(viewer))
    if page.cursor is not None:
        queryset = queryset.filter(pk__gt=page.cursor)
    rows = list(queryset.order_by("pk")[: page.limit + 1])
    next_cursor = rows[page.limit - 1].pk if len(rows) > page.limit else None
    return hydrate(rows[: page.limit], viewer), next_cursor


ANCESTORS_SQL = """
WITH RECURSIVE chain(id, reply_to_id, depth) AS (
    SELECT id, reply_to_id, 0 FROM tweets_tweet WHERE id = %s
    UNION ALL
    SELECT t.id, t.reply_to_id, c.depth + 1
    FROM tweets_tweet t JOIN chain c ON t.id = c.reply_to_id
    WHERE c.depth < %s
)
SELECT id, reply_to_id FROM chain WHERE depth > 0 ORDER BY depth DESC
"""


def ancestors(tweet: Tweet, viewer, max_depth: int = 40) -> tuple[list[Tweet], bool]:
    """The thread above a reply, oldest first, and whether its top was deleted."""
    if not tweet.reply_to_id:
        return [], False
    with connection.cursor() as cursor:
        cursor.execute(ANCESTORS_SQL, [tweet.pk, max_depth])
        chain = cursor.fetchall()
    top_missing = not chain or (chain[0][1] is not None and len(chain) < max_depth)
    by_id = {t.pk: t for t in tweets_with_authors().filter(pk__in=[row[0] for row in chain])}
    found = hydrate([by_id[row[0]] for row in chain if row[0] in by_id], viewer)
    return found, top_missing


def likers(tweet: Tweet, viewer, page: PageRequest) -> tuple[list[User], int | None]:
    # A private account's likes are its followers' business: it shows here only to them.
    likes = Like.objects.filter(tweet=tweet).filter(readable_authors(viewer, prefix="user__")).select_related("user")
    rows, next_cursor = keyset_page(likes, page)
    return [like.user for like in rows], next_cursor


def retweeters(tweet: Tweet, viewer, page: PageRequest) -> tuple[list[User], int | None]:
    retweets = tweets_with_authors().filter(retweet_of=tweet).filter(tweets_visible_to(viewer))
    rows, next_cursor = keyset_page(retweets, page)
    return [row.author for row in rows], next_cursor


def edit_history(tweet: Tweet) -> list:
    return list(tweet.edits.all())


def hashtag_timeline(tag: str, viewer, page: PageRequest) -> tuple[list[Tweet], int | None]:
    from tweets.text import hashtag_key

    queryset = tweets_with_authors().filter(hashtags__name=hashtag_key(tag)).filter(tweets_visible_to(viewer))
    return _page(queryset, viewer, page)
