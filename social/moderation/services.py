"""Writes for moderation: reporting, suspending, removing posts, closing reports.

Pages, the API and the admin call these; each moderator action writes one
audit-log row in the same transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts.models import User
from config.kernel.errors import Conflict, Forbidden, NotFound, ServiceError
from config.kernel.tasks import enqueue_on_commit
from notifications import services as notifications
from notifications.events import recheck_sockets_on_commit
from search.tasks import recount_author
from social.graph.models import Follow
from social.graph.services import recount_follows
from social.messages.models import Message
from social.messages.selectors import membership, visible_messages
from social.moderation.models import ModerationAction, Report
from tweets import services as tweet_services
from tweets.models import Like, Tweet
from tweets.selectors import tweet_for_viewer
from tweets.services import recount_tweets

Action = ModerationAction.Action
MAX_DETAILS = 1000


def reported_target(reporter: User, target_type: str, target_id: int) -> tuple[int, User, str]:
    """The reported thing's id, owner and text, if the reporter may see it; NotFound otherwise.

    A report of a retweet is a report of the post it shares.
    """

    if target_type == Report.Target.TWEET:
        tweet = tweet_for_viewer(target_id, reporter)
        if tweet is None:
            raise NotFound(_("That post doesn't exist or you can't see it."))
        original = tweet.original
        return original.pk, original.author, original.text
    if target_type == Report.Target.USER:
        user = User.objects.filter(pk=target_id, is_active=True).first()
        if user is None:
            raise NotFound(_("No such account."))
        return user.pk, user, f"@{user.username} · {user.display_name}\n{user.bio}".strip()
    message = Message.objects.filter(pk=target_id).select_related("sender").first()
    member = membership(reporter, message.conversation_id) if message else None
    if member is None or not visible_messages(member).filter(pk=message.pk).exists():
        raise NotFound(_("That message doesn't exist or you can't see it."))
    return message.pk, message.sender, message.text


@transaction.atomic
def report_create(*, reporter: User, target_type: str, target_id: int, reason: str, text: str = "") -> Report:
    if target_type not in Report.Target.values:
        raise ServiceError(_("Report a tweet, a user or a message."), field="targetType")
    if reason not in Report.Reason.values:
        raise ServiceError(
            _("Choose a reason: %(reasons)s.") % {"reasons": ", ".join(Report.Reason.values)}, field="reason"
        )
    text = (text or "").strip()
    if len(text) > MAX_DETAILS:
        raise ServiceError(_("Keep the details to %(limit)s characters.") % {"limit": f"{MAX_DETAILS:,}"}, field="text")
    target_id, owner, snapshot = reported_target(reporter, target_type, target_id)
    if owner.pk == reporter.pk:
        raise Forbidden(_("You can't report yourself or your own posts."), field="targetId")  # well-formed, refused
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter, target_type=target_type, target_id=target_id, target_user=owner,
                reason=reason, text=text, snapshot=snapshot[:5000],
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(_("You already reported this. The moderators will look at it.")) from None


def _log(moderator: User, action: str, **fields) -> ModerationAction:
    return ModerationAction.objects.create(moderator=moderator, action=action, **fields)


def _close(report: Report | None, moderator: User, status: str) -> None:
    if report is not None and report.status == Report.Status.OPEN:
        report.status, report.handled_by, report.handled_at = status, moderator, timezone.now()
        report.save(update_fields=["status", "handled_by", "handled_at"])


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason: it goes into the audit log."), field="reason")
    return reason


@transaction.atomic
def user_suspend(*, moderator: User, user: User, reason: str, report: Report | None = None) -> User:
    """The account can't log in or use tokens, and vanishes from every page until lifted."""
    reason = _reason(reason)
    if user.is_staff or user.is_superuser:
        raise Forbidden(_("Staff accounts can't be suspended; a superuser manages them."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.suspended_at is None:
        user.is_active, user.suspended_at, user.suspension_reason = False, timezone.now(), reason
        user.save(update_fields=["is_active", "suspended_at", "suspension_reason"])
        AuthToken.objects.filter(user=user).delete()
        recheck_sockets_on_commit(user.pk)  # their open pages and API sockets close
        _log(moderator, Action.SUSPEND, target_user=user, report=report, reason=reason)
        enqueue_on_commit("social.moderation.tasks.recount_around", user.pk)
        enqueue_on_commit(recount_author, user.pk)
    _close(report, moderator, Report.Status.RESOLVED)
    return user


OWNER_ONLY = {"is_private", "who_can_message", "password"}  # the account holder's choices, never a moderator's


@transaction.atomic
def user_edit(*, moderator: User, user: User, fields: list[str]) -> User:
    """Save a staff member's changes to `fields` of `user` (already set on it), with what changed in the log."""
    if OWNER_ONLY & set(fields):
        raise Forbidden(_("Privacy and messaging settings are the account holder's to change."))
    related = [name for name in fields if name in ("groups", "user_permissions")]  # saved by the admin after this
    fields = [name for name in fields if name not in related]
    if not fields and not related:
        return user
    before = User.objects.select_for_update().get(pk=user.pk)
    changes = [f"{name}: {_shown(getattr(before, name))!r} → {_shown(getattr(user, name))!r}" for name in fields]
    changes += [f"{name} changed" for name in related]
    if fields:
        user.save(update_fields=fields)
    _log(moderator, Action.EDIT_USER, target_user=user, snapshot="\n".join(changes)[:5000])
    return user


def _shown(value) -> str:
    return getattr(value, "name", None) or ("" if value is None else str(value))


@transaction.atomic
def user_unsuspend(*, moderator: User, user: User, reason: str) -> User:
    reason = _reason(reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.suspended_at is not None:
        user.is_active, user.suspended_at, user.suspension_reason = True, None, ""
        user.save(update_fields=["is_active", "suspended_at", "suspension_reason"])
        _log(moderator, Action.UNSUSPEND, target_user=user, reason=reason)
        enqueue_on_commit("social.moderation.tasks.recount_around", user.pk)
        enqueue_on_commit(recount_author, user.pk)
    return user


@transaction.atomic
def tweet_remove(*, moderator: User, tweet_id: int, reason: str, report: Report | None = None) -> ModerationAction:
    """Delete a post as its author could, keep its text in the log, and tell the author why."""

    reason = _reason(reason)
    tweet = Tweet.objects.select_related("author").filter(pk=tweet_id).first()
    if tweet is None:
        raise NotFound(_("That post is already gone."))
    author = tweet.author
    entry = _log(moderator, Action.REMOVE_TWEET, target_user=author, tweet_id=tweet.pk, report=report,
                 reason=reason, snapshot=tweet.text)  # fmt: skip
    tweet_services.tweet_delete(actor=author, tweet=tweet)
    notifications.notify_post_removed(author)
    _close(report, moderator, Report.Status.RESOLVED)
    return entry


@transaction.atomic
def report_close(*, moderator: User, report: Report, status: str, note: str = "") -> Report:
    """Resolve (acted on) or dismiss (nothing to do) a report."""
    if report.status != Report.Status.OPEN:
        raise Conflict(
            _("This report is already resolved.")
            if report.status == Report.Status.RESOLVED
            else _("This report is already dismissed.")
        )
    action = Action.RESOLVE if status == Report.Status.RESOLVED else Action.DISMISS
    _close(report, moderator, status)
    _log(moderator, action, target_user=report.target_user, report=report, reason=note.strip())
    return report


def counts_recount_around(*, user_id: int) -> int:
    """The follow and post counts this account adds to others, afresh (after a suspension is made or lifted).

    Returns how many had drifted.
    """
    followed = Follow.objects.filter(follower_id=user_id).values("followee_id")
    followers = Follow.objects.filter(followee_id=user_id).values("follower_id")
    fixed = recount_follows(User.objects.filter(Q(pk__in=followed) | Q(pk__in=followers)))
    own = Tweet.objects.filter(author_id=user_id)
    touched = (
        Q(pk__in=Like.objects.filter(user_id=user_id).values("tweet_id"))
        | Q(pk__in=own.exclude(retweet_of=None).values("retweet_of_id"))
        | Q(pk__in=own.exclude(reply_to=None).values("reply_to_id"))
        | Q(pk__in=own.exclude(quote_of=None).values("quote_of_id"))
    )
    return fixed + recount_tweets(Tweet.objects.filter(touched))
