"""An edit's poll (tweets.services.tweet_edit): its choices now, and replacing it.

Apart from tweets/polls.py so the poll rules stay in one place: a replacement is a new poll made by
`polls.poll_create`, whatever a poll comes to hold (the model is changed elsewhere).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tweets import polls
from tweets.models import Poll, PollChoice, Tweet


def choices_of(tweet: Tweet) -> list[str]:
    return list(PollChoice.objects.filter(poll__tweet=tweet).order_by("position").values_list("text", flat=True))


def poll_replace(tweet: Tweet, choices: list[str], duration: timedelta, multiple: bool = False) -> Poll:
    """A new question: the old poll goes with its votes (as Mastodon resets them) and the new one runs
    from now for `duration`. A task timed to the old poll's end finds no poll and does nothing."""
    Poll.objects.select_for_update().filter(tweet=tweet).delete()  # its choices and votes cascade
    poll = polls.poll_create(tweet, choices, duration, multiple)
    # poll_create counts from the post's creation; an edited-in poll counts from the edit.
    poll.closes_at = timezone.now() + duration
    poll.save(update_fields=["closes_at"])
    return poll
