"""Every place a lower app's hook runs a higher app's code, in the order it runs.

Read this file to see what else happens when something happens. The hooks are
declared next to the code that calls them (`<app>/hooks.py`), the receivers live in
`<app>/receivers.py`; config/kernel/hooks.py says why this isn't signals.
"""

from __future__ import annotations

from accounts import hooks as accounts
from notifications import receivers as notifications
from search import receivers as search
from social.graph import hooks as graph
from social.graph import receivers as graph_receivers
from social.messages import hooks as messages
from timelines import receivers as timelines
from tweets import hooks as tweets


def connect() -> None:
    accounts.credentials_changed.connect(notifications.credentials_changed)  # live sockets recheck
    accounts.notification_prefs_set.connect(notifications.notification_prefs_set)
    # Turning public: pending follow requests are accepted, then the trends recount the author.
    accounts.privacy_changed.connect(graph_receivers.privacy_changed)
    accounts.privacy_changed.connect(search.privacy_changed)

    # A post: its hashtags count toward trends, the people it answers, quotes or mentions
    # are told, then it goes out to followers' home timelines.
    tweets.posted.connect(search.tweet_posted)
    tweets.posted.connect(notifications.tweet_posted)
    tweets.posted.connect(timelines.entry_posted)
    tweets.edited.connect(search.tweet_edited)
    tweets.edited.connect(notifications.tweet_edited)
    tweets.deleted.connect(search.tweet_deleted)
    tweets.deleted.connect(timelines.tweet_deleted)
    tweets.liked.connect(notifications.liked)
    tweets.unliked.connect(notifications.unliked)
    tweets.retweeted.connect(notifications.retweeted)
    tweets.retweeted.connect(timelines.retweeted)
    tweets.unretweeted.connect(notifications.unretweeted)
    tweets.unretweeted.connect(timelines.unretweeted)

    graph.timelines_stale.connect(timelines.graph_changed)
    graph.followed.connect(notifications.followed)
    graph.unfollowed.connect(notifications.unfollowed)
    graph.request_accepted.connect(notifications.request_accepted)
    graph.request_denied.connect(notifications.request_denied)
    graph.blocked.connect(notifications.blocked)

    messages.message_sent.connect(notifications.message_sent)
    messages.conversation_read.connect(notifications.conversation_read)
