"""Writes for polls: a vote, and a poll's end (announced exactly once).

Sits at the services' level (it uses their access check); tasks, views and
the API call it. A new poll is made by `tweet_create` (tweets/polls.py).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from config.kernel.errors import Conflict, Forbidden, NotFound
from config.kernel.sql import insert_once
from tweets import hooks
from tweets.models import Poll, PollChoice, PollVote, Tweet
from tweets.services import _visible_target

NO_POLL = "This post has no poll."
ALREADY = "You already voted in this poll."
ENDED = "This poll has ended."
OWN = "You can't vote in your own poll."


@transaction.atomic
def poll_vote(*, user: User, tweet_id: int, position: int) -> Tweet:
    """`user` votes for choice `position` (1-4) of the poll on `tweet_id`; the post (the original) back.

    Refusals change nothing: 404 for a post the voter can't see or without a
    poll or a choice it doesn't have, 403 for one's own poll (or a block), 409
    once the poll has ended or when the person already voted.
    Two votes at once by one person: the unique (poll, user) pair lets one
    insert through; the other's INSERT ... ON CONFLICT waits for it, finds
    it and is refused, so counts move once.
    """
    target = _visible_target(tweet_id, user, field="tweetId")
    poll = Poll.objects.filter(tweet_id=target.pk).first() if target.has_poll else None
    if poll is None:
        raise NotFound(NO_POLL, field="tweetId")
    if target.author_id == user.pk:
        raise Forbidden(OWN)
    if poll.closes_at <= timezone.now():
        raise Conflict(ENDED)
    choice = PollChoice.objects.filter(poll=poll, position=position).first()
    if choice is None:  # like an unknown media id: the thing named doesn't exist (a 1-4 the poll lacks)
        raise NotFound("This poll has no such choice: pick one of its choices.", field="choice")
    if insert_once(PollVote, poll_id=poll.pk, user_id=user.pk, choice_id=choice.pk, created_at=timezone.now()) is None:
        raise Conflict(ALREADY)
    # In the vote's transaction, added in place: concurrent votes for others never lose a count.
    PollChoice.objects.filter(pk=choice.pk).update(votes_count=F("votes_count") + 1)
    Poll.objects.filter(pk=poll.pk).update(votes_count=F("votes_count") + 1)
    return target


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
        voter_ids = list(PollVote.objects.filter(poll_id=poll_id).values_list("user_id", flat=True))
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
