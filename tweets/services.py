"""Writes for tweets: post, reply, quote, retweet, like, edit, delete, upload."""

from __future__ import annotations

import itertools
import logging
import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from itertools import batched

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import User
from config.kernel import abuse, ids, text
from config.kernel import media as pipeline
from config.kernel.errors import Conflict, Forbidden, NotFound, ServiceError
from config.kernel.media_tasks import process_after_commit
from config.kernel.sql import counted, insert_instance, insert_once, one_value, select_rows, unique_or_none
from config.kernel.tasks import after_commit
from social.graph.visibility import RelationSet
from tweets import edit_media, edit_poll, hooks, link_cards, media, polls
from tweets.models import Bookmark, Hashtag, Like, Media, Tweet, TweetEdit, TweetHashtag

logger = logging.getLogger(__name__)

GONE = gettext_noop("That post doesn't exist or was deleted.")
_import_sequence = itertools.count(random.randrange(1 << 16))  # noqa: S311 - spreads ids within a millisecond


# --- helpers ----------------------------------------------------------------


def _checked_text(raw: str, *, has_media: bool) -> str:
    body = text.normalise(raw)
    if text.length(body) > text.MAX_LENGTH:
        raise ServiceError(
            _("Posts can be at most %(limit)s characters; this one has %(length)s.")
            % {"limit": text.MAX_LENGTH, "length": text.length(body)},
            field="text",
        )
    if text.is_blank(body):
        if not has_media:
            raise ServiceError(_("Write something or add an image."), field="text")
        body = ""
    return body


CONTENT_WARNING_MAX = 100


def _checked_warning(raw: str) -> str:
    """A content warning as stored: normalised like post text, at most CONTENT_WARNING_MAX characters."""
    warning = text.normalise(raw or "")
    if text.length(warning) > CONTENT_WARNING_MAX:
        raise ServiceError(
            _("A content warning can be at most %(limit)s characters; this one has %(length)s.")
            % {"limit": CONTENT_WARNING_MAX, "length": text.length(warning)},
            field="contentWarning",
        )
    return "" if text.is_blank(warning) else warning


def _entities(body: str) -> tuple[list[dict], list[User], list[str]]:
    """Parse, keep only mentions of real accounts, and return them with the tags."""
    found = text.parse(body)
    wanted = {e["username"].upper() for e in found if e["type"] == "mention"}
    users = {}
    if wanted:
        matches = User.objects.annotate(upper=Upper("username")).filter(upper__in=wanted, is_active=True)
        users = {u.username.upper(): u for u in matches}
    entities, mentioned = [], {}
    for entity in found:
        if entity["type"] == "mention":
            user = users.get(entity["username"].upper())
            if user is None:
                continue  # "@nobody" stays plain text
            entity = {**entity, "username": user.username, "user_id": user.pk}
            mentioned[user.pk] = user
        entities.append(entity)
    return entities, list(mentioned.values()), _tags_of(entities)


def _tags_of(entities: list[dict]) -> list[str]:
    return list(dict.fromkeys(e["tag"] for e in entities if e["type"] == "hashtag"))


def _link_hashtags(tweet: Tweet, tags: Sequence[str], *, new: bool = False) -> None:
    """Links the post to exactly `tags`, making the hashtags that don't exist yet; `new`: it has no links yet.

    Written out (two statements at most, none for a new post without tags): the ORM's
    five queries were a tenth of posting's CPU, mostly spent building them.
    """
    if new and not tags:
        return
    hashtags, links = Hashtag._meta.db_table, TweetHashtag._meta.db_table
    tags = list(tags)
    with connection.cursor() as cursor:
        if tags:
            cursor.execute(
                f"INSERT INTO {hashtags} (name, created_at) SELECT unnest(%s::text[]), now() ON CONFLICT DO NOTHING",
                [tags],
            )
        # A statement of its own, so it sees a tag another post committed while the insert above waited.
        unlink = (
            ""
            if new
            else f"WITH gone AS (DELETE FROM {links} WHERE tweet_id = %s "  # noqa: S608
            f"AND hashtag_id NOT IN (SELECT id FROM {hashtags} WHERE name = ANY(%s))) "
        )
        cursor.execute(
            f"{unlink}INSERT INTO {links} (tweet_id, hashtag_id) "  # noqa: S608 - table names
            f"SELECT %s, id FROM {hashtags} WHERE name = ANY(%s) ON CONFLICT DO NOTHING",
            ([] if new else [tweet.pk, tags]) + [tweet.pk, tags],
        )


