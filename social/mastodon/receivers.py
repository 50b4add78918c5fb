"""Mastodon's public streams: a public post, an edit or a deletion told to every Mastodon streaming connection.

Chirp's own live events go to each person's group (followers with a page open); Mastodon's
`public` and `hashtag` streams are for anyone, so public accounts' posts are also announced,
by a task off the request path, to one group, `mastodon.public`, that only Mastodon streaming
connections join. Each connection renders what it receives for its own person, through the
visibility module (social/mastodon/streaming.py). A change to someone's muted words is told to
their own group, also by a task, as `filters_changed`.
"""

from __future__ import annotations

from config.kernel.tasks import enqueue_on_commit
from social.mastodon.tasks import announce_filters_changed, announce_public

PUBLIC_GROUP = "mastodon.public"


def _announce(message: dict) -> None:
    # A live hint, like Chirp's own: lost if the broker is away, never holding up the write.
    enqueue_on_commit(announce_public, PUBLIC_GROUP, message)


def tweet_posted(*, tweet, tags, **_) -> None:
    if tweet.author.is_private or tweet.retweet_of_id is not None:
        return  # followers-only posts reach streams through the person's own group; boosts aren't public posts
    message = {"type": "mastodon.public", "entryId": str(tweet.pk), "tags": sorted({str(t).lower() for t in tags})}
    _announce(message)


def tweet_edited(*, tweet, **_) -> None:
    if not tweet.author.is_private:
        _announce({"type": "mastodon.edit", "entryId": str(tweet.pk)})


def tweet_deleted(*, entry_ids, **_) -> None:
    # Only ids of posts that no longer exist: nothing readable, so every connection may hear them.
    _announce({"type": "mastodon.delete", "entryIds": [str(i) for i in entry_ids]})


def muted_words_changed(*, user, **_) -> None:
    # A task, not the request: the presence check and the send both touch Redis.
    enqueue_on_commit(announce_filters_changed, user.pk)
