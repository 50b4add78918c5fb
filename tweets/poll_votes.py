"""Writes for polls: a vote, and a poll's end (announced exactly once).

Sits at the services' level (it uses their access check); tasks, views and
the API call it. A new poll is made by `tweet_create` (tweets/polls.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from config.kernel.errors import Conflict, Forbidden, NotFound, ServiceError
from config.kernel.sql import insert_once
from tweets import hooks
from tweets.models import Poll, PollChoice, PollVote, Tweet
from tweets.polls import MAX_CHOICES
from tweets.services import _visible_target

NO_POLL = gettext_noop("This post has no poll.")
ALREADY = gettext_noop("You already voted in this poll.")
ENDED = gettext_noop("This poll has ended.")
OWN = gettext_noop("You can't vote in your own poll.")
SINGLE = gettext_noop("This poll takes one choice: pick just one.")


@transaction.atomic
def poll_vote(*, user: User, tweet_id: int, positions: Sequence[int], field: str = "choices") -> Tweet:
    """`user` casts a ballot for the choices at `positions` (1-4) of the poll on `tweet_id`; the post back.

    A single-choice poll takes one position, a multiple-choice poll one or
    more, each once. Refusals change nothing: 400 for a ballot that isn't a
    list of distinct positions (or several on a single-choice poll), 404 for a
    post the voter can't see, without a poll, or a choice it doesn't have, 403
    for one's own poll (or a block), 409 once the poll has ended or when the
    person already voted (a ballot is final, for multiple-choice polls too).
    `field` names the input in errors (the caller's name for the choices).

    Two ballots at once by one person, whatever choices they name: each first
    inserts its first choice as the ballot row, and the partial unique
    (poll, user) over ballot rows lets one through; the other's
    INSERT ... ON CONFLICT waits for it, finds it and is refused before it
    writes anything else, so counts move once. A unique (poll, user, choice)
    alone would not do: ballots naming different choices never collide on it.
    """
    wanted = _checked_positions(positions, field)
    target = _visible_target(tweet_id, user, field="tweetId")
    poll = Poll.objects.filter(tweet_id=target.pk).first() if target.has_poll else None
    if poll is None:
        raise NotFound(_(NO_POLL), field="tweetId")
    if target.author_id == user.pk:
        raise Forbidden(_(OWN))
    if poll.closes_at <= timezone.now():
        raise Conflict(_(ENDED))
    if len(wanted) > 1 and not poll.multiple:
        raise ServiceError(_(SINGLE), field=field)
    choices = dict(PollChoice.objects.filter(poll=poll, position__in=wanted).values_list("position", "pk"))
    if len(choices) != len(wanted):  # like an unknown media id: the thing named doesn't exist (a 1-4 the poll lacks)
        raise NotFound(_("This poll has no such choice: pick among its choices."), field=field)
    now = timezone.now()
    first, *rest = (choices[p] for p in wanted)
    if insert_once(PollVote, poll_id=poll.pk, user_id=user.pk, choice_id=first, ballot=True, created_at=now) is None:
        raise Conflict(_(ALREADY))
    PollVote.objects.bulk_create(
        PollVote(poll_id=poll.pk, user_id=user.pk, choice_id=pk, ballot=False, created_at=now) for pk in rest
    )
    # In the vote's transaction, added in place: concurrent votes for others never lose a count.
    PollChoice.objects.filter(pk__in=choices.values()).update(votes_count=F("votes_count") + 1)
    Poll.objects.filter(pk=poll.pk).update(
        votes_count=F("votes_count") + len(wanted), voters_count=F("voters_count") + 1
    )
    return target


def _checked_positions(positions, field: str) -> list[int]:
    """The ballot's positions in the order given, or a ServiceError (400) that names what is wrong."""
    if not isinstance(positions, (list, tuple)) or not positions:
        raise ServiceError(_("Pick at least one choice."), field=field)
    if not all(type(p) is int for p in positions):  # bool is an int subclass, and no choice
        raise ServiceError(_("Choices are given by their positions, whole numbers from 1 to 4."), field=field)
    if len(positions) > MAX_CHOICES:
        raise ServiceError(_("A poll has at most %(limit)s choices to pick.") % {"limit": MAX_CHOICES}, field=field)
    if len(set(positions)) != len(positions):
        raise ServiceError(_("Each choice can be picked once."), field=field)
    if not all(1 <= p <= MAX_CHOICES for p in positions):
        raise ServiceError(_("This poll has no such choice: pick among its choices."), field=field)
    return list(positions)


def poll_end(*, poll_id: int) -> bool:
    """Announce a poll's end to its author and voters, once: whether this call did it.

    The conditional UPDATE of `notified_at` is the "once": a redelivered task,
    the sweep and a scheduled task racing each other all run it, and only one
    sees its row change. The notifications go out in the same transaction.
    """
    now = timezone.now()
    with transaction.atomic():
        if not Poll.objects.filter(pk=poll_id, notified_at__isnull=True, closes_at__lte=now).update(notified_at=now):
            return False
        tweet = Tweet.objects.select_related("author").get(poll__pk=poll_id)
        # One row per ballot: each voter is told once, however many choices they picked.
        voter_ids = list(PollVote.objects.filter(poll_id=poll_id, ballot=True).values_list("user_id", flat=True))
        hooks.poll_ended(tweet=tweet, voter_ids=voter_ids)
    return True


def polls_due(limit: int = 500) -> list[int]:
    """Polls that have ended without being announced, oldest first (the index poll_unannounced)."""
    return list(
        Poll.objects.filter(notified_at__isnull=True, closes_at__lte=timezone.now())
        .order_by("closes_at")
        .values_list("pk", flat=True)[:limit]
    )


def polls_ending_soon(within_seconds: int) -> list[tuple[int, object]]:
    """Polls that end in the next `within_seconds`: (id, closes_at), for tasks timed to their end."""
    now = timezone.now()
    return list(
        Poll.objects.filter(
            notified_at__isnull=True, closes_at__gt=now, closes_at__lte=now + timezone.timedelta(seconds=within_seconds)
        ).values_list("pk", "closes_at")
    )
