"""Writes for drafts and scheduled posts: save, change, delete, publish (now or when due).

Publishing goes through `tweet_create`, the one write path of posts, so a
published draft fans out, notifies and counts in trends like any post.
`draft_publish` is the one place that turns a draft into its arguments.
"""

from __future__ import annotations

import functools
import logging
import zoneinfo
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from config.kernel import media as pipeline
from config.kernel import text
from config.kernel.errors import Conflict, NotFound, ServiceError
from config.kernel.tasks import Slice, after_commit
from tweets import media, selectors
from tweets.models import Draft, DraftMedia, Media, Tweet
from tweets.services import tweet_create

logger = logging.getLogger(__name__)

SCHEDULE_MIN_AHEAD = timedelta(minutes=5)
SCHEDULE_MAX_AHEAD = timedelta(days=365)
MAX_WAITING = 200  # drafts and scheduled posts one person may keep
CW_MAX = 100
POLL_CHOICES = (2, 4)
POLL_CHOICE_MAX = 25
POLL_DURATION = (timedelta(minutes=5), timedelta(days=7))
DEFAULT_POLL_DURATION = timedelta(days=1)
MAX_ATTEMPTS = 5  # a publish that fails for a passing reason (rate limit, database) is tried again
GONE = gettext_noop("No such draft.")
_UNSET = object()


# --- checks ---------------------------------------------------------------------------------