def _bump(tweet_id: int, field: str, delta: int) -> int | None:
    """Adds `delta` to one of a tweet's counts (never below 0); the new count, None if the tweet is gone.

    One UPDATE ... RETURNING, so a like or retweet needs no second query to show the new count.
    """
    column = Tweet._meta.get_field(field).column  # one of our count fields, never input
    return one_value(
        f'UPDATE {Tweet._meta.db_table} SET "{column}" = GREATEST("{column}" + %s, 0) '  # noqa: S608
        f'WHERE id = %s RETURNING "{column}"',
        [delta, tweet_id],
    )


def _tweet_with_author(tweet_id) -> Tweet | None:
    found = select_rows(Tweet, "author", id=tweet_id)
    return found[0] if found else None


def _visible_target(tweet_id, viewer, *, field: str) -> Tweet:
    """The tweet acted on (a retweet stands for its original).

    A block between the two people is a 403 that says so; a post the viewer
    may not see, or that is gone, is a 404.
    """
    target = _tweet_with_author(tweet_id)
    if target is not None and target.retweet_of_id:
        target = _tweet_with_author(target.retweet_of_id)  # rare: most actions name the original
    if target is None:
        raise NotFound(_(GONE), field=field)
    relations = RelationSet.for_viewer(viewer, [target.author_id])
    if reason := relations.refusal(target.author):
        raise Forbidden(reason, field=field)
    if not relations.can_see(target):
        raise NotFound(_(GONE), field=field)
    return target


def _schedule_processing(items) -> None:
    for item in items:
        if item.state == Media.State.PROCESSING:
            process_after_commit(item)


# --- posting ------------------------------------------------------------------


def tweet_create(
    *,
    author: User,
    text_input: str = "",
    media_ids: Sequence[int] = (),
    uploads: Sequence[tuple] = (),
    reply_to_id: int | None = None,
    quote_of_id: int | None = None,
    created_at: datetime | None = None,
    content_warning: str = "",
    sensitive: bool = False,
    poll_choices: Sequence[str] = (),
    poll_duration: timedelta | None = None,
    poll_multiple: bool = False,
    link_card: bool = True,
) -> Tweet:
    """Post a tweet, reply or quote, with up to four images or a poll (`poll_choices`, tweets/polls.py;
    `poll_multiple`: a vote may pick several choices).

    The first http(s) link gets a preview card, fetched in a worker after commit
    (tweets/link_cards.py), unless `link_card` is False (the author removed it).

    `content_warning` (at most 100 characters) folds the post behind it;
    `sensitive` blurs its images until the reader asks to see them.

    Images are earlier uploads (`media_ids`) or files sent with the post
    (`uploads`, pairs of file and description). Every check runs before
    anything is written; files written here are removed if the transaction fails.

    A post counts against the posting limit and the flood check
    (config/kernel/abuse.py) once it is valid. A backdated post (`created_at`) is an
    import by our own code (the demo data), not someone posting now: no limits.

    A retry is not a second post: the same author sending the same text (as
    normalised), answering or quoting the same post, with the same earlier
    uploads, within REPEAT_WINDOW, gets the first post back, marked
    `repeated` (the API answers 200 instead of 201), and nothing else happens.
    A client whose post committed but whose answer was lost (a 500, a dropped
    connection) can simply send it again, `Idempotency-Key` or not. Posts
    with files sent along (`uploads`, the page's form) are left out: the page
    guards them with its form token.
    """
    media_ids = list(dict.fromkeys(media_ids))
    if len(media_ids) + len(uploads) > settings.TWEET_MAX_IMAGES:
        raise ServiceError(
            _("A post can have at most %(limit)s images.") % {"limit": settings.TWEET_MAX_IMAGES}, field="mediaIds"
        )
    body = _checked_text(text_input, has_media=bool(media_ids or uploads))
    warning = _checked_warning(content_warning)
    poll = None
    if poll_choices:
        if media_ids or uploads:
            raise ServiceError(_("A post can have images or a poll, not both."), field="poll")
        poll = (*polls.checked_choices(poll_choices, poll_duration), bool(poll_multiple))
    stored: list[Media] = []
    try:
        with transaction.atomic():
            tweet = _create(author, body, media_ids, list(uploads), reply_to_id, quote_of_id, created_at, stored,
                            labels={"content_warning": warning, "sensitive": bool(sensitive)}, poll=poll)  # fmt: skip
            # Not for imports (backdated demo data), nor for a retry, whose first post has its card coming.
            if link_card and created_at is None and not getattr(tweet, "repeated", False):
                link_cards.schedule_attach(tweet)
    except Exception:
        pipeline.delete_files(stored)
        raise
    return tweet


