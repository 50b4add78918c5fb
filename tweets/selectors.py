"""Reads for tweets. Lists load a page of plain rows; `hydrate` adds what cards show.

Hydration runs a fixed handful of simple queries whatever the page size: the
tweets a page refers to (originals of retweets, quoted and parent posts, in
two rounds), their authors, the viewer's relations with those authors, the
viewer's likes and retweets, and media when any post has some. Simple
queries beat one wide self-join here: PostgreSQL plans a six-way join of the
tweet table in longer than it runs it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from config.kernel.api.pagination import PageRequest, keyset_page
from config.kernel.routers import read_connection
from config.kernel.sql import RowShape, any_of, select_rows
from social.graph.muted_words import matcher
from social.graph.visibility import RelationSet, readable_authors, tweets_visible_to, viewer_id_of
from tweets import hooks, link_cards
from tweets.card_flags import CardFlag
from tweets.models import Bookmark, Like, Media, Tweet
from tweets.polls import polls_for

PROFILE_TABS = ("tweets", "replies", "media", "likes")

# The author columns a card or the API shows; the rest of the row stays in the database.
# In the model's own order, as Model.from_db expects them.
AUTHOR_FIELDS = tuple(
    f.attname
    for f in User._meta.concrete_fields
    if f.attname in {"id", "username", "name", "avatar", "is_private", "is_active", "pinned_tweet_id"}
)
REFERENCES = ("retweet_of", "quote_of", "reply_to")
TWEET_COLUMNS = ", ".join(f.column for f in Tweet._meta.concrete_fields)
_TWEET_ROW = RowShape(Tweet, Tweet._meta.concrete_fields, [f.attname for f in Tweet._meta.concrete_fields])
_AUTHOR_ROW = RowShape(User, [User._meta.get_field(name) for name in AUTHOR_FIELDS], AUTHOR_FIELDS)


def tweets_with_authors() -> QuerySet[Tweet]:
    """The base queryset for tweet lists; `hydrate` attaches authors and references."""
    return Tweet.objects.all()


_FIELDS = {name: Tweet._meta.get_field(name) for name in ("author", *REFERENCES)}


def _cache(tweet: Tweet, field: str, value) -> None:
    # Fill the relation's cache without touching `<field>_id`: a deleted
    # parent keeps its id (so the card can say it was deleted) and caches None.
    _FIELDS[field].set_cached_value(tweet, value)


# The model's columns by name, never `*`: PostgreSQL's generated search_vector
# would otherwise travel with every card (and cost a third of the read).
CARDS_SQL = """
WITH page AS (SELECT {columns} FROM {table} WHERE {in_page}),
originals AS (SELECT {columns} FROM {table} WHERE id IN (SELECT retweet_of_id FROM page)),
wanted AS (
    SELECT retweet_of_id AS id FROM page UNION SELECT quote_of_id FROM page UNION SELECT reply_to_id FROM page
    UNION SELECT quote_of_id FROM originals UNION SELECT reply_to_id FROM originals
),
cards AS (
    SELECT * FROM page
    UNION ALL
    SELECT {columns} FROM {table} WHERE id IN (SELECT id FROM wanted) AND NOT ({in_page})
)
SELECT cards.*, {author_columns} FROM cards JOIN {authors} author ON author.id = cards.author_id
"""
# PostgreSQL would hash-join the whole user table; an array of the ids makes it look them up.
AUTHORS_SQL = "(SELECT {columns} FROM {users} WHERE id = ANY(ARRAY(SELECT author_id FROM cards)))"


def load_cards(ids: list[int]) -> list[Tweet]:
    """The tweets for `ids` in that order, with everything their cards refer to, in two queries.

    One query brings the page and what it points at (originals of retweets,
    quoted and parent posts, and theirs for retweeted posts); one more brings
    the authors. For the home timeline, the hottest read of all.
    """
    if not ids:
        return []
    in_page, params = any_of("id", ids)
    sql = CARDS_SQL.format(
        table=Tweet._meta.db_table,
        columns=TWEET_COLUMNS,
        in_page=in_page,
        authors=AUTHORS_SQL.format(users=User._meta.db_table, columns=", ".join(AUTHOR_FIELDS)),
        author_columns=", ".join(f"author.{f} AS author_{f}" for f in AUTHOR_FIELDS),
    )
    connection = read_connection(Tweet)  # the replica in a GET (config/kernel/routers.py)
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        found = cursor.fetchall()
    # Instances built straight from the rows: a RawQuerySet's column mapping cost as much as the query.
    rows, authors, width = [], {}, len(_TWEET_ROW.fields)
    for row in found:
        tweet = _TWEET_ROW.build(row[:width], connection)
        author = authors.get(tweet.author_id)
        if author is None:
            author = authors[tweet.author_id] = _AUTHOR_ROW.build(row[width:], connection)
        _cache(tweet, "author", author)
        rows.append(tweet)
    known = {t.pk: t for t in rows}
    _link(known)
    page = [known[i] for i in ids if i in known]
    for tweet in page:
        tweet.references_loaded = True
    return page


def attach_references(tweets: list[Tweet]) -> dict[int, Tweet]:
    """Load what these tweets point at (two levels) and every author involved.

    Each round asks only for what isn't loaded yet, so tweets from `load_cards`
    cost nothing more here.
    """
    known: dict[int, Tweet] = {t.pk: t for t in tweets}
    if all(getattr(t, "references_loaded", False) for t in tweets):
        return known  # load_cards brought everything already
    for tweet in tweets:
        for field in REFERENCES:
            if getattr(tweet, f"{field}_id") is not None and _FIELDS[field].is_cached(tweet):
                related = getattr(tweet, field)
                if related is not None:
                    known[related.pk] = related
    level = list(known.values())
    for _ in range(2):
        wanted = {getattr(t, f"{f}_id") for t in level for f in REFERENCES} - {None} - known.keys()
        if not wanted:
            break
        fresh = list(Tweet.objects.filter(pk__in=wanted))
        known.update((t.pk, t) for t in fresh)
        level = fresh + [known[t.retweet_of_id] for t in level if t.retweet_of_id in known]
    _link(known)
    return known


def _link(known: dict[int, Tweet]) -> None:
    """Cache authors and references on every loaded tweet (one query, for the authors)."""
    missing = {t.author_id for t in known.values() if not _FIELDS["author"].is_cached(t)}
    authors = User.objects.only(*AUTHOR_FIELDS).in_bulk(missing) if missing else {}
    for tweet in known.values():
        if tweet.author_id in authors:
            _cache(tweet, "author", authors[tweet.author_id])
        for field in REFERENCES:
            target_id = getattr(tweet, f"{field}_id")
            if target_id is not None:
                _cache(tweet, field, known.get(target_id))


def _related(tweet: Tweet, field: str) -> Tweet | None:
    """A loaded relation, or None when it was deleted (never a query)."""
    return getattr(tweet, field) if getattr(tweet, f"{field}_id") else None


def _bookmarked_flag(viewer_id: int | None, tweet_ids) -> CardFlag:
    """Cards' `viewer_bookmarked`, riding in the query of the viewer's likes like the apps' flags."""
    if viewer_id is None or not tweet_ids:
        return CardFlag("bm", "viewer_bookmarked", _own_id)
    condition, params = any_of("tweet_id", tweet_ids)
    sql = f"SELECT 'bm', tweet_id FROM {Bookmark._meta.db_table} WHERE user_id = %s AND {condition}"  # noqa: S608
    return CardFlag("bm", "viewer_bookmarked", _own_id, sql, [viewer_id, *params])


