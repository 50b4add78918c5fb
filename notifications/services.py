"""Writes for notifications. The services of other apps call these; signals never do.

A notification is made once per action (a unique constraint), never for
one's own action, and not at all when the recipient turned that type off,
muted or blocked the actor (or was blocked), may not see the post it is
about, or muted a word in it. Undoing the action withdraws it. Each change is pushed to the
recipient's open sockets after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from config.kernel.errors import NotFound, ServiceError
from config.kernel.sql import insert_once
from config.kernel.tasks import after_commit, enqueue
from notifications import presence
from notifications.models import Notification
from social.graph.muted_words import hides
from social.graph.visibility import RelationSet

Verb = Notification.Verb
MENTION_LIMIT = 10  # people notified per post, so one post can't page a crowd


def wants(user: User, verb: str) -> bool:
    return user.notification_prefs.get(verb, True) is not False


def _deliverable(recipient: User, actor: User, verb: str, tweet=None) -> bool:
    if recipient.pk == actor.pk or not recipient.is_active or not wants(recipient, verb):
        return False
    relations = RelationSet.for_viewer(recipient, [actor.pk] + ([tweet.author_id] if tweet is not None else []))
    if relations.is_blocked(actor) or relations.is_muted(actor):
        return False
    return tweet is None or (relations.can_see(tweet) and not hides(tweet, recipient, "notifications"))


def notify(*, recipient: User, actor: User, verb: str, tweet=None) -> Notification | None:
    """Record that `actor` did `verb` (to `tweet`) and tell `recipient`; None when it mustn't."""
    if not _deliverable(recipient, actor, verb, tweet):
        return None
    now = timezone.now()
    values = {"recipient_id": recipient.pk, "actor_id": actor.pk, "verb": verb, "created_at": now}
    pk = insert_once(Notification, **values, tweet_id=tweet.pk if tweet is not None else None)
    if pk is None:
        return None  # the same action already notified them
    notification = Notification(pk=pk, recipient=recipient, actor=actor, verb=verb, tweet=tweet, created_at=now)
    notification._state.adding = False  # it is in the table, as if loaded from it
    _push(recipient.pk, pk)
    return notification


def _bump(recipient: User, actor: User, verb: str) -> Notification:
    """One standing notification per (recipient, actor, verb), brought back to the top and unread."""
    notification, _ = Notification.objects.update_or_create(
        recipient=recipient, actor=actor, verb=verb, tweet=None,
        defaults={"created_at": timezone.now(), "read_at": None},
    )  # fmt: skip
    _push(recipient.pk, notification.pk)
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


def mark_read(*, recipient: User, notification_ids: Iterable[int]) -> int:
    ids = list(notification_ids)
    if not Notification.objects.filter(recipient=recipient, pk__in=ids).exists():
        raise NotFound("No such notification.")
    updated = Notification.objects.filter(recipient=recipient, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _push_unread(recipient.pk)
    return updated


def mark_all_read(*, recipient: User) -> int:
    updated = Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())
    _push_unread(recipient.pk)
    return updated


def update_preferences(*, user: User, preferences: dict[str, bool]) -> User:
    known = set(Verb.values)
    unknown = set(preferences) - known
    if unknown:
        raise ServiceError(f"Unknown notification types: {', '.join(sorted(unknown))}.", field="notificationPrefs")
    prefs = {**user.notification_prefs, **{verb: bool(on) for verb, on in preferences.items()}}
    user.notification_prefs = {verb: on for verb, on in prefs.items() if on is False}  # store only what's off
    user.save(update_fields=["notification_prefs"])
    return user


# --- live events ------------------------------------------------------------------------------


# The events describe committed state and the notification's HTML takes a render,
# so a worker builds them after the commit, off the request path, and only for
# someone with a socket open to receive them.


def _push(recipient_id: int, notification_id: int) -> None:
    _enqueue_if_online(recipient_id, "notifications.tasks.push_notification", notification_id)


def _push_unread(recipient_id: int) -> None:
    _enqueue_if_online(recipient_id, "notifications.tasks.push_unread", recipient_id)


def _enqueue_if_online(user_id: int, task, *args) -> None:
    after_commit(_enqueue_when_online, user_id, task, *args)


def _enqueue_when_online(user_id: int, task, *args) -> None:
    if presence.is_online(user_id):
        enqueue(task, *args)