def _create(author, body, media_ids, uploads, reply_to_id, quote_of_id, created_at, stored, labels, poll=None) -> Tweet:
    parent = _visible_target(reply_to_id, author, field="replyToTweetId") if reply_to_id else None
    quoted = _visible_target(quote_of_id, author, field="quoteTweetId") if quote_of_id else None
    if quoted is not None and quoted.author.is_private and quoted.author_id != author.pk:
        raise Forbidden(_("Posts from private accounts can't be quoted."), field="quoteTweetId")
    # Before the media check: a retry names uploads the first post has already taken.
    retry = created_at is None and not uploads and poll is None  # a poll's retry is caught by its form token or key
    first = _repeat_of(author, body, parent, quoted, media_ids) if retry else None
    if first is not None:
        first.repeated = True
        return first
    attached = []
    if media_ids:
        attached = list(
            Media.objects.select_for_update().filter(
                pk__in=media_ids, owner=author, tweet__isnull=True, edited_out_of__isnull=True
            )  # an image edited off a post stays with that post's history
        )
        if len(attached) != len(media_ids):
            raise NotFound(_("Unknown media id: upload the image first, as yourself."), field="mediaIds")
        attached.sort(key=lambda m: media_ids.index(m.pk))
        media.check_attachable(attached)
    if created_at is None:
        abuse.check(abuse.POST, author, text=body)

    entities, mentioned, tags = _entities(body)
    tweet = Tweet(
        author=author,
        text=body,
        entities=entities,
        reply_to=parent,
        quote_of=quoted,
        has_media=bool(attached or uploads),
        **labels,
        has_poll=poll is not None,
    )
    if created_at is not None:
        tweet.created_at = created_at
        tweet.id = ids.id_at(created_at, next(_import_sequence))
    # The id is made when the instance is, so a new thread can point at itself.
    tweet.conversation_id = (parent.conversation_id or parent.pk) if parent else tweet.pk
    insert_instance(tweet)

    for position, upload in enumerate(attached):
        upload.tweet, upload.position = tweet, position
    Media.objects.bulk_update(attached, ["tweet", "position"])
    for index, (upload, alt_text) in enumerate(uploads):
        if created_at is None:
            media.check_upload(author)
        try:
            item = Media(owner=author, tweet=tweet, position=len(attached) + index)
            pipeline.store(item, upload, alt_text=alt_text)
        except ServiceError as error:
            raise ServiceError(
                _("File %(number)s: %(error)s") % {"number": index + 1, "error": error.message},
                field="mediaIds",
                status=error.status,
            ) from None
        stored.append(item)
    if stored:
        media.check_attachable(attached + stored)  # their kinds are known now: one video, or images
    _schedule_processing(attached + stored)
    if poll is not None:
        polls.poll_create(tweet, *poll)

    if mentioned:
        tweet.mentions.set(mentioned)
    _link_hashtags(tweet, tags, new=True)
    if parent is not None:
        _bump(parent.pk, "reply_count", +1)
    if quoted is not None:
        _bump(quoted.pk, "quote_count", +1)
    hooks.posted(tweet=tweet, parent=parent, quoted=quoted, mentioned=mentioned, tags=tags)
    return tweet


REPEAT_WINDOW = timedelta(minutes=2)
_REPEAT_LOCK = 0x5052_0000_0000_0000  # + author id: "one post at a time" for the repeat check


