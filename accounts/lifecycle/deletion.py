"""Deleting an account: `account_delete` checks the password and at once makes the account
inactive (gone everywhere, by the visibility module), unusable and token-less; the task
`account_erase` then removes everything, one idempotent step at a time, and the user row last.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from itertools import batched
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from knox.models import AuthToken
from redis.exceptions import RedisError

from accounts import services as account_services
from accounts.lifecycle.export import delete_export_files
from accounts.models import AccountExport, User
from config.kernel import ids, media, ratelimit
from config.kernel.errors import Forbidden, ServiceError
from config.kernel.models import IdempotencyKey
from config.kernel.tasks import after_commit, enqueue_on_commit
from notifications import services as notification_services
from notifications.models import Notification
from search.tasks import recount_author
from social.graph.models import Block, Follow, FollowRequest, Mute
from social.graph.tasks import recount_follows
from social.messages.models import Conversation, HiddenMessage, Message, MessageImage, Participant
from timelines import services as timeline_services
from timelines.store import TimelineStore
from tweets.models import Like, Media, Tweet
from tweets.tasks import recount_tweets

logger = logging.getLogger(__name__)

PASSWORD_TRIES = ratelimit.Rate(limit=10, window=3600)  # wrong passwords per account per hour
TWEET_BATCH = 500  # posts deleted per transaction


def _time(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


# --- deletion --------------------------------------------------------------------------------------


def _tries_key(user: User) -> str:
    return f"account-delete:{user.pk}"


def _wait_after_wrong_passwords(user: User) -> int | None:
    """Seconds to wait when this account has used up its wrong passwords, else None (also when Redis is away)."""
    try:
        tried = ratelimit.peek(_tries_key(user), PASSWORD_TRIES)
    except RedisError:
        return None
    if tried < PASSWORD_TRIES.limit:
        return None
    return PASSWORD_TRIES.window - int(time.time()) % PASSWORD_TRIES.window


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Check the password, then hide the account at once and leave the rest to a task.

    From here the account is inactive (gone from every page, list and answer),
    its password is unusable (so no moderator action or log-in brings it
    back) and its tokens are revoked. The caller logs out the session.
    """
    if (wait := _wait_after_wrong_passwords(user)) is not None:
        raise ServiceError("Too many wrong passwords. Try again later.", field="password", status=429,
                           retry_after=wait)  # fmt: skip
    if not password:
        raise ServiceError("Give your password.", field="password")
    if not user.check_password(password):
        with contextlib.suppress(RedisError):  # with Redis down the limit can't count; the answer stands
            ratelimit.hit(_tries_key(user), PASSWORD_TRIES)
        raise Forbidden("That isn't your password.", field="password")  # well-formed, but not the key
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.is_active = False
    locked.set_unusable_password()
    locked.save(update_fields=["is_active", "password"])
    user.is_active, user.password = locked.is_active, locked.password
    account_services.tokens_revoke_all(user=locked)  # which also closes its live sockets, once committed
    from accounts.tasks import delete_account

    enqueue_on_commit(recount_author, locked.pk)  # out of the trends now, not when its rows go
    enqueue_on_commit(delete_account, locked.pk)


def is_being_deleted(user: User) -> bool:
    """Asked for deletion: inactive with an unusable password (a suspension keeps the password)."""
    return not user.is_active and not user.has_usable_password()


def account_erase(user_id: int) -> bool:
    """The task's body: remove everything of an account whose deletion was asked, then the account.

    Each step is its own transaction and looks at what is left, so a task that
    stops halfway and runs again finishes the job; counts are recounted in the
    same transaction as the rows they count.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False  # done already
    if not is_being_deleted(user):
        logger.warning("not deleting user %s: no deletion was asked for", user_id)
        return False
    _erase_timelines(user)  # first: it finds the readers through the follows
    _erase_notifications(user)
    _erase_likes(user)
    _erase_graph(user)
    _erase_messages(user)
    while _erase_tweets(user) is not None:
        pass
    _erase_account(user)
    return True


def _erase_timelines(user: User) -> None:
    """Their entries, and others' retweets of their posts, out of every home timeline in Redis.

    A timeline holds at most TIMELINE_MAX_ENTRIES (plus slack) newest entries,
    so older posts of theirs can't be in one. Anything missed is a dangling id
    that reading skips, as after any delete.
    """
    store = TimelineStore()
    window = settings.TIMELINE_MAX_ENTRIES + settings.TIMELINE_TRIM_SLACK
    own = list(Tweet.objects.filter(author=user).order_by("-id").values_list("id", flat=True)[:window])
    timeline_services.remove_everywhere(user.pk, own, store)
    since = ids.id_at(timezone.now() - settings.TIMELINE_INACTIVE_AFTER)
    shares: dict[int, list[int]] = defaultdict(list)
    for author_id, entry_id in Tweet.objects.filter(retweet_of__author=user, id__gte=since).values_list(
        "author_id", "id"
    ):
        shares[author_id].append(entry_id)
    for author_id, entries in shares.items():
        timeline_services.remove_everywhere(author_id, entries, store)
    store.drop_home(user.pk)
    store.replace_recent(user.pk, [])


def _erase_notifications(user: User) -> None:
    """What they did leaves others' lists (and their unread counts); their own list goes."""
    for verb in Notification.Verb.values:
        notification_services.withdraw(actor=user, verb=verb)
    Notification.objects.filter(recipient=user).delete()


