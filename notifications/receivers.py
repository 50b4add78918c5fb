"""What notifications does when the apps below it announce something (wired in config/wiring.py)."""

from __future__ import annotations

from notifications import events, services
from notifications.models import Notification

Verb = Notification.Verb


# --- tweets -------------------------------------------------------------------------


def tweet_posted(*, tweet, parent, quoted, mentioned, **_) -> None:
    told = set()  # one notification per person: a reply to you that mentions you is a reply
    if parent is not None:
        services.notify(recipient=parent.author, actor=tweet.author, verb=Verb.REPLY, tweet=tweet)
        told.add(parent.author_id)
    if quoted is not None:
        services.notify(recipient=quoted.author, actor=tweet.author, verb=Verb.QUOTE, tweet=tweet)
        told.add(quoted.author_id)
    services.notify_mentions(actor=tweet.author, tweet=tweet, users=mentioned, skip=told)


def tweet_edited(*, tweet, mentioned, **_) -> None:
    services.notify_mentions(actor=tweet.author, tweet=tweet, users=mentioned)  # only the newly mentioned are new


def liked(*, user, tweet) -> None:
    services.notify(recipient=tweet.author, actor=user, verb=Verb.LIKE, tweet=tweet)


def unliked(*, user, tweet) -> None:
    services.withdraw(actor=user, verb=Verb.LIKE, tweet=tweet)


def retweeted(*, user, tweet, **_) -> None:
    services.notify(recipient=tweet.author, actor=user, verb=Verb.RETWEET, tweet=tweet)


def unretweeted(*, user, tweet, **_) -> None:
    services.withdraw(actor=user, verb=Verb.RETWEET, tweet=tweet)


# --- the social graph ---------------------------------------------------------------------


def followed(*, follower, followee, requested) -> None:
    verb = Verb.FOLLOW_REQUEST if requested else Verb.FOLLOW
    services.notify(recipient=followee, actor=follower, verb=verb)


def unfollowed(*, follower, followee) -> None:
    for verb in (Verb.FOLLOW, Verb.FOLLOW_REQUEST):
        services.withdraw(actor=follower, recipient=followee, verb=verb)


def request_accepted(*, requester, target) -> None:
    services.withdraw(actor=requester, recipient=target, verb=Verb.FOLLOW_REQUEST)
    services.notify(recipient=requester, actor=target, verb=Verb.FOLLOW_ACCEPTED)


def request_denied(*, requester, target) -> None:
    services.withdraw(actor=requester, recipient=target, verb=Verb.FOLLOW_REQUEST)


def blocked(*, blocker, blocked) -> None:
    services.forget_between(blocker, blocked)


# --- accounts -----------------------------------------------------------------------------


def credentials_changed(*, user_id, keep_session, moved_session) -> None:
    events.recheck_sockets_on_commit(user_id, keep_session=keep_session, moved_session=moved_session)


def notification_prefs_set(*, user, preferences) -> None:
    services.update_preferences(user=user, preferences=preferences)
