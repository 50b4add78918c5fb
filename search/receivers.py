"""What search does when the apps below it announce something (wired in config/wiring.py)."""

from __future__ import annotations

from search import trends


def tweet_posted(*, tweet, tags, **_) -> None:
    trends.record_on_commit(tweet.author, tags, tweet.created_at)


def tweet_edited(*, tweet, tags_added, tags_removed, **_) -> None:
    trends.record_on_commit(tweet.author, tags_added, tweet.created_at, +1)
    trends.record_on_commit(tweet.author, tags_removed, tweet.created_at, -1)


def tweet_deleted(*, author, tags, created_at, **_) -> None:
    trends.record_on_commit(author, tags, created_at, -1)
