"""Every place a lower app's hook runs a higher app's code, in the order it runs.

Read this file to see what else happens when something happens. The hooks are
declared next to the code that calls them (`<app>/hooks.py`); see
config/kernel/hooks.py for why they exist.
"""

from __future__ import annotations

from accounts import hooks as accounts_hooks
from notifications import account_data as notifications_data
from notifications import services as notifications
from search import account_data as search_data
from social.graph import account_data as graph_data
from social.messages import account_data as messages_data
from timelines import account_data as timelines_data
from tweets import account_data as tweets_data


def connect() -> None:
    _account_lifecycle()


def _account_lifecycle() -> None:
    """Deleting and exporting an account (accounts.lifecycle); the user row goes after all of these."""
    accounts_hooks.deletion_asked.connect(search_data.deletion_asked)  # out of the trends at once

    erase = accounts_hooks.erase_user
    erase.connect(timelines_data.erase_user)  # first: it finds the readers through the follows and posts
    erase.connect(notifications_data.erase_user)
    erase.connect(tweets_data.erase_likes)
    erase.connect(graph_data.erase_user)
    erase.connect(messages_data.erase_user)
    erase.connect(tweets_data.erase_posts)  # last: others' replies and quotes of them stay, marked deleted

    export = accounts_hooks.export_user  # the zip's files in this order, after profile.json
    export.connect(notifications_data.export_user)  # adds notificationPrefs to profile.json
    export.connect(tweets_data.export_user)  # tweets.json, likes.json
    export.connect(graph_data.export_user)  # following.json, followers.json
    export.connect(messages_data.export_user)  # messages.json

    accounts_hooks.export_ready.connect(notifications.notify_export_ready)