def _own_id(tweet: Tweet) -> int:
    return tweet.pk


def _self_thread_flag(tweet_ids) -> CardFlag:
    """Cards' `has_self_reply`: the author replied to this post (the start of a thread), so a list
    offers "Show this thread". Rides in the query of the viewer's likes; the replies index answers it."""
    if not tweet_ids:
        return CardFlag("st", "has_self_reply", _own_id)
    condition, params = any_of("p.id", tweet_ids)
    table = Tweet._meta.db_table
    # LATERAL ... LIMIT 1, not EXISTS: PostgreSQL may turn an EXISTS into a hashed scan of the whole
    # replies index; this looks up each card's replies by its own id (tests/tweets/test_indexes.py).
    sql = (
        f"SELECT 'st', p.id FROM {table} p CROSS JOIN LATERAL "  # noqa: S608
        f"(SELECT 1 FROM {table} r WHERE r.reply_to_id = p.id AND r.author_id = p.author_id LIMIT 1) mine "
        f"WHERE {condition}"
    )
    return CardFlag("st", "has_self_reply", _own_id, sql, params)


def _viewer_facts(viewer, author_ids, tweet_ids, flags=()) -> tuple[RelationSet, set[int], set[int], dict]:
    """In one round trip: the viewer's relations with the authors, likes and retweets of the tweets,
    and the rows of the apps' card flags (`hooks.card_flags`), as {label: keys}."""
    relations = RelationSet(viewer_id=viewer_id_of(viewer))
    sql, params = relations.query(author_ids)
    if relations.viewer_id is not None and tweet_ids:
        liked, liked_params = any_of("tweet_id", tweet_ids)
        retweeted, retweeted_params = any_of("retweet_of_id", tweet_ids)
        mine = (
            f"SELECT 'like', tweet_id FROM {Like._meta.db_table} WHERE user_id = %s AND {liked} "  # noqa: S608
            f"UNION ALL SELECT 'rt', retweet_of_id FROM {Tweet._meta.db_table} WHERE author_id = %s AND {retweeted}"
        )
        sql = f"{sql} UNION ALL {mine}" if sql else mine
        params += [relations.viewer_id, *liked_params, relations.viewer_id, *retweeted_params]
    for flag in flags:
        if flag.sql:
            sql = f"{sql} UNION ALL {flag.sql}" if sql else flag.sql
            params += flag.params
    likes, retweets, flagged = set(), set(), {flag.label: set() for flag in flags}
    if sql:
        with read_connection(Like).cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        relations.take(rows)
        for label, tweet_id in rows:
            if label == "like":
                likes.add(tweet_id)
            elif label == "rt":
                retweets.add(tweet_id)
            elif label in flagged:
                flagged[label].add(tweet_id)
    return relations, likes, retweets, flagged


