"""Search reads: tweets, people, hashtags, and @mention suggestions.

Tweets match through the generated `search_vector` column and its GIN
index, and people through trigram indexes on their upper-cased username and
display name. Every query starts from the visibility module's filters, so
private, blocked, suspended and deleted content never comes back.
"""

from __future__ import annotations

import math
from contextlib import suppress
from datetime import timedelta
from functools import reduce
from operator import and_

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Upper
from django.utils import timezone
from rapidfuzz.distance import OSA
from redis.exceptions import RedisError

from accounts.models import User
from config.kernel.api.pagination import PageRequest, keyset_page
from config.kernel.ids import id_at
from config.kernel.routers import read_connection
from config.kernel.sql import planned_each_time
from config.kernel.text import hashtag_key
from search.query import TweetQuery
from social.graph.models import Follow
from social.graph.selectors import with_relations
from social.graph.visibility import tweets_visible_to, users_visible_to, viewer_id_of
from tweets.models import Hashtag, Tweet, TweetHashtag
from tweets.selectors import hydrate, load_cards, tweets_with_authors

CONFIG = "chirp"  # the text-search configuration made by search/migrations/0001
TOP_WINDOW = 200  # Top ranks the newest this many matches, like the home timeline's Top
MAX_OFFSET = 200  # people and hashtag results page by position, this deep at most
DOCUMENT = RawSQL('"tweets_tweet"."search_vector"', (), output_field=SearchVectorField())


# Tweets


def _text_query(terms: tuple[str, ...], kind: str) -> list[SearchQuery]:
    return [SearchQuery(term, config=CONFIG, search_type=kind) for term in terms]


def _full_text(queryset: QuerySet, query: TweetQuery) -> tuple[QuerySet, SearchQuery | None]:
    wanted = _text_query(query.words, "plain") + _text_query(query.phrases, "phrase")
    tsquery = reduce(and_, wanted) if wanted else None
    for term in query.excluded:
        excluded = ~SearchQuery(term, config=CONFIG, search_type="phrase")
        tsquery = excluded if tsquery is None else tsquery & excluded
    if tsquery is not None:
        queryset = queryset.alias(document=DOCUMENT).filter(document=tsquery)
    return queryset, tsquery


def _tagged(tag: str) -> Exists:
    return Exists(TweetHashtag.objects.filter(tweet_id=OuterRef("pk"), hashtag__name=tag))


def tweet_search_queryset(viewer, query: TweetQuery) -> tuple[QuerySet[Tweet], SearchQuery | None]:
    """Posts (not retweets) matching `query` that the viewer may read, unordered."""
    queryset = tweets_with_authors().filter(retweet_of__isnull=True).filter(tweets_visible_to(viewer))
    queryset, tsquery = _full_text(queryset, query)
    for tag in query.tags:
        queryset = queryset.filter(_tagged(tag))
    for tag in query.excluded_tags:
        queryset = queryset.exclude(_tagged(tag))
    if query.authors:
        authors = Q()
        for name in query.authors:
            authors |= Q(username__iexact=name)
        queryset = queryset.filter(author_id__in=User.objects.filter(authors).values("pk"))
    return queryset, tsquery


def top_score(relevance: float, tweet: dict, now) -> float:
    """Relevance, blended with engagement and freshness: a day-old post needs real interest to lead."""
    hours = max((now - tweet["created_at"]).total_seconds() / 3600, 0)
    weight = tweet["like_count"] + 2 * tweet["retweet_count"] + 1.5 * tweet["reply_count"] + 2 * tweet["quote_count"]
    return (1 + 10 * relevance) * (1 + math.log1p(weight)) / (hours + 2) ** 1.2


@planned_each_time()
def search_tweets(viewer, query: TweetQuery, page: PageRequest, sort: str = "latest") -> tuple[list[Tweet], int | None]:
    """Latest: newest first by id (keyset cursor). Top: the newest matches reranked (cursor is a position)."""
    queryset, tsquery = tweet_search_queryset(viewer, query)
    if sort != "top":
        rows, cursor = keyset_page(queryset, page)
        return hydrate(rows, viewer, muted_in="search"), cursor
    relevance = SearchRank(DOCUMENT, tsquery) if tsquery is not None else Value(0.0)
    window = list(
        queryset.annotate(relevance=relevance)
        .order_by("-id")
        .values("id", "relevance", "like_count", "retweet_count", "reply_count", "quote_count", "created_at")[
            :TOP_WINDOW
        ]
    )
    now = timezone.now()
    window.sort(key=lambda row: top_score(row["relevance"] or 0.0, row, now), reverse=True)
    start = min(page.cursor or 0, len(window))
    chunk = [row["id"] for row in window[start : start + page.limit]]
    cursor = start + page.limit if start + page.limit < len(window) else None
    return hydrate(load_cards(chunk), viewer, muted_in="search"), cursor


# People