@transaction.atomic
def _erase_likes(user: User) -> None:
    liked = list(Like.objects.filter(user=user).exclude(tweet__author=user).values_list("tweet_id", flat=True))
    Like.objects.filter(user=user).delete()
    recount_tweets(Tweet.objects.filter(pk__in=set(liked)), ["like_count"])


@transaction.atomic
def _erase_graph(user: User) -> None:
    """Follows both ways (freeing the others' counts), requests, blocks and mutes."""
    follows = Follow.objects.filter(Q(follower=user) | Q(followee=user))
    others = {pk for pair in follows.values_list("follower_id", "followee_id") for pk in pair} - {user.pk}
    follows.delete()
    FollowRequest.objects.filter(Q(requester=user) | Q(target=user)).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    Mute.objects.filter(Q(muter=user) | Q(muted=user)).delete()
    recount_follows(User.objects.filter(pk__in=others))


@transaction.atomic
def _erase_messages(user: User) -> None:
    """Their messages and images leave every conversation; they leave every conversation.

    A one-to-one conversation stays for the other person (it reads as "Deleted
    account"); a conversation nobody is left in goes.
    """
    conversation_ids = list(Participant.objects.filter(user=user).values_list("conversation_id", flat=True))
    images = list(MessageImage.objects.filter(owner=user))
    Message.objects.filter(sender=user).delete()
    HiddenMessage.objects.filter(user=user).delete()
    MessageImage.objects.filter(owner=user).delete()
    Participant.objects.filter(user=user).delete()
    Conversation.objects.filter(created_by=user).update(created_by=None)
    Conversation.objects.filter(pk__in=conversation_ids, members__isnull=True).delete()
    # Inbox order and unread badges follow the newest message; theirs may have been it.
    for chunk in batched(conversation_ids, 1000):
        newest = Coalesce(
            Subquery(
                Message.objects.filter(conversation_id=OuterRef("conversation_id")).order_by("-id").values("id")[:1]
            ),
            F("last_read_id"),
        )
        Participant.objects.filter(conversation_id__in=chunk, last_activity_id__gt=newest).update(
            last_activity_id=newest
        )
    after_commit(media.delete_files, images)


@transaction.atomic
def _erase_tweets(user: User) -> bool | None:
    """Delete a batch of their posts (with their images, likes, retweets by others, history).

    Returns None when none are left, else whether trend counts were taken back.
    Others' replies and quotes stay and show the post was deleted, as after
    any delete; the posts they answered or shared get their counts back.
    """
    rows = list(
        Tweet.objects.filter(author=user)
        .order_by("id")
        .values("id", "retweet_of_id", "reply_to_id", "quote_of_id", "entities", "created_at")[:TWEET_BATCH]
    )
    if not rows:
        return None
    batch = {row["id"] for row in rows}
    targets = {
        field: {row[key] for row in rows if row[key] and row[key] not in batch}
        for field, key in (
            ("retweet_count", "retweet_of_id"),
            ("reply_count", "reply_to_id"),
            ("quote_count", "quote_of_id"),
        )
    }
    files = list(Media.objects.filter(tweet_id__in=batch))
    # Its hashtag uses left the trend counts when the deletion was asked (search.trends.author_counts_changed).
    Tweet.objects.filter(pk__in=batch).delete()
    for field, tweet_ids in targets.items():
        recount_tweets(Tweet.objects.filter(pk__in=set(tweet_ids)), [field])
    after_commit(media.delete_files, files)
    return True


def _account_files(user: User) -> Iterator[tuple[Any, str]]:
    for field in (user.avatar, user.header):
        if field:
            yield field.storage, field.name


@transaction.atomic
def _erase_account(user: User) -> None:
    """The rest (uploads never posted, exports, tokens, stored API answers), then the row."""
    user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None:
        return
    uploads = list(Media.objects.filter(owner=user))
    exports = list(AccountExport.objects.filter(user=user))
    pictures = list(_account_files(user))
    AuthToken.objects.filter(user=user).delete()
    IdempotencyKey.objects.filter(scope__in=[f"user:{user.pk}", f"form:{user.pk}"]).delete()
    user.delete()

    def delete_files():
        media.delete_files(uploads)
        delete_export_files(exports)
        for storage, name in pictures:
            storage.delete(name)

    after_commit(delete_files)