def hydrate(tweets: list[Tweet], viewer, *, hide_muted: bool = False, muted_in: str | None = None) -> list[Tweet]:
    """Attach everything a card or the API shows, and drop what the viewer may not see.

    Sets on each tweet:
    `original` (what a retweet points at, else itself), `quoted` (None when
    deleted or hidden) with `quote_state` ("deleted", "unavailable",
    "nested"), `parent_author`, `media_list`, `poll_view`, `preview_card`, `viewer_liked`,
    `viewer_retweeted`, `viewer_bookmarked`, `pinned` (the author's pinned post), and the apps'
    card flags (`hooks.card_flags`). `hide_muted` also drops posts and
    retweets by, or of, muted people (home timeline only). `muted_in` ("home",
    "notifications", "search") also drops posts the viewer's muted words hide
    there (retweets and quotes of them too), except the viewer's own.
    """
    attach_references(tweets)
    originals = {t.pk: (_related(t, "retweet_of") if t.retweet_of_id else t) for t in tweets}
    everyone = {t.author_id for t in tweets}
    for original in originals.values():
        if original is None:
            continue
        everyone.add(original.author_id)
        for field in ("quote_of", "reply_to"):
            related = _related(original, field)
            if related is not None:
                everyone.add(related.author_id)
    # Everything a card could show, so one query answers for all of it before anything is dropped.
    candidates: dict[int, Tweet] = {}
    for original in originals.values():
        if original is not None:
            candidates[original.pk] = original
            quoted = _related(original, "quote_of")
            if quoted is not None:
                candidates[quoted.pk] = quoted
    viewer_id = viewer_id_of(viewer)
    flags = [_bookmarked_flag(viewer_id, sorted(candidates)), _self_thread_flag(sorted(candidates))]
    flags += [f for f in hooks.card_flags(viewer_id=viewer_id, tweets=list(candidates.values())) if f]
    relations, liked, retweeted, flagged = _viewer_facts(viewer, everyone, sorted(candidates), flags)
    words = matcher(viewer, muted_in) if muted_in else None

    def shown(tweet: Tweet) -> bool:
        original = originals[tweet.pk]
        if not relations.can_see(tweet) or not relations.can_see(original):
            return False
        if words and tweet.author_id != relations.viewer_id and words.hides(tweet):
            return False
        return not (hide_muted and (relations.is_muted(tweet.author) or relations.is_muted(original.author)))

    tweets = [t for t in tweets if shown(t)]
    cards: dict[int, Tweet] = {}
    for tweet in tweets:
        original = originals[tweet.pk]
        cards[original.pk] = original
        quoted = _related(original, "quote_of")
        if quoted is not None and relations.can_see(quoted):
            cards[quoted.pk] = quoted

    media_by_tweet: dict[int, list[Media]] = {}
    with_media = [pk for pk, card in cards.items() if card.has_media]
    if with_media:
        for item in Media.objects.filter(tweet_id__in=with_media).order_by("tweet_id", "position"):
            media_by_tweet.setdefault(item.tweet_id, []).append(item)
    # Polls, their choices and the viewer's votes: one query for the page, none when it has no poll.
    with_poll = {pk: card.author_id for pk, card in cards.items() if card.has_poll}
    poll_views = polls_for(list(with_poll), relations.viewer_id, with_poll) if with_poll else {}
    # Link preview cards: one query for the page, none when no post has one.
    preview_cards = link_cards.cards_by_id({card.link_card_id for card in cards.values() if card.link_card_id})

    def dress(tweet: Tweet, depth: int) -> None:
        tweet.media_list = media_by_tweet.get(tweet.pk, [])
        tweet.poll_view = poll_views.get(tweet.pk)
        tweet.preview_card = preview_cards.get(tweet.link_card_id)
        tweet.viewer_liked = tweet.pk in liked
        tweet.viewer_retweeted = tweet.pk in retweeted
        for flag in flags:
            setattr(tweet, flag.attribute, flag.key(tweet) in flagged.get(flag.label, ()))
        # From the author row already loaded (never a query: a deferred field reads as not pinned).
        tweet.pinned = tweet.author.__dict__.get("pinned_tweet_id") == tweet.pk
        parent = _related(tweet, "reply_to") if depth == 0 else None
        tweet.parent_author = parent.author if parent is not None and relations.can_see(parent) else None
        # A reply to one's own post is a thread's next part: no "Replying to @themselves" on it.
        tweet.self_reply = parent is not None and parent.author_id == tweet.author_id
        if tweet.self_reply:
            tweet.parent_author = None
        tweet.in_self_thread = tweet.self_reply or tweet.has_self_reply
        tweet.quoted, tweet.quote_state = None, None
        if tweet.quote_of_id:
            target = _related(tweet, "quote_of") if depth == 0 else None
            if depth > 0:
                tweet.quote_state = "nested"
            elif target is None:
                tweet.quote_state = "deleted"
            elif not relations.can_see(target):
                tweet.quote_state = "unavailable"
            else:
                tweet.quoted = target
                dress(target, depth + 1)

    for tweet in tweets:
        tweet.original = originals[tweet.pk]
        dress(tweet.original, 0)
    return tweets


