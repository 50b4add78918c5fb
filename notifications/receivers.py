"""What notifications does when the apps below it announce something (wired in config/wiring.py)."""

from __future__ import annotations

from config.kernel.tasks import enqueue_on_commit
from notifications import catalogue, events, presence, selectors, services, tasks
from notifications.models import Notification
from social.messages.serializers import message_json

Verb = Notification.Verb


# --- tweets -------------------------------------------------------------------------


def tweet_posted(*, tweet, parent, quoted, mentioned, **_) -> None:
    told = set()  # one notification per person: a reply to you that mentions you is a reply
    if parent is not None:
        services.notify(recipient=parent.author, actor=tweet.author, verb=Verb.REPLY, tweet=tweet)
        told.add(parent.author_id)
    if quoted is not None:
        services.notify(recipient=quoted.author, actor=tweet.author, verb=Verb.QUOTE, tweet=tweet, quoted=quoted)
        told.add(quoted.author_id)
    services.notify_mentions(actor=tweet.author, tweet=tweet, users=mentioned, skip=told)


def card_flags(*, viewer_id, tweets):
    """Each card's `conversation_muted`, for the viewer (in the query of their likes)."""
    return selectors.muted_flag(viewer_id=viewer_id, tweets=tweets)


def tweet_edited(*, tweet, mentioned, **_) -> None:
    services.notify_mentions(actor=tweet.author, tweet=tweet, users=mentioned)  # only the newly mentioned are new


def liked(*, user, tweet) -> None:
    services.notify(recipient=tweet.author, actor=user, verb=Verb.LIKE, tweet=tweet)


def unliked(*, user, tweet) -> None:
    services.withdraw(actor=user, verbs=[Verb.LIKE], tweet=tweet)


def retweeted(*, user, tweet, **_) -> None:
    services.notify(recipient=tweet.author, actor=user, verb=Verb.RETWEET, tweet=tweet)


def unretweeted(*, user, tweet, **_) -> None:
    services.withdraw(actor=user, verbs=[Verb.RETWEET], tweet=tweet)


def poll_ended(*, tweet, voter_ids) -> None:
    services.notify_poll_ended(tweet=tweet, voter_ids=voter_ids)


# --- the social graph ---------------------------------------------------------------------


def followed(*, follower, followee, requested) -> None:
    verb = Verb.FOLLOW_REQUEST if requested else Verb.FOLLOW
    services.notify(recipient=followee, actor=follower, verb=verb)


def unfollowed(*, follower, followee) -> None:
    services.withdraw(actor=follower, recipient=followee, verbs=[Verb.FOLLOW, Verb.FOLLOW_REQUEST])


def request_accepted(*, requester, target) -> None:
    services.withdraw(actor=requester, recipient=target, verbs=[Verb.FOLLOW_REQUEST])
    services.notify(recipient=requester, actor=target, verb=Verb.FOLLOW_ACCEPTED)


def request_denied(*, requester, target) -> None:
    services.withdraw(actor=requester, recipient=target, verbs=[Verb.FOLLOW_REQUEST])


def blocked(*, blocker, blocked) -> None:
    services.forget_between(blocker, blocked)


# --- accounts -----------------------------------------------------------------------------


def credentials_changed(*, user_id, keep_session, moved_session) -> None:
    events.recheck_sockets_on_commit(user_id, keep_session=keep_session, moved_session=moved_session)


def oauth_token_deleted(*, instance, **_signal) -> None:
    if instance.user_id is not None:  # a client-credentials token opens no socket
        events.recheck_sockets_on_commit(instance.user_id)


def notification_prefs_set(*, user, preferences) -> None:
    services.update_preferences(user=user, preferences=preferences)


# --- direct messages: a notification for each recipient, then live events to members online --------


def message_sent(*, message, members) -> None:
    for member in members:
        if member.pk != message.sender_id:
            services.notify_message(recipient=member, actor=message.sender)
    online = presence.online([m.pk for m in members])
    if not online:
        return
    events.send_event_on_commit(online, catalogue.message(message.conversation_id, message_json(message)))
    for user_id in online:
        if user_id != message.sender_id:  # the sender's other tabs get the message, not a new unread count
            enqueue_on_commit(tasks.push_unread, user_id)


def conversation_read(*, reader, conversation_id, marker, member_ids) -> None:
    """The reader's "seen" marks move on the others' open pages; the reader's unread count follows."""
    services.mark_messages_read(recipient=reader, actor_ids=[m for m in member_ids if m != reader.pk])
    online = presence.online(member_ids)
    events.send_event_on_commit(online, catalogue.message_read(conversation_id, reader.pk, marker))
    if reader.pk in online:
        enqueue_on_commit(tasks.push_unread, reader.pk)
