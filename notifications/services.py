"""Writes for notifications. The services of other apps call these; signals never do.

A notification is made once per action (a unique constraint), never for
one's own action, and not at all when the recipient turned that type off,
muted or blocked the actor (or was blocked), may not see the post it is
about, or muted a word in it. Undoing the action withdraws it. Each change is pushed to the
recipient's open sockets after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from config.kernel.errors import NotFound, ServiceError
from config.kernel.sql import insert_once
from config.kernel.tasks import after_commit, enqueue
from notifications import channels, preferences, presence, selectors
from notifications.models import ConversationMute, Notification
from social.graph.muted_words import hides
from social.graph.visibility import RelationSet
from tweets.models import Tweet
from tweets.services import GONE

Verb = Notification.Verb
MENTION_LIMIT = 10  # people notified per post, so one post can't page a crowd


def wants(user: User, verb: str) -> bool:
    """The in-app notification of `verb` is on (push and email go with it: notifications.preferences)."""
    return preferences.of(user).in_app(verb)


def _deliverable(recipient: User, actor: User, verb: str, tweet=None, quoted=None) -> bool:
    if recipient.pk == actor.pk or not recipient.is_active:
        return False
    prefs = preferences.of(recipient)
    if not prefs.in_app(verb):
        return False
    relations = RelationSet.for_viewer(recipient, [actor.pk] + ([tweet.author_id] if tweet is not None else []))
    if relations.is_blocked(actor) or relations.is_muted(actor):
        return False
    strangers_off = prefs.only_from_following and verb not in preferences.ALWAYS_FROM_ANYONE
    if strangers_off and actor.pk not in relations.following:
        return False
    if tweet is None:
        return True
    if not relations.can_see(tweet) or hides(tweet, recipient, "notifications"):
        return False
    return not _in_muted_thread(recipient, tweet, quoted)


def _in_muted_thread(recipient: User, tweet, quoted=None) -> bool:
    """The post, or the post it quotes, is in a conversation the recipient muted."""
    threads = [selectors.conversation_of(t) for t in (tweet, quoted) if t is not None]
    return selectors.has_muted(recipient.pk, threads)


def notify(*, recipient: User, actor: User, verb: str, tweet=None, quoted=None) -> Notification | None:
    """Record that `actor` did `verb` (to `tweet`) and tell `recipient`; None when it mustn't.

    `quoted`: the post a quote quotes, whose thread, when muted, silences the quote too.
    """
    if not _deliverable(recipient, actor, verb, tweet, quoted):
        return None
    now = timezone.now()
    values = {"recipient_id": recipient.pk, "actor_id": actor.pk, "verb": verb, "created_at": now}
    pk = insert_once(Notification, **values, tweet_id=tweet.pk if tweet is not None else None)
    if pk is None:
        return None  # the same action already notified them
    notification = Notification(pk=pk, recipient=recipient, actor=actor, verb=verb, tweet=tweet, created_at=now)
    notification._state.adding = False  # it is in the table, as if loaded from it
    _created(recipient, pk, verb)
    return notification


def _bump(recipient: User, actor: User, verb: str) -> Notification:
    """One standing notification per (recipient, actor, verb), brought back to the top and unread."""
    notification, _ = Notification.objects.update_or_create(
        recipient=recipient, actor=actor, verb=verb, tweet=None,
        defaults={"created_at": timezone.now(), "read_at": None},
    )  # fmt: skip
    _created(recipient, notification.pk, verb)
    return notification


def notify_message(*, recipient: User, actor: User) -> Notification | None:
    """A direct message: one notification per sender, brought back to the top and unread by each new one."""
    if not _deliverable(recipient, actor, Verb.MESSAGE):
        return None
    return _bump(recipient, actor, Verb.MESSAGE)


def notify_export_ready(user: User) -> Notification | None:
    """Tell someone their data export can be downloaded; None if they turned these off.

    The one notification about one's own action: the person is both recipient
    and actor (the actor can't be empty), so it skips the rule against
    notifying people of what they did. One per person, brought back to the
    top and unread by each new export.
    """
    if not user.is_active or not wants(user, Verb.EXPORT_READY):
        return None
    return _bump(user, user, Verb.EXPORT_READY)


def notify_post_removed(user: User) -> Notification | None:
    """The moderators removed one of the person's posts; the reason is on /notices.

    Like the export notice, the person is their own actor. It can't be turned
    off: people must learn that the moderators acted on their account.
    """
    if not user.is_active:
        return None
    return _bump(user, user, Verb.POST_REMOVED)


def notify_poll_ended(*, tweet, voter_ids: Iterable[int]) -> int:
    """A poll has ended: its author (their own actor, as for an export) and each voter who may
    still see the post (the author is the actor) are told, once each; how many were told."""
    author, told = tweet.author, 0
    if author.is_active and wants(author, Verb.POLL_ENDED):
        told += _notify_once(author, author, tweet)
    voters = User.objects.filter(pk__in=list(voter_ids), is_active=True).exclude(pk=author.pk)
    for voter in voters.iterator(chunk_size=500):
        if _deliverable(voter, author, Verb.POLL_ENDED, tweet):  # blocks, mutes, visibility, preferences
            told += _notify_once(voter, author, tweet)
    return told


def _notify_once(recipient: User, actor: User, tweet) -> int:
    values = {"recipient_id": recipient.pk, "actor_id": actor.pk, "verb": Verb.POLL_ENDED, "tweet_id": tweet.pk}
    pk = insert_once(Notification, **values, created_at=timezone.now())
    if pk is not None:
        _created(recipient, pk, Verb.POLL_ENDED)
    return int(pk is not None)


def mark_messages_read(*, recipient: User, actor_ids: Iterable[int]) -> None:
    """Reading a conversation reads the message notifications from its people."""
    updated = Notification.objects.filter(
        recipient=recipient, verb=Verb.MESSAGE, actor_id__in=list(actor_ids), read_at__isnull=True
    ).update(read_at=timezone.now())
    if updated:
        _push_unread(recipient.pk)


def notify_mentions(*, actor: User, tweet, users: Iterable[User], skip: Iterable[int] = ()) -> int:
    """Mentions in a post, at most MENTION_LIMIT people over its life; `skip` those told otherwise.

    An edit calls this again: those already told count toward the limit and aren't told twice.
    """
    users = list(users)
    if not users:
        return 0  # most posts mention no one: no query for who was told before
    already = set(Notification.objects.filter(tweet=tweet, verb=Verb.MENTION).values_list("recipient_id", flat=True))
    skip = set(skip) | already
    sent = len(already)
    for user in users:
        if sent >= MENTION_LIMIT:
            break
        if user.pk in skip:
            continue
        if notify(recipient=user, actor=actor, verb=Verb.MENTION, tweet=tweet):
            sent += 1
    return sent


def withdraw(*, actor: User, verbs: Iterable[str], recipient: User | None = None, tweet=None) -> int:
    """Undo an action's notifications (unlike, unretweet, unfollow...): one DELETE ... RETURNING."""
    where, params = ["actor_id = %s", "verb = ANY(%s)"], [actor.pk, list(verbs)]
    if tweet is not None:
        where.append("tweet_id = %s")
        params.append(tweet.pk)
    if recipient is not None:
        where.append("recipient_id = %s")
        params.append(recipient.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Notification._meta.db_table} WHERE {' AND '.join(where)} RETURNING recipient_id",  # noqa: S608
            params,
        )  # our table and columns; values as parameters
        recipients = [row[0] for row in cursor.fetchall()]
    for recipient_id in set(recipients):
        _push_unread(recipient_id)
    return len(recipients)