def _repeat_of(author: User, body: str, parent: Tweet | None, quoted: Tweet | None, media_ids) -> Tweet | None:
    """The author's identical post of the last REPEAT_WINDOW, if this is a retry of it.

    Posts by one author are serialised for the rest of the transaction (an
    advisory lock), so a retry sent while the first is still being written
    waits for it and then finds it.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REPEAT_LOCK + author.pk])
    # Written out: the ORM spent more CPU building this query than PostgreSQL running it.
    first_id = one_value(
        f"SELECT id FROM {Tweet._meta.db_table} WHERE author_id = %s AND id >= %s AND retweet_of_id IS NULL "  # noqa: S608
        "AND text = %s AND reply_to_id IS NOT DISTINCT FROM %s AND quote_of_id IS NOT DISTINCT FROM %s "
        "AND has_media = %s AND NOT has_poll ORDER BY id DESC LIMIT 1",
        [
            author.pk,
            ids.id_at(timezone.now() - REPEAT_WINDOW),
            body,
            parent.pk if parent else None,
            quoted.pk if quoted else None,
            bool(media_ids),
        ],
    )
    first = Tweet.objects.get(pk=first_id) if first_id is not None else None  # a retry: rare
    if first is None or not media_ids:
        return first
    same_media = list(Media.objects.filter(tweet=first).order_by("position").values_list("pk", flat=True)) == media_ids
    return first if same_media else None


@transaction.atomic
def media_upload(*, owner: User, upload, alt_text: str = "") -> Media:
    """Keep an image or video for a later POST /tweets (`mediaIds`); processed in a worker, then `ready`."""
    media.check_upload(owner)
    stored = pipeline.store(Media(owner=owner), upload, alt_text=alt_text)
    _schedule_processing([stored])
    return stored


# --- changing and removing --------------------------------------------------------


@transaction.atomic
def tweet_edit(
    *,
    actor: User,
    tweet: Tweet,
    text_input: str,
    content_warning: str | None = None,
    sensitive: bool | None = None,
    media_ids: Sequence[int] | None = None,
    alt_texts: Mapping[int, str] | None = None,
    poll_choices: Sequence[str] | None = None,
    poll_duration: timedelta | None = None,
    poll_multiple: bool = False,
) -> Tweet:
    """Change a post's text; `content_warning` and `sensitive`, when given, too (None keeps them).

    `media_ids`, when given, are the post's images afterwards, in order (tweets/edit_media.py):
    added, removed or reordered, a new version in the history like a new text. `alt_texts`
    (media id: description) describe images that are on the post afterwards. `poll_choices`,
    when given and unlike the poll's choices now, replace the poll: a new one from now for
    `poll_duration`, its votes reset (as Mastodon does); the same choices keep the poll as it is
    (`poll_multiple` says whether the new one takes several choices).
    Any refused value refuses the whole edit: nothing changes.
    """
    tweet = Tweet.objects.select_for_update().get(pk=tweet.pk)
    if tweet.author_id != actor.pk:
        raise Forbidden(_("You can only edit your own posts."))
    if tweet.retweet_of_id:
        raise Forbidden(_("A retweet has no text to edit."))
    if timezone.now() > tweet.created_at + settings.TWEET_EDIT_WINDOW:
        minutes = int(settings.TWEET_EDIT_WINDOW.total_seconds() // 60)
        raise Forbidden(
            ngettext(
                "Posts can only be edited in the first %(minutes)s minute.",
                "Posts can only be edited in the first %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )
    before = list(Media.objects.select_for_update().filter(tweet=tweet).order_by("position"))
    after = before if media_ids is None else edit_media.chosen(actor=actor, tweet=tweet, media_ids=media_ids)
    choices_before = edit_poll.choices_of(tweet) if tweet.has_poll else []
    poll = (*polls.checked_choices(poll_choices, poll_duration), bool(poll_multiple)) if poll_choices else None
    if poll is not None and poll[0] == choices_before:
        poll = None  # the same question: its votes and its end stay
    if after and (poll is not None or tweet.has_poll):
        raise ServiceError(_("A post can have images or a poll, not both."), field="mediaIds")
    if media_ids is None and not tweet.has_media and text.is_blank(text.normalise(text_input)):
        raise Conflict(_("This post has no images, so it needs text."), field="text")  # the post's state, not the input
    body = _checked_text(text_input, has_media=bool(after))
    described = edit_media.checked_alt_texts(alt_texts, after)
    _relabel(tweet, content_warning, sensitive)
    edit_media.describe(after, described)
    media_changed = [m.pk for m in after] != [m.pk for m in before]
    if body == tweet.text and not media_changed and poll is None:
        return tweet
    TweetEdit.objects.create(
        tweet=tweet,
        text=tweet.text,
        entities=tweet.entities,
        media_ids=[m.pk for m in before],
        poll_choices=choices_before,
        written_at=tweet.edited_at or tweet.created_at,
    )
    if poll is not None:
        edit_poll.poll_replace(tweet, *poll)
        tweet.has_poll = True
    if media_changed:
        edit_media.swap(tweet, before, after)
        _schedule_processing([m for m in after if m not in before])
        tweet.has_media = bool(after)
    before_tags, entities_before = _tags_of(tweet.entities), tweet.entities
    entities, mentioned, tags = _entities(body)
    tweet.text, tweet.entities, tweet.edited_at = body, entities, timezone.now()
    tweet.save(update_fields=["text", "entities", "edited_at", "has_media", "has_poll"])
    link_cards.detach_if_changed(tweet, entities_before)  # a new first link: a new card
    tweet.mentions.set(mentioned)
    _link_hashtags(tweet, tags)
    added, removed = [t for t in tags if t not in before_tags], [t for t in before_tags if t not in tags]
    hooks.edited(tweet=tweet, mentioned=mentioned, tags_added=added, tags_removed=removed)
    return tweet


def _relabel(tweet: Tweet, content_warning: str | None, sensitive: bool | None) -> None:
    """Set a post's content warning and sensitive flag (an edit); not kept in the edit history."""
    changes = {}
    if content_warning is not None and (warning := _checked_warning(content_warning)) != tweet.content_warning:
        changes["content_warning"] = warning
    if sensitive is not None and bool(sensitive) != tweet.sensitive:
        changes["sensitive"] = bool(sensitive)
    if changes:
        Tweet.objects.filter(pk=tweet.pk).update(**changes)
        for field, value in changes.items():
            setattr(tweet, field, value)