def tweet_for_viewer(tweet_id: int, viewer, *, hide_muted: bool = False) -> Tweet | None:
    """One post as `viewer` may see it, or None; `hide_muted`: None too if it is by someone they muted."""
    # The SQL written once, the author in it: this runs after every post and action.
    found = select_rows(Tweet, "author", id=tweet_id)
    if not found:
        return None
    hydrated = hydrate(found, viewer, hide_muted=hide_muted)
    return hydrated[0] if hydrated else None


def as_posted(tweet: Tweet, author) -> Tweet | None:
    """A post `author` has just written, as they see it, hydrated from the instance `tweet_create` made
    rather than read back (a query and its row on every post). What it answers or quotes is read afresh:
    its counts have just moved. A retry's first post (`repeated`) is read back as any other, and so is a
    post with a link: its preview card may be attached by now (a worker that runs tasks in place does it
    at commit)."""
    if getattr(tweet, "repeated", False) or link_cards.first_link(tweet.entities) is not None:
        return tweet_for_viewer(tweet.pk, author)
    for field in REFERENCES:
        if _FIELDS[field].is_cached(tweet):
            _FIELDS[field].delete_cached_value(tweet)
    hydrated = hydrate([tweet], author)
    return hydrated[0] if hydrated else None


def _page(queryset, viewer, page: PageRequest, key: str = "id"):
    rows, next_cursor = keyset_page(queryset, page, key)
    return hydrate(rows, viewer), next_cursor