def check_schedule(when: datetime, *, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    if timezone.is_naive(when):
        raise ServiceError(_("Give the time with its time zone."), field="scheduledAt")
    if when < now + SCHEDULE_MIN_AHEAD:
        raise ServiceError(_("Schedule a post at least 5 minutes ahead."), field="scheduledAt")
    if when > now + SCHEDULE_MAX_AHEAD:
        raise ServiceError(_("A post can be scheduled at most a year ahead."), field="scheduledAt")
    return when


def zone_or_utc(name: str | None) -> str:
    """A browser's IANA zone name if we know it, else UTC (never an error: it only changes how times look)."""
    if isinstance(name, str) and len(name) <= 64 and name in _zones():
        return name
    return "UTC"


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # reads the zone files: once per process


def _checked_target(tweet_id: int | None, author: User, *, field: str) -> int | None:
    """A reply or quote target the author can see now (checked again when the post goes out)."""
    if tweet_id is not None and selectors.tweet_for_viewer(tweet_id, author) is None:
        raise NotFound(_("That post doesn't exist or was deleted."), field=field)
    return tweet_id


def _checked_text(raw: str) -> str:
    body = text.normalise(raw)
    if text.length(body) > text.MAX_LENGTH:
        raise ServiceError(
            _("Posts can be at most %(limit)s characters; this one has %(length)s.")
            % {"limit": text.MAX_LENGTH, "length": text.length(body)},
            field="text",
        )
    return "" if text.is_blank(body) else body


def _checked_warning(raw: str) -> str:
    warning = text.normalise(raw)
    if len(warning) > CW_MAX:
        raise ServiceError(
            _("A content warning can be at most %(limit)s characters.") % {"limit": CW_MAX}, field="contentWarning"
        )
    return "" if text.is_blank(warning) else warning


def _checked_poll(choices: Sequence[str], duration: timedelta | None) -> tuple[list[str], timedelta | None]:
    choices = [text.normalise(choice) for choice in choices]
    if not choices:
        return [], None
    low, high = POLL_CHOICES
    if not low <= len(choices) <= high:
        raise ServiceError(_("A poll has %(low)s to %(high)s choices.") % {"low": low, "high": high}, field="poll")
    if any(text.is_blank(c) or len(c) > POLL_CHOICE_MAX for c in choices):
        raise ServiceError(
            _("Each poll choice needs 1 to %(limit)s characters.") % {"limit": POLL_CHOICE_MAX}, field="poll"
        )
    duration = duration or DEFAULT_POLL_DURATION
    if not POLL_DURATION[0] <= duration <= POLL_DURATION[1]:
        raise ServiceError(_("A poll runs from 5 minutes to 7 days."), field="poll")
    return choices, duration


def _checked_media(author: User, media_ids: Sequence[int], draft: Draft | None) -> list[Media]:
    media_ids = list(dict.fromkeys(media_ids))
    if len(media_ids) > settings.TWEET_MAX_IMAGES:
        raise ServiceError(
            _("A post can have at most %(limit)s images.") % {"limit": settings.TWEET_MAX_IMAGES}, field="mediaIds"
        )
    if not media_ids:
        return []
    found = list(
        Media.objects.select_for_update(of=("self",))
        .filter(pk__in=media_ids, owner=author, tweet__isnull=True, edited_out_of__isnull=True)
        .select_related("draft_link")
    )
    usable = [m for m in found if not hasattr(m, "draft_link") or (draft and m.draft_link.draft_id == draft.pk)]
    if len(usable) != len(media_ids):
        raise NotFound(_("Unknown media id: upload the image first, as yourself."), field="mediaIds")
    media.check_mix(usable)  # as posting would: one video or GIF alone
    return sorted(usable, key=lambda m: media_ids.index(m.pk))


def _lock_own(author: User, draft_id: int) -> Draft:
    """The author's waiting draft, locked: a publish run holding it makes this wait, then see it published."""
    draft = Draft.objects.select_for_update().filter(pk=draft_id, author=author).first()
    if draft is None:
        raise NotFound(_(GONE))
    if draft.status == Draft.Status.PUBLISHED:
        raise Conflict(_("This post was already published."))
    return draft


# --- writes ---------------------------------------------------------------------------------


@transaction.atomic
def draft_create(
    *,
    author: User,
    text_input: str = "",
    media_ids: Sequence[int] = (),
    reply_to_id: int | None = None,
    quote_of_id: int | None = None,
    content_warning: str = "",
    sensitive: bool = False,
    poll_choices: Sequence[str] = (),
    poll_duration: timedelta | None = None,
    poll_multiple: bool = False,
    scheduled_at: datetime | None = None,
    time_zone: str | None = None,
    link_card: bool = True,
) -> Draft:
    """Save a draft, or with `scheduled_at` (5 minutes to a year ahead) a scheduled post.

    `poll_multiple`: the poll, once posted, lets a vote pick several choices (Mastodon's
    scheduled statuses; Chirp's draft API and form don't offer it yet).

    `link_card=False`: the author removed the link preview; the post goes out without one.
    """
    if Draft.objects.filter(author=author).exclude(status=Draft.Status.PUBLISHED).count() >= MAX_WAITING:
        raise Conflict(_("You can keep at most %(limit)s drafts and scheduled posts.") % {"limit": MAX_WAITING})
    draft = Draft(author=author, time_zone=zone_or_utc(time_zone), poll_multiple=bool(poll_multiple and poll_choices))
    _apply(
        draft,
        text_input=text_input,
        media_ids=media_ids,
        reply_to_id=reply_to_id,
        quote_of_id=quote_of_id,
        content_warning=content_warning,
        sensitive=sensitive,
        poll=(poll_choices, poll_duration),
        scheduled_at=scheduled_at,
        link_card=link_card,
        new=True,
    )
    return draft


@transaction.atomic
def draft_update(*, actor: User, draft_id: int, time_zone: str | None = None, **changes) -> Draft:
    """Change a waiting draft or scheduled post; only the given fields change.

    `scheduled_at=None` turns a scheduled post back into a draft; a time
    schedules a draft (or reschedules, which also retries a failed one).
    """
    draft = _lock_own(actor, draft_id)
    if time_zone is not None:
        draft.time_zone = zone_or_utc(time_zone)
    if "poll_choices" in changes or "poll_duration" in changes:
        changes["poll"] = (
            changes.pop("poll_choices", draft.poll_choices),
            changes.pop("poll_duration", draft.poll_duration),
        )
    _apply(draft, **changes)
    return draft


def _apply(
    draft: Draft,
    *,
    text_input=_UNSET,
    media_ids=_UNSET,
    reply_to_id=_UNSET,
    quote_of_id=_UNSET,
    content_warning=_UNSET,
    sensitive=_UNSET,
    poll=_UNSET,
    scheduled_at=_UNSET,
    link_card=_UNSET,
    new: bool = False,
) -> None:
    """Check everything, then write the draft and its images."""
    if text_input is not _UNSET:
        draft.text = _checked_text(text_input)
    attached = None
    if media_ids is not _UNSET:
        attached = _checked_media(draft.author, media_ids, None if new else draft)
    if reply_to_id is not _UNSET:
        draft.reply_to_id = _checked_target(reply_to_id, draft.author, field="replyToId")
    if quote_of_id is not _UNSET:
        draft.quote_of_id = _checked_target(quote_of_id, draft.author, field="quoteOfId")
    if content_warning is not _UNSET:
        draft.content_warning = _checked_warning(content_warning)
    if sensitive is not _UNSET:
        draft.sensitive = bool(sensitive)
    if poll is not _UNSET:
        draft.poll_choices, draft.poll_duration = _checked_poll(*poll)
    if link_card is not _UNSET:
        draft.link_card = bool(link_card)
    if scheduled_at is not _UNSET:
        draft.scheduled_at = check_schedule(scheduled_at) if scheduled_at is not None else None
        draft.status, draft.attempts, draft.last_error = Draft.Status.PENDING, 0, ""
    has_media = bool(attached) if attached is not None else (not new and draft.media_links.exists())
    if not draft.text and not has_media and not draft.poll_choices:
        # For a change, the draft's state is at fault (its images or poll were removed): 409, as for tweet_edit.
        error = ServiceError if new else Conflict
        raise error("Write something, add an image or a poll.", field="text")
    draft.updated_at = timezone.now()
    draft.save(force_insert=new)
    if attached is not None:
        if not new:
            dropped = list(Media.objects.filter(draft_link__draft=draft).exclude(pk__in=[m.pk for m in attached]))
            DraftMedia.objects.filter(draft=draft).delete()
            _discard(dropped)
        DraftMedia.objects.bulk_create(
            [DraftMedia(draft=draft, media=item, position=i) for i, item in enumerate(attached)]
        )


def _discard(items: list[Media]) -> None:
    """Uploads a draft let go of: nobody else can use them (they are the author's, unattached)."""
    if items:
        Media.objects.filter(pk__in=[m.pk for m in items], tweet__isnull=True).delete()
        after_commit(pipeline.delete_files, items)


@transaction.atomic
def draft_delete(*, actor: User, draft_id: int) -> None:
    """Delete a draft or cancel a scheduled post, with the images it kept."""
    draft = _lock_own(actor, draft_id)
    # Not an image edited off the post the draft became: that one stays with the post's history.
    items = list(Media.objects.filter(draft_link__draft=draft, tweet__isnull=True, edited_out_of__isnull=True))
    draft.delete()
    _discard(items)


# --- publishing -----------------------------------------------------------------------------


def _tweet_arguments(draft: Draft, media_ids: list[int]) -> dict:
    """The draft as `tweet_create` keyword arguments: everything a post may carry."""
    return {
        "author": draft.author,
        "text_input": draft.text,
        "media_ids": media_ids,
        "reply_to_id": draft.reply_to_id,
        "quote_of_id": draft.quote_of_id,
        "content_warning": draft.content_warning,
        "sensitive": draft.sensitive,
        "poll_choices": draft.poll_choices,
        "poll_duration": draft.poll_duration if draft.poll_choices else None,
        "poll_multiple": draft.poll_multiple,
        "link_card": draft.link_card,
    }


def draft_publish(*, actor: User, draft_id: int) -> Tweet:
    """Publish a waiting draft or scheduled post now, as its author. Refusals leave it as it was."""
    with transaction.atomic():
        draft = _lock_own(actor, draft_id)
        return _publish_locked(draft)


def _publish_locked(draft: Draft) -> Tweet:
    """Post a draft whose row this transaction has locked, and mark it published in the same transaction."""
    if not draft.author.is_active:
        raise ServiceError(_("This account can't post right now."), status=403)
    media_ids = list(draft.media_links.order_by("position").values_list("media_id", flat=True))
    tweet = tweet_create(**_tweet_arguments(draft, media_ids))
    draft.status, draft.published_tweet, draft.last_error = Draft.Status.PUBLISHED, tweet, ""
    draft.updated_at = timezone.now()
    draft.save(update_fields=["status", "published_tweet", "last_error", "updated_at"])
    return tweet


def publish_due_drafts(*, now: datetime | None = None, batch_size: int = 20) -> int:
    """Publish the scheduled posts that are due; returns how many went out.

    Each batch is locked with FOR UPDATE SKIP LOCKED and marked published in
    the transaction that posts it: two overlapping runs (two beat ticks, two
    workers) take different rows, and a row committed as published no longer
    matches, so each post goes out once. A post refused for good (its reply
    target deleted, the author suspended) is marked failed with the reason,
    shown on the author's scheduled page; a passing failure is retried by
    the next run, up to MAX_ATTEMPTS.
    """
    now = now or timezone.now()
    published, tried = 0, set()
    budget = Slice()
    while not budget.over:
        with transaction.atomic():
            batch = list(
                Draft.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("author")
                .filter(status=Draft.Status.PENDING, scheduled_at__isnull=False, scheduled_at__lte=now)
                .exclude(pk__in=tried)
                .order_by("scheduled_at")[:batch_size]
            )
            if not batch:
                break
            for draft in batch:
                tried.add(draft.pk)
                published += _publish_one(draft)
    return published


def _publish_one(draft: Draft) -> int:
    # A refusal is kept as the reason the author's scheduled page shows: in the author's language.
    with translation.override(draft.author.language or None):
        return _publish_one_now(draft)


def _publish_one_now(draft: Draft) -> int:
    try:
        with transaction.atomic():
            _publish_locked(draft)
        return 1
    except ServiceError as error:
        passing = error.status == 429
        _record_failure(draft, error.message, passing=passing)
    except DatabaseError as error:
        logger.warning("scheduled post %s not published", draft.pk, exc_info=True)
        _record_failure(draft, _("Couldn't be posted (%(error)s).") % {"error": type(error).__name__}, passing=True)
    return 0


def _record_failure(draft: Draft, reason: str, *, passing: bool) -> None:
    draft.attempts += 1
    draft.last_error = reason[:500]
    if not passing or draft.attempts >= MAX_ATTEMPTS:
        draft.status = Draft.Status.FAILED
    draft.updated_at = timezone.now()
    draft.save(update_fields=["attempts", "last_error", "status", "updated_at"])