# --- pinning (one post per profile, kept on the user row) --------------------------


@transaction.atomic
def tweet_pin(*, user: User, tweet_id: int) -> Tweet:
    """Pin one of your own posts to your profile, replacing the pin before it (idempotent).

    Someone else's post is a 403 that changes nothing; a retweet can't be
    pinned (pin the original, if it is yours); a post that is gone is a 404.
    """
    tweet = _tweet_with_author(tweet_id)
    if tweet is None:
        raise NotFound(_(GONE), field="tweetId")
    if tweet.author_id != user.pk:
        raise Forbidden(_("You can only pin your own posts."), field="tweetId")
    if tweet.retweet_of_id:
        raise Forbidden(_("A retweet can't be pinned."), field="tweetId")
    User.objects.filter(pk=user.pk).update(pinned_tweet=tweet)
    user.pinned_tweet_id = tweet.pk
    return tweet


@transaction.atomic
def tweet_unpin(*, user: User, tweet_id: int) -> Tweet:
    """Take this post off your profile's pin (idempotent: a post that isn't pinned stays as it is)."""
    tweet = _tweet_with_author(tweet_id)
    if tweet is None:
        raise NotFound(_(GONE), field="tweetId")
    if tweet.author_id != user.pk:
        raise Forbidden(_("You can only unpin your own posts."), field="tweetId")
    if User.objects.filter(pk=user.pk, pinned_tweet_id=tweet.pk).update(pinned_tweet=None):
        user.pinned_tweet_id = None
    return tweet


@transaction.atomic
def tweet_delete(*, actor: User, tweet: Tweet) -> None:
    """The author removes a post: with it go its likes, retweets, images and history.

    Replies and quotes stay; they show that the post was deleted.
    """
    if tweet.author_id != actor.pk:
        raise Forbidden(_("You can only delete your own posts."))
    if tweet.retweet_of_id:
        retweet_delete(user=actor, tweet=tweet.retweet_of)
        return
    if tweet.reply_to_id:
        _bump(tweet.reply_to_id, "reply_count", -1)
    if tweet.quote_of_id:
        _bump(tweet.quote_of_id, "quote_count", -1)
    files = list(Media.objects.filter(Q(tweet=tweet) | Q(edited_out_of=tweet)))  # with the images edited out
    tweet_id, tags, created_at = tweet.pk, _tags_of(tweet.entities), tweet.created_at
    tweet.delete()
    after_commit(pipeline.delete_files, files)
    # Others' retweets of it went with it; hydration drops those from timelines.
    hooks.deleted(author=actor, entry_ids=[tweet_id], tags=tags, created_at=created_at)


# --- likes and retweets ------------------------------------------------------------


@transaction.atomic
def like_create(*, user: User, tweet_id: int) -> Tweet:
    target = _visible_target(tweet_id, user, field="tweetId")
    if insert_once(Like, user_id=user.pk, tweet_id=target.pk, created_at=timezone.now()):
        abuse.check(abuse.LIKE, user)  # only a new like counts; a refusal takes it back with the transaction
        target.like_count = _bump(target.pk, "like_count", +1)
        hooks.liked(user=user, tweet=target)
    return target


@transaction.atomic
def like_delete(*, user: User, tweet_id: int) -> Tweet:
    target = _visible_target(tweet_id, user, field="tweetId")
    deleted, _rows = Like.objects.filter(user=user, tweet=target).delete()
    if deleted:
        target.like_count = _bump(target.pk, "like_count", -1)
        hooks.unliked(user=user, tweet=target)
    return target