def profile_timeline(
    owner: User, viewer, tab: str, page: PageRequest, *, with_pinned: bool = False
) -> tuple[list[Tweet], int | None]:
    """A profile tab; empty when the viewer may not see the owner's posts.

    `with_pinned` (the profile page's Posts tab): the owner's pinned post comes
    first on the first page, marked `pinned_slot`, and is left out of the
    dated list below on every page, so it never shows twice.
    """
    if not RelationSet.for_viewer(viewer, [owner.pk]).can_see_author(owner):
        return [], None
    if tab == "likes":
        rows, next_cursor = keyset_page(like_rows(owner, viewer), page)
        return hydrate([like.tweet for like in rows], viewer), next_cursor
    tweets = tweets_with_authors().filter(author=owner)
    if tab == "replies":
        tweets = tweets.filter(reply_to__isnull=False)
    elif tab == "media":
        tweets = tweets.filter(has_media=True)
    else:
        tweets = tweets.filter(reply_to__isnull=True)
    pinned_id = owner.pinned_tweet_id if with_pinned and tab == "tweets" else None
    if pinned_id is not None:
        tweets = tweets.exclude(pk=pinned_id)
    rows, next_cursor = keyset_page(tweets, page)
    pinned = []
    if pinned_id is not None and page.cursor is None:
        # Loaded with the owner when the page asked for it (accounts.selectors.user_by_username), else one query.
        cached = User._meta.get_field("pinned_tweet").is_cached(owner)
        pinned = [owner.pinned_tweet] if cached else select_rows(Tweet, id=pinned_id)
        pinned = [t for t in pinned if t is not None]
    shown = hydrate(pinned + rows, viewer)  # one hydration for both: no queries of its own for the pin
    if pinned and shown and shown[0].pk == pinned_id:
        shown[0].pinned_slot = True
    return shown, next_cursor


def pinned_tweet(owner: User, viewer) -> Tweet | None:
    """The owner's pinned post as `viewer` may see it (None when there is none, or it is hidden from them)."""
    if owner.pinned_tweet_id is None:
        return None
    return tweet_for_viewer(owner.pinned_tweet_id, viewer)


def replies(
    tweet: Tweet, viewer, page: PageRequest, *, exclude: tuple[int, ...] = ()
) -> tuple[list[Tweet], int | None]:
    """Direct replies, oldest first, as a conversation reads (less `exclude`: the thread's own next part)."""
    queryset = tweets_with_authors().filter(reply_to=tweet).filter(tweets_visible_to(viewer))
    if exclude:
        queryset = queryset.exclude(pk__in=exclude)
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
    with read_connection(Tweet).cursor() as cursor:
        cursor.execute(ANCESTORS_SQL, [tweet.pk, max_depth])
        chain = cursor.fetchall()
    top_missing = not chain or (chain[0][1] is not None and len(chain) < max_depth)
    by_id = {t.pk: t for t in tweets_with_authors().filter(pk__in=[row[0] for row in chain])}
    found = hydrate([by_id[row[0]] for row in chain if row[0] in by_id], viewer)
    return found, top_missing


# The rest of a self-thread below a post: each step is the author's first reply to the step before.
CONTINUATION_SQL = """
WITH RECURSIVE chain(id, author_id, depth) AS (
    SELECT id, author_id, 0 FROM tweets_tweet WHERE id = %s
    UNION ALL
    SELECT step.id, step.author_id, c.depth + 1
    FROM chain c CROSS JOIN LATERAL (
        SELECT t.id, t.author_id FROM tweets_tweet t
        WHERE t.reply_to_id = c.id AND t.author_id = c.author_id ORDER BY t.id LIMIT 1
    ) step
    WHERE c.depth < %s
)
SELECT id FROM chain WHERE depth > 0 ORDER BY depth
"""


