"""Mastodon's public streams: a public post, an edit or a deletion told to every Mastodon streaming connection.

Chirp's own live events go to each person's group (followers with a page open); Mastodon's
`public` and `hashtag` streams are for anyone, so public accounts' posts are also announced,
off the request path, to one group, `mastodon.public`, that only Mastodon streaming connections
join: a new post by its fan-out's worker once it is in timelines, an edit or a deletion by a
task. Each connection renders what it receives for its own person, through the visibility
module (social/mastodon/streaming.py). A change to someone's muted words is told to their own
group, also by a task, as `filters_changed`.
"""

from __future__ import annotations

from config.kernel.sql import unique_or_none
from config.kernel.tasks import enqueue_on_commit, guarded
from notifications.events import send_to_group_on_commit
from social.mastodon.tasks import announce_filters_changed, announce_public
from tweets.models import Tweet

PUBLIC_GROUP = "mastodon.public"


def _announce(message: dict) -> None:
    # A live hint, like Chirp's own: lost if the broker is away, never holding up the write.
    enqueue_on_commit(announce_public, PUBLIC_GROUP, message)


def entry_delivered(*, entry_id, **_) -> None:
    """A public post, told once its fan-out has put it in its followers' timelines.

    In the fan-out's worker, not by a task of its own: queueing that task was a tenth
    of posting's CPU (docs/PERFORMANCE.md, "Timestamps, the reader's row, routes, and posting's task").
    """
    entities = unique_or_none(
        Tweet.objects.filter(pk=entry_id, retweet_of__isnull=True, author__is_private=False).values_list(
            "entities", flat=True
        )
    )
    if entities is None:
        return  # followers-only posts reach streams through the person's own group; boosts aren't public posts
    tags = sorted({entity["tag"] for entity in entities if entity["type"] == "hashtag"})
    # A live hint: a failure is logged, and the fan-out it follows stays done.
    guarded(send_to_group_on_commit, PUBLIC_GROUP, {"type": "mastodon.public", "entryId": str(entry_id), "tags": tags})


def tweet_edited(*, tweet, **_) -> None:
    if not tweet.author.is_private:
        _announce({"type": "mastodon.edit", "entryId": str(tweet.pk)})


def tweet_deleted(*, entry_ids, **_) -> None:
    # Only ids of posts that no longer exist: nothing readable, so every connection may hear them.
    _announce({"type": "mastodon.delete", "entryIds": [str(i) for i in entry_ids]})


def muted_words_changed(*, user, **_) -> None:
    # A task, not the request: the presence check and the send both touch Redis.
    enqueue_on_commit(announce_filters_changed, user.pk)
