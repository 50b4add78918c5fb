"""What timelines does when the apps below it announce something (wired in config/wiring.py).

Removals and graph changes become outbox rows in the announcing transaction, applied by a
task after commit or by the catch-up if that task is lost (timelines.models).
"""

from __future__ import annotations

from config.kernel.tasks import after_commit, enqueue_on_commit
from timelines import services, tasks


def entry_posted(*, tweet, **_) -> None:
    enqueue_on_commit(tasks.fan_out_entry, tweet.pk)


def retweeted(*, retweet, **_) -> None:
    enqueue_on_commit(tasks.fan_out_entry, retweet.pk)


def entries_removed(*, author_id: int, entry_ids: list[int]) -> None:
    enqueue_on_commit(tasks.apply_changes, services.changes_for_removal(author_id, entry_ids))


def tweet_deleted(*, author, entry_ids, **_) -> None:
    entries_removed(author_id=author.pk, entry_ids=entry_ids)


def unretweeted(*, user, entry_ids, **_) -> None:
    entries_removed(author_id=user.pk, entry_ids=entry_ids)


def graph_changed(*, pairs) -> None:
    changes = services.changes_for_sync(pairs)
    for reader_id, _ in pairs:
        after_commit(services.forget_celebrities, reader_id)  # the reader's next page, at once
    enqueue_on_commit(tasks.apply_changes, changes)