def thread_continuation(tweet: Tweet, viewer, max_depth: int = 40) -> list[Tweet]:
    """The author's own replies that carry a thread on below `tweet`, in order (each one's first self-reply)."""
    with read_connection(Tweet).cursor() as cursor:
        cursor.execute(CONTINUATION_SQL, [tweet.pk, max_depth])
        chain = [row[0] for row in cursor.fetchall()]
    if not chain:
        return []
    by_id = {t.pk: t for t in tweets_with_authors().filter(pk__in=chain)}
    found = hydrate([by_id[pk] for pk in chain if pk in by_id], viewer)
    # A part the viewer may not see ends the thread there: what follows would read as out of context.
    shown, expected = [], iter(chain)
    for part in found:
        if part.pk != next(expected):
            break
        shown.append(part)
    return shown


def like_rows(owner: User, viewer):
    """`owner`'s likes of posts the viewer may see, with the post; a like's id is its paging key.
    (Who may see `owner`'s likes at all is the caller's check: profile_timeline's.)"""
    return Like.objects.filter(user=owner).filter(tweets_visible_to(viewer, prefix="tweet__")).select_related("tweet")


def liker_rows(tweet: Tweet, viewer):
    """The likes of `tweet` the viewer may see, with their `user`; a like's id is its paging key."""
    # A private account's likes are its followers' business: it shows here only to them.
    return Like.objects.filter(tweet=tweet).filter(readable_authors(viewer, prefix="user__")).select_related("user")


def retweet_rows(tweet: Tweet, viewer):
    """The retweets of `tweet` the viewer may see, with their `author`; the retweet's id is its paging key."""
    return tweets_with_authors().filter(retweet_of=tweet).filter(tweets_visible_to(viewer))


def likers(tweet: Tweet, viewer, page: PageRequest) -> tuple[list[User], int | None]:
    rows, next_cursor = keyset_page(liker_rows(tweet, viewer), page)
    return [like.user for like in rows], next_cursor


def retweeters(tweet: Tweet, viewer, page: PageRequest) -> tuple[list[User], int | None]:
    rows, next_cursor = keyset_page(retweet_rows(tweet, viewer), page)
    return [row.author for row in rows], next_cursor


def quotes(tweet: Tweet, viewer, page: PageRequest) -> tuple[list[Tweet], int | None]:
    """The visible posts quoting `tweet`, newest first (index tweet_quotes)."""
    return _page(tweets_with_authors().filter(quote_of=tweet).filter(tweets_visible_to(viewer)), viewer, page)


def bookmarks(owner: User, page: PageRequest) -> tuple[list[Tweet], int | None]:
    """The owner's saved posts, newest bookmark first; the cursor is the bookmark's id (index bookmark_user).

    A saved post the owner may no longer see (now private, blocked, suspended) drops out here, and
    comes back if that changes; a deleted post takes its bookmarks with it.
    """
    rows, next_cursor = keyset_page(bookmark_rows(owner), page)
    return hydrate([row.tweet for row in rows], owner), next_cursor


def bookmark_rows(owner: User):
    """The owner's bookmarks of posts they may still see, with the post; a bookmark's id is its paging key."""
    saved = Bookmark.objects.filter(user=owner).filter(tweets_visible_to(owner, prefix="tweet__"))
    return saved.select_related("tweet")


def edit_history(tweet: Tweet) -> list:
    return list(tweet.edits.all())


def media_by_id(media_ids) -> dict:
    """The images an edit history names (on the post, or edited off it), by id, in one query."""
    return {m.pk: m for m in Media.objects.filter(pk__in=set(media_ids))} if media_ids else {}


def entry_for_muted_words(entry_id: int) -> Tweet | None:
    """A timeline entry with what muted words read (its text, the retweeted post, the quoted posts)."""
    return Tweet.objects.select_related("retweet_of__quote_of", "quote_of").filter(pk=entry_id).first()