PEOPLE_WINDOW = 200  # candidates ranked and paged in Python
FUZZY_WINDOW = 50  # of which at most this many come from closeness rather than a prefix
# What result rows and the API's user objects show; the rest of the row stays in the database.
SHOWN_FIELDS = ("id", "username", "name", "bio", "location", "website", "avatar", "header", "is_private",
                "is_active", "date_joined", "followers_count", "following_count")  # fmt: skip
ENOUGH_PREFIXES = 10
# this many prefix matches: the query is being typed, not misspelt


def _people(viewer) -> QuerySet[User]:
    return User.objects.filter(users_visible_to(viewer)).alias(handle=Upper("username"), shown=Upper("name"))


@planned_each_time()
def prefix_matches(viewer, needle: str, limit: int) -> list[User]:
    """People whose username, display name, or a later word of the name starts with `needle`.

    A username prefix beats a display-name prefix, which beats a later word;
    within each, the most followed first. B-tree pattern indexes answer the
    first two as range scans; the trigram index answers the words.
    """
    needle = needle.upper()
    handle, name, word = Q(handle__startswith=needle), Q(shown__startswith=needle), Q(shown__contains=f" {needle}")
    rank = Case(
        When(handle=needle, then=4),
        When(handle, then=3),
        When(name, then=2),
        When(word, then=1),
        default=0,
        output_field=IntegerField(),
    )
    return list(
        _people(viewer)
        .only(*SHOWN_FIELDS)
        .filter(handle | name | word)
        .annotate(is_prefix=rank)
        .order_by("-is_prefix", "-followers_count", "id")[:limit]
    )


def word_threshold(needle: str) -> float:
    """How much of a longer query must match a word: one typo leaves more of a long word intact.

    Six or seven letters keep about half their trigrams through a typo;
    eight or more keep over 0.6, and a looser bar there lets whole families
    of look-alike handles ("user9245", "user9xxx") through the index.
    """
    return settings.SEARCH_WORD_SIMILARITY if len(needle) < 8 else max(settings.SEARCH_WORD_SIMILARITY, 0.6)


@planned_each_time()
def fuzzy_matches(viewer, needle: str, limit: int) -> list[User]:
    """The spellings closest to `needle` by trigrams: "jonh" finds "john".

    Short queries use similarity (at the connection's low threshold, for
    swapped letters); longer ones word similarity, which compares with the
    best-matching word and stays selective when many names look alike.
    """
    needle = needle.upper()
    if len(needle) < 3:
        return []
    threshold = None
    if len(needle) <= 5:
        close = Q(handle__trigram_similar=needle) | Q(shown__trigram_similar=needle)
        closeness = Greatest(TrigramSimilarity(Upper("username"), needle), TrigramSimilarity(Upper("name"), needle))
    else:
        close = Q(handle__trigram_word_similar=needle) | Q(shown__trigram_word_similar=needle)
        closeness = Greatest(
            TrigramWordSimilarity(needle, Upper("username")), TrigramWordSimilarity(needle, Upper("name"))
        )
        threshold = word_threshold(needle)
    rows = (
        _people(viewer)
        .only(*SHOWN_FIELDS)
        .filter(close)
        .annotate(closeness=closeness)
        .order_by("-closeness", "-followers_count", "id")
    )
    connection = read_connection(User)  # the replica in a GET: a transaction there only reads
    with transaction.atomic(using=connection.alias):
        # For this transaction only. The planner prices a trigram comparison
        # like an equality, so it would rather compare every account (40 ms)
        # than ask the index (5 ms); and the stricter bar for long queries is
        # applied by the index itself.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true),"
                " set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(threshold or settings.SEARCH_WORD_SIMILARITY)],
            )
        people = list(rows.using(connection.alias)[:limit])
    for person in people:
        person.is_prefix = 0
    return people


def likeness(needle: str, user: User) -> float:
    """How alike the query is to the username (slightly preferred) or the name or one of its words.

    Trigrams find candidates fast but score "jonh" nearer "jon_snow" than
    "john"; an edit distance that counts a swap of neighbours as one edit
    (optimal string alignment) ranks the typo right.
    """
    needle = needle.casefold()
    name = user.name.casefold()
    targets = [(user.username.casefold(), 0.05), (name, 0.0), *((word, 0.0) for word in name.split())]
    return max(OSA.normalized_similarity(needle, target) + bonus for target, bonus in targets if target)


@planned_each_time()
def ranked_people(viewer, text: str, limit: int = PEOPLE_WINDOW) -> list[User]:
    """Exact handles first, then prefixes (the most followed first), then the likest spellings."""
    needle = text.strip().lstrip("@")
    candidates = prefix_matches(viewer, needle, limit)
    if len(candidates) < ENOUGH_PREFIXES:
        seen = {user.pk for user in candidates}
        fuzzy = fuzzy_matches(viewer, needle, FUZZY_WINDOW)
        candidates += [user for user in fuzzy if user.pk not in seen][: limit - len(candidates)]

    def order(user: User):
        exact = user.username.casefold() == needle.casefold()
        score = 0.0 if user.is_prefix else likeness(needle, user)
        return (not exact, -user.is_prefix, -score, -user.followers_count, user.pk)

    return sorted(candidates, key=order)