def forget_between(one: User, other: User) -> int:
    """After a block: what either did to the other leaves both lists."""
    deleted, _ = Notification.objects.filter(Q(recipient=one, actor=other) | Q(recipient=other, actor=one)).delete()
    for user in (one, other):
        _push_unread(user.pk)
    return deleted


def dismiss(*, recipient: User, notification_ids: Iterable[int] | None = None) -> int:
    """Remove the recipient's notifications (these ids, or all of them): Mastodon's dismiss and clear."""
    found = Notification.objects.filter(recipient=recipient)
    if notification_ids is not None:
        found = found.filter(pk__in=list(notification_ids))
    deleted, _ = found.delete()
    if deleted:
        _push_unread(recipient.pk)
    return deleted


def mark_read(*, recipient: User, notification_ids: Iterable[int]) -> int:
    ids = list(notification_ids)
    if not Notification.objects.filter(recipient=recipient, pk__in=ids).exists():
        raise NotFound("No such notification.")
    updated = Notification.objects.filter(recipient=recipient, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _push_unread(recipient.pk)
    return updated


def mark_all_read(*, recipient: User, seen_at: datetime | None = None) -> int:
    """Everything read (what arrived, or was brought back to the top, up to `seen_at`, when given).

    The person's open sockets get the new counts, so every tab's badge clears. Nothing to mark: no event.
    """
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if seen_at is not None:
        unread = unread.filter(created_at__lte=seen_at)
    updated = unread.update(read_at=timezone.now())
    if updated or seen_at is None:
        _push_unread(recipient.pk)
    return updated


def update_preferences(*, user: User, preferences: dict[str, bool]) -> User:
    """The in-app column alone, as `PUT /account/privacy` and its `notificationPrefs` set it."""
    unknown = set(preferences) - set(Verb.values)
    if unknown:
        raise ServiceError(
            gettext("Unknown notification types: %(types)s.") % {"types": ", ".join(sorted(unknown))},
            field="notificationPrefs",
        )
    changes = {verb: {"inApp": bool(on)} for verb, on in preferences.items() if verb != Verb.POST_REMOVED}
    return update_settings(user=user, changes={"types": changes})


def update_settings(*, user: User, changes: dict) -> User:
    """Any part of the notification settings (notifications.preferences has the shape); 400 naming the part."""
    try:
        user.notification_prefs = preferences.changed(user.notification_prefs or {}, changes)
    except preferences.InvalidPreferences as error:
        raise ServiceError(error.message, field=error.field) from None
    user.save(update_fields=["notification_prefs"])
    return user


# --- muted conversations ------------------------------------------------------------------
# What comes after a mute is never made (no row, no live event, no unread count);
# what the thread already sent stays in the list (docs/DECISIONS.md).


def _visible_conversation(user: User, tweet_id: int) -> int:
    """The thread of a post the user may see (a retweet stands for its original); 404 otherwise."""
    tweet = Tweet.objects.select_related("author").filter(pk=tweet_id).first()
    if tweet is not None and tweet.retweet_of_id:
        tweet = Tweet.objects.select_related("author").filter(pk=tweet.retweet_of_id).first()
    if tweet is None or not RelationSet.for_viewer(user, [tweet.author_id]).can_see(tweet):
        raise NotFound(GONE, field="tweetId")
    return selectors.conversation_of(tweet)


@transaction.atomic
def conversation_mute(*, user: User, tweet_id: int) -> int:
    """Mute the thread of `tweet_id` for `user` (muting twice is no error); its root's id."""
    conversation_id = _visible_conversation(user, tweet_id)
    insert_once(ConversationMute, user_id=user.pk, conversation_id=conversation_id, created_at=timezone.now())
    return conversation_id


@transaction.atomic
def conversation_unmute(*, user: User, tweet_id: int) -> int:
    """Hear from the thread again, from now on (unmuting an unmuted thread is no error); its root's id."""
    conversation_id = _visible_conversation(user, tweet_id)
    ConversationMute.objects.filter(user=user, conversation_id=conversation_id).delete()
    return conversation_id


# --- live events ------------------------------------------------------------------------------


# The events describe committed state and the notification's HTML takes a render,
# so a worker builds them after the commit, off the request path, and only for
# someone with a socket open to receive them.


def _created(recipient: User, notification_id: int, verb: str) -> None:
    """A notification was made (or brought back to the top): to the open pages, then the other channels."""
    _push(recipient.pk, notification_id)
    after_commit(channels.dispatch, recipient, notification_id, verb)


def _push(recipient_id: int, notification_id: int) -> None:
    _enqueue_if_online(recipient_id, "notifications.tasks.push_notification", notification_id)


def _push_unread(recipient_id: int) -> None:
    _enqueue_if_online(recipient_id, "notifications.tasks.push_unread", recipient_id)


def _enqueue_if_online(user_id: int, task, *args) -> None:
    after_commit(_enqueue_when_online, user_id, task, *args)


def _enqueue_when_online(user_id: int, task, *args) -> None:
    if presence.is_online(user_id):
        enqueue(task, *args)
