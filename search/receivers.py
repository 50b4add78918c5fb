"""What search does when the apps below it announce something (wired in config/wiring.py)."""

from __future__ import annotations

from config.kernel.tasks import enqueue_on_commit
from search import tasks, trends


def tweet_posted(*, tweet, tags, **_) -> None:
    trends.record_on_commit(tweet.author, tags, tweet.created_at)


def tweet_edited(*, tweet, tags_added, tags_removed, **_) -> None:
    trends.record_on_commit(tweet.author, tags_added, tweet.created_at, +1)
    trends.record_on_commit(tweet.author, tags_removed, tweet.created_at, -1)


def tweet_deleted(*, author, tags, created_at, **_) -> None:
    trends.record_on_commit(author, tags, created_at, -1)


def privacy_changed(*, user, **_) -> None:
    enqueue_on_commit(tasks.recount_author, user.pk)  # its hashtags leave (or rejoin) the trends