def retweet_create(*, user: User, tweet_id: int) -> tuple[Tweet, Tweet]:
    """Retweet (idempotent). Returns the original and the user's retweet row.

    A new retweet counts as a post against the posting limit, as on Twitter; a repeat costs nothing.
    """
    with transaction.atomic():
        target = _visible_target(tweet_id, user, field="tweetId")
        if target.author.is_private:
            raise Forbidden(_("Posts from private accounts can't be retweeted."))
        existing = unique_or_none(Tweet.objects.filter(author=user, retweet_of=target))
        if existing is not None:
            return target, existing
        abuse.check(abuse.POST, user)
        try:
            with transaction.atomic():
                retweet = Tweet.objects.create(author=user, retweet_of=target)
        except IntegrityError:  # a concurrent double click made it first
            return target, Tweet.objects.get(author=user, retweet_of=target)
        target.retweet_count = _bump(target.pk, "retweet_count", +1)
        hooks.retweeted(user=user, tweet=target, retweet=retweet)
        return target, retweet


@transaction.atomic
def retweet_delete(*, user: User, tweet: Tweet | None = None, tweet_id: int | None = None) -> Tweet:
    target = tweet if tweet is not None else _visible_target(tweet_id, user, field="tweetId")
    if target.retweet_of_id:
        target = target.retweet_of
    rows = list(Tweet.objects.filter(author=user, retweet_of=target).values_list("pk", flat=True))
    if rows:
        Tweet.objects.filter(pk__in=rows).delete()
        target.retweet_count = _bump(target.pk, "retweet_count", -1)
        hooks.unretweeted(user=user, tweet=target, entry_ids=rows)
    return target


def quote_create(*, author: User, tweet_id: int, comment: str) -> Tweet:
    return tweet_create(author=author, text_input=comment, quote_of_id=tweet_id)


# --- bookmarks (private: no counts, no notifications) ----------------------------------


def _bookmark_target(tweet_id, viewer) -> Tweet:
    """The post to save (a retweet stands for its original); 404 for one the viewer may not see, block or not."""
    target = _tweet_with_author(tweet_id)
    if target is not None and target.retweet_of_id:
        target = _tweet_with_author(target.retweet_of_id)
    if target is None or not RelationSet.for_viewer(viewer, [target.author_id]).can_see(target):
        raise NotFound(_(GONE), field="tweetId")
    return target


@transaction.atomic
def bookmark_create(*, user: User, tweet_id: int) -> Tweet:
    """Save a post (idempotent: saving it again changes nothing)."""
    target = _bookmark_target(tweet_id, user)
    insert_once(Bookmark, user_id=user.pk, tweet_id=target.pk, created_at=timezone.now())
    return target


@transaction.atomic
def bookmark_delete(*, user: User, tweet_id: int) -> None:
    """Unsave a post (idempotent). One's own bookmark goes even if its post has since become hidden."""
    found = _tweet_with_author(tweet_id)
    original_id = (found.retweet_of_id or found.pk) if found is not None else tweet_id
    deleted, _rows = Bookmark.objects.filter(user=user, tweet_id=original_id).delete()
    if not deleted:
        _bookmark_target(tweet_id, user)  # nothing to remove: still a 404 for a post one may not see


# --- counts, recounted from the rows (the hourly reconciliation, moderation, erasure) ------------


# Each count, and the rows it counts: only rows by active accounts, so a
# suspended account's likes and retweets leave the numbers while suspended.
COUNTED = {
    "like_count": ("tweets.Like", "tweet", "user"),
    "retweet_count": ("tweets.Tweet", "retweet_of", "author"),
    "reply_count": ("tweets.Tweet", "reply_to", "author"),
    "quote_count": ("tweets.Tweet", "quote_of", "author"),
}


def recount_tweets(tweets, fields=None) -> int:
    """Set the counts of the `tweets` queryset from the rows; returns how many had drifted."""
    fixed = 0
    for field in fields or COUNTED:
        model_label, key, by = COUNTED[field]
        actual = counted(apps.get_model(model_label), key, by)
        drifted = list(tweets.annotate(actual=actual).exclude(**{field: F("actual")}).values_list("pk", flat=True))
        for chunk in batched(drifted, 1000):
            fixed += Tweet.objects.filter(pk__in=chunk).update(**{field: actual})
        if drifted:
            logger.info("recounted %s of %d tweets", field, len(drifted))
    return fixed
