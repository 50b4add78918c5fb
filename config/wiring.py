"""Every place a lower app's hook runs a higher app's code, in the order it runs.

Read this file to see what else happens when something happens. The hooks are
declared next to the code that calls them (`<app>/hooks.py`); the receivers live in
`<app>/receivers.py`, and an account's data in `<app>/account_data.py`.
config/kernel/hooks.py says why this isn't signals.
"""

from __future__ import annotations

from django.db.models.signals import post_delete
from oauth2_provider.models import get_access_token_model

from accounts import hooks as accounts
from notifications import account_data as notifications_data
from notifications import receivers as notifications
from notifications import services as notification_services
from search import account_data as search_data
from search import receivers as search
from social.graph import account_data as graph_data
from social.graph import hooks as graph
from social.graph import receivers as graph_receivers
from social.mastodon import receivers as mastodon
from social.messages import account_data as messages_data
from social.messages import hooks as messages
from timelines import account_data as timelines_data
from timelines import hooks as timelines_hooks
from timelines import receivers as timelines
from tweets import account_data as tweets_data
from tweets import hooks as tweets


def connect() -> None:
    _accounts()
    _tweets()
    _graph()
    _messages()
    _account_lifecycle()
    _oauth()


def _accounts() -> None:
    accounts.credentials_changed.connect(notifications.credentials_changed)  # live sockets recheck
    accounts.notification_prefs_set.connect(notifications.notification_prefs_set)
    # Turning public: pending follow requests are accepted, then the trends recount the author.
    accounts.privacy_changed.connect(graph_receivers.privacy_changed)
    accounts.privacy_changed.connect(search.privacy_changed)


def _tweets() -> None:
    # A post: its hashtags count toward trends, the people it answers, quotes or mentions
    # are told, then it goes out to followers' home timelines.
    tweets.posted.connect(search.tweet_posted)
    tweets.posted.connect(notifications.tweet_posted)
    tweets.posted.connect(timelines.entry_posted)
    tweets.edited.connect(search.tweet_edited)
    tweets.edited.connect(notifications.tweet_edited)
    tweets.deleted.connect(search.tweet_deleted)
    tweets.deleted.connect(timelines.tweet_deleted)
    # In the fan-out's worker, once the post is in its followers' timelines: Mastodon's public and
    # hashtag streams are told (no task of its own to queue while posting).
    timelines_hooks.delivered.connect(mastodon.entry_delivered)
    tweets.edited.connect(mastodon.tweet_edited)
    tweets.deleted.connect(mastodon.tweet_deleted)
    tweets.liked.connect(notifications.liked)
    tweets.unliked.connect(notifications.unliked)
    tweets.retweeted.connect(notifications.retweeted)
    tweets.retweeted.connect(timelines.retweeted)
    tweets.unretweeted.connect(notifications.unretweeted)
    tweets.unretweeted.connect(timelines.unretweeted)
    tweets.card_flags.connect(notifications.card_flags)  # read time: cards show "Unmute this conversation"
    tweets.poll_ended.connect(notifications.poll_ended)  # the author and every voter are told


def _graph() -> None:
    graph.timelines_stale.connect(timelines.graph_changed)
    graph.followed.connect(notifications.followed)
    graph.unfollowed.connect(notifications.unfollowed)
    graph.request_accepted.connect(notifications.request_accepted)
    graph.request_denied.connect(notifications.request_denied)
    graph.blocked.connect(notifications.blocked)
    graph.muted_words_changed.connect(mastodon.muted_words_changed)  # Mastodon's `filters_changed`


def _messages() -> None:
    messages.message_sent.connect(notifications.message_sent)
    messages.conversation_read.connect(notifications.conversation_read)


def _account_lifecycle() -> None:
    """Deleting and exporting an account (accounts.lifecycle); the user row goes after all of these."""
    accounts.deletion_asked.connect(search_data.deletion_asked)  # out of the trends at once

    erase = accounts.erase_user
    erase.connect(timelines_data.erase_user)  # first: it finds the readers through the follows and posts
    erase.connect(notifications_data.erase_user)
    erase.connect(tweets_data.erase_likes)
    erase.connect(tweets_data.erase_bookmarks)
    erase.connect(graph_data.erase_user)
    erase.connect(messages_data.erase_user)
    erase.connect(tweets_data.erase_posts)  # last: others' replies and quotes of them stay, marked deleted

    export = accounts.export_user  # the zip's files in this order, after profile.json
    export.connect(notifications_data.export_user)  # adds notificationPrefs to profile.json
    export.connect(tweets_data.export_user)  # tweets.json, likes.json, bookmarks.json, drafts.json
    export.connect(graph_data.export_user)  # following.json, followers.json, muted_words.json
    export.connect(messages_data.export_user)  # messages.json
    export.connect(timelines_data.export_user)  # lists.json

    accounts.export_ready.connect(notification_services.notify_export_ready)


def _oauth() -> None:
    """django-oauth-toolkit deletes access tokens itself (POST /oauth/revoke, refresh rotation, an app or
    its approval removed), so a Django signal is the one place to hear of it: the person's sockets recheck,
    and those opened with that token close."""
    post_delete.connect(
        notifications.oauth_token_deleted, sender=get_access_token_model(), weak=False, dispatch_uid="oauth-sockets"
    )