def _offset_page(rows, page: PageRequest) -> tuple[list, int | None]:
    start = min(page.cursor or 0, MAX_OFFSET)
    chunk = list(rows[start : start + page.limit + 1])
    more = len(chunk) > page.limit and start + page.limit < MAX_OFFSET
    return chunk[: page.limit], (start + page.limit if more else None)


def search_users(viewer, text: str, page: PageRequest) -> tuple[list[User], int | None]:
    # Rank only as deep as this page needs: prefixes come in order from SQL.
    window = min((page.cursor or 0) + page.limit + 1, PEOPLE_WINDOW)
    rows, cursor = _offset_page(ranked_people(viewer, text, limit=window), page)
    return with_relations(viewer, rows), cursor


@planned_each_time()
def mention_candidates(viewer, prefix: str, limit: int = 6) -> list[User]:
    """For "@jo" in the compose box: the best matches, people the viewer follows first."""
    people = [user for user in ranked_people(viewer, prefix, limit=50) if user.pk != viewer_id_of(viewer)]
    if viewer_id_of(viewer) is not None and people:
        followed = set(
            Follow.objects.filter(follower_id=viewer.pk, followee_id__in=[u.pk for u in people]).values_list(
                "followee_id", flat=True
            )
        )
        people.sort(key=lambda user: user.pk not in followed)  # stable: keeps the ranking within each group
    return people[:limit]


# Hashtags


def _visible_uses(viewer, tag_ids: list[int]) -> dict[int, int]:
    """How many posts the viewer may read carry each tag."""
    rows = (
        TweetHashtag.objects.filter(hashtag_id__in=tag_ids)
        .filter(tweets_visible_to(viewer, prefix="tweet__"))
        .values("hashtag_id")
        .annotate(uses=Count("tweet_id"))
    )
    return {row["hashtag_id"]: row["uses"] for row in rows}


@planned_each_time()
def search_hashtags(viewer, text: str, page: PageRequest, candidates: int = 50) -> tuple[list[dict], int | None]:
    """Tags starting with `text` that the viewer can see used, most used first."""
    key = hashtag_key(text.strip().lstrip("#"))
    if not key:
        return [], None
    tags = list(Hashtag.objects.filter(name__startswith=key).order_by("name").values_list("pk", "name")[:candidates])
    uses = _visible_uses(viewer, [pk for pk, _ in tags])
    ranked = sorted(
        ({"hashtag": name, "tweet_count": uses[pk]} for pk, name in tags if uses.get(pk)),
        key=lambda tag: (-tag["tweet_count"], tag["hashtag"]),
    )
    return _offset_page(ranked, page)


@planned_each_time()
def hashtag_tweet_count(viewer, tag: str) -> int:
    hashtag = Hashtag.objects.filter(name=hashtag_key(tag)).only("pk").first()
    return _visible_uses(viewer, [hashtag.pk]).get(hashtag.pk, 0) if hashtag else 0


@planned_each_time()
def hashtag_timeline(viewer, tag: str, page: PageRequest) -> tuple[list[Tweet], int | None]:
    """The tag's posts the viewer may read, newest first; any spelling of the tag finds them."""
    queryset = tweets_with_authors().filter(hashtags__name=hashtag_key(tag)).filter(tweets_visible_to(viewer))
    rows, cursor = keyset_page(queryset, page)
    return hydrate(rows, viewer, muted_in="search"), cursor


# Explore's popular posts

POPULAR_POSTS_HOURS = 24
POPULAR_POSTS_CANDIDATES = 30  # the viewer's blocks and mutes drop some; the rest fill the list
POPULAR_POSTS_KEY = "explore:popular-posts"
POPULAR_POSTS_SECONDS = 60


def _popular_post_ids(now=None) -> list[int]:
    """The last day's most engaging posts by public, active people (the same for everyone, so cached)."""
    since = id_at((now or timezone.now()) - timedelta(hours=POPULAR_POSTS_HOURS))  # ids are time-ordered
    score = F("like_count") + 2 * F("retweet_count") + 2 * F("quote_count") + F("reply_count")
    return list(
        Tweet.objects.filter(pk__gte=since, retweet_of__isnull=True, author__is_active=True, author__is_private=False)
        .annotate(score=score)
        .filter(score__gt=0)
        .order_by("-score", "-id")
        .values_list("pk", flat=True)[:POPULAR_POSTS_CANDIDATES]
    )


def popular_posts(viewer, limit: int = 5) -> list[Tweet]:
    """Explore's trending posts, as the viewer may see them (blocks, mutes and muted words applied)."""
    try:
        ids = cache.get(POPULAR_POSTS_KEY)
    except RedisError:  # the cache is an optimisation: work it out afresh
        ids = None
    if ids is None:
        ids = _popular_post_ids()
        with suppress(RedisError):
            cache.set(POPULAR_POSTS_KEY, ids, POPULAR_POSTS_SECONDS)
    return hydrate(load_cards(ids), viewer, hide_muted=True, muted_in="home")[:limit]
