"""An account's posts, likes and bookmarks, for its erasure and its data export (connected in config/wiring.py)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch

from accounts.models import User
from config.kernel import media
from config.kernel.tasks import after_commit
from config.kernel.timefmt import iso_z
from social.graph.visibility import RelationSet
from tweets.models import Bookmark, Draft, DraftMedia, Like, Media, Tweet, TweetEdit
from tweets.serializers import tweet_core_json
from tweets.services import recount_tweets

TWEET_BATCH = 500  # posts deleted per transaction


def erase_bookmarks(*, user: User) -> None:
    Bookmark.objects.filter(user=user).delete()


@transaction.atomic
def erase_likes(*, user: User) -> None:
    liked = list(Like.objects.filter(user=user).exclude(tweet__author=user).values_list("tweet_id", flat=True))
    Like.objects.filter(user=user).delete()
    recount_tweets(Tweet.objects.filter(pk__in=set(liked)), ["like_count"])


def erase_posts(*, user: User) -> None:
    """All their posts, a batch per transaction, then their uploads that were never posted."""
    while _erase_batch(user):
        pass
    _erase_uploads(user)


@transaction.atomic
def _erase_batch(user: User) -> bool:
    """Delete a batch of their posts (with their images, likes, retweets by others, history); False when none are left.

    Others' replies and quotes stay and show the post was deleted, as after
    any delete; the posts they answered or shared get their counts back.
    """
    rows = list(
        Tweet.objects.filter(author=user)
        .order_by("id")
        .values("id", "retweet_of_id", "reply_to_id", "quote_of_id")[:TWEET_BATCH]
    )
    if not rows:
        return False
    batch = {row["id"] for row in rows}
    targets = {
        field: {row[key] for row in rows if row[key] and row[key] not in batch}
        for field, key in (
            ("retweet_count", "retweet_of_id"),
            ("reply_count", "reply_to_id"),
            ("quote_count", "quote_of_id"),
        )
    }
    files = list(Media.objects.filter(tweet_id__in=batch))
    # Its hashtag uses left the trend counts when the deletion was asked (search.trends.author_counts_changed).
    Tweet.objects.filter(pk__in=batch).delete()
    for field, tweet_ids in targets.items():
        recount_tweets(Tweet.objects.filter(pk__in=set(tweet_ids)), [field])
    after_commit(media.delete_files, files)
    return True


@transaction.atomic
def _erase_uploads(user: User) -> None:
    uploads = list(Media.objects.filter(owner=user))
    Media.objects.filter(pk__in=[item.pk for item in uploads]).delete()
    after_commit(media.delete_files, uploads)


def export_user(*, user: User, files) -> list[tuple[str, list[dict]]]:
    return [
        ("tweets.json", _tweets(user, files)),
        ("likes.json", _likes(user)),
        ("bookmarks.json", _bookmarks(user)),
        ("drafts.json", _drafts(user, files)),
    ]


def _tweets(user: User, files) -> list[dict]:
    rows = (
        Tweet.objects.filter(author=user)
        .order_by("id")
        .prefetch_related(
            Prefetch("media", queryset=Media.objects.order_by("position")),
            Prefetch("edits", queryset=TweetEdit.objects.order_by("replaced_at")),
        )
    )
    found = []
    for tweet in rows.iterator(chunk_size=500):
        media = [
            {
                "file": files.add(item.file.storage, item.file.name, "tweets", f"{tweet.pk}-{number}"),
                "type": item.kind,
                "altText": item.alt_text,
                "width": item.width,
                "height": item.height,
            }
            for number, item in enumerate(tweet.media.all(), start=1)
            if item.is_ready  # one still processing (or failed) has no file yet
        ]
        found.append(
            {
                **tweet_core_json(tweet),
                # Unlike the API: the shared post by id, each tag once, mentions by username, file names.
                "retweetOfTweetId": str(tweet.retweet_of_id) if tweet.retweet_of_id else None,
                "hashtags": list(dict.fromkeys(e["tag"] for e in tweet.entities if e["type"] == "hashtag")),
                "mentions": [e["username"] for e in tweet.entities if e["type"] == "mention"],
                "media": media,
                "edits": [
                    {"text": e.text, "writtenAt": iso_z(e.written_at), "replacedAt": iso_z(e.replaced_at)}
                    for e in tweet.edits.all()
                ],
            }
        )
    return found


def _drafts(user: User, files) -> list[dict]:
    """Drafts and scheduled posts not yet published, with their images (media/drafts/<draft id>-<n>)."""
    rows = (
        Draft.objects.filter(author=user)
        .exclude(status=Draft.Status.PUBLISHED)
        .order_by("id")
        .prefetch_related(Prefetch("media_links", queryset=DraftMedia.objects.select_related("media")))
    )
    found = []
    for draft in rows:
        media = [
            {"file": files.add(link.media.file.storage, link.media.file.name, "drafts", f"{draft.pk}-{number}"),
             "altText": link.media.alt_text}
            for number, link in enumerate(draft.media_links.all(), start=1)
            if link.media.is_ready
        ]  # fmt: skip
        found.append(
            {
                "id": str(draft.pk),
                "text": draft.text,
                "contentWarning": draft.content_warning or None,
                "sensitive": draft.sensitive,
                "linkCard": draft.link_card,
                "pollChoices": list(draft.poll_choices),
                "replyToId": str(draft.reply_to_id) if draft.reply_to_id else None,
                "quoteOfId": str(draft.quote_of_id) if draft.quote_of_id else None,
                "scheduledAt": iso_z(draft.scheduled_at),
                "status": draft.status,
                "createdAt": iso_z(draft.created_at),
                "media": media,
            }
        )
    return found


def _likes(user: User) -> list[dict]:
    likes = list(Like.objects.filter(user=user).select_related("tweet__author").order_by("id"))
    relations = RelationSet.for_viewer(user, {like.tweet.author_id for like in likes})
    found = []
    for like in likes:
        visible = relations.can_see(like.tweet)
        found.append(
            {
                "tweetId": str(like.tweet_id),
                "likedAt": iso_z(like.created_at),
                "author": like.tweet.author.username if visible else None,
                "text": like.tweet.text if visible else None,
            }
        )
    return found


def _bookmarks(user: User) -> list[dict]:
    """As likes.json: author and text only while the owner may still see the post."""
    saved = list(Bookmark.objects.filter(user=user).select_related("tweet__author").order_by("id"))
    relations = RelationSet.for_viewer(user, {bookmark.tweet.author_id for bookmark in saved})
    found = []
    for bookmark in saved:
        visible = relations.can_see(bookmark.tweet)
        found.append(
            {
                "tweetId": str(bookmark.tweet_id),
                "bookmarkedAt": iso_z(bookmark.created_at),
                "author": bookmark.tweet.author.username if visible else None,
                "text": bookmark.tweet.text if visible else None,
            }
        )
    return found
