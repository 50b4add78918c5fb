"""Polls: the rules for a new one, and what a viewer is shown of them (bulk, a page at a time).

Reads and checks only (it imports nothing above the models), so the selectors
and services can both use it. Voting and closing are in tweets/poll_votes.py.

Results are hidden from someone who may still vote: they show to voters, to
the author (who can't vote in their own poll) and to everyone once the poll
has ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.kernel import text
from config.kernel.errors import ServiceError
from config.kernel.routers import read_connection
from config.kernel.timefmt import iso_z
from tweets.models import Poll, PollChoice, PollVote

MIN_CHOICES, MAX_CHOICES = 2, 4
CHOICE_MAX_LENGTH = 25
MIN_DURATION, MAX_DURATION = timedelta(minutes=5), timedelta(days=7)
# What the compose form offers (the API takes any number of minutes in the range).
DURATIONS = (
    (5, gettext_lazy("5 minutes")),
    (30, gettext_lazy("30 minutes")),
    (60, gettext_lazy("1 hour")),
    (6 * 60, gettext_lazy("6 hours")),
    (24 * 60, gettext_lazy("1 day")),
    (3 * 24 * 60, gettext_lazy("3 days")),
    (7 * 24 * 60, gettext_lazy("7 days")),
)


# --- a new poll ---------------------------------------------------------------------------------


def checked_choices(raw: Sequence[str], duration: timedelta | None) -> tuple[list[str], timedelta]:
    """The choices as stored (normalised like post text) and the duration, or a ServiceError (400)."""
    if not isinstance(raw, (list, tuple)) or not all(isinstance(c, str) for c in raw):
        raise ServiceError(_("Poll choices must be a list of texts."), field="poll")
    if not MIN_CHOICES <= len(raw) <= MAX_CHOICES:
        raise ServiceError(
            _("A poll has %(low)s to %(high)s choices; this one has %(count)s.")
            % {"low": MIN_CHOICES, "high": MAX_CHOICES, "count": len(raw)},
            field="poll",
        )
    choices = []
    for index, item in enumerate(raw, start=1):
        choice = text.normalise(item)
        if text.is_blank(choice):
            raise ServiceError(_("Choice %(number)s is empty.") % {"number": index}, field="poll")
        if text.length(choice) > CHOICE_MAX_LENGTH:
            raise ServiceError(
                _("Choice %(number)s has %(length)s characters; at most %(limit)s.")
                % {"number": index, "length": text.length(choice), "limit": CHOICE_MAX_LENGTH},
                field="poll",
            )
        choices.append(choice)
    if duration is None or not MIN_DURATION <= duration <= MAX_DURATION:
        raise ServiceError(_("A poll lasts from 5 minutes to 7 days."), field="poll")
    return choices, duration


def poll_create(tweet, choices: list[str], duration: timedelta, multiple: bool = False) -> Poll:
    """The rows of an already checked poll, inside the post's transaction."""
    poll = Poll.objects.create(tweet=tweet, closes_at=tweet.created_at + duration, multiple=multiple)
    PollChoice.objects.bulk_create(
        PollChoice(poll=poll, position=position, text=choice) for position, choice in enumerate(choices, start=1)
    )
    return poll


# --- what a viewer sees ---------------------------------------------------------------------------


@dataclass
class ChoiceView:
    position: int
    text: str
    votes: int
    percent: int  # of the voters (people), rounded; 0 with no votes. A multiple poll's may add past 100.


@dataclass
class PollView:
    """A poll as one viewer sees it: `results` says whether the counts may be shown to them."""

    id: int
    tweet_id: int
    closes_at: datetime
    multiple: bool
    votes: int  # choices picked
    voters: int  # people; equal to votes for a single-choice poll
    choices: list[ChoiceView]
    own_choices: list[int]  # the viewer's ballot (positions), empty before they vote
    is_author: bool
    signed_in: bool
    now: datetime

    @property
    def closed(self) -> bool:
        return self.closes_at <= self.now

    @property
    def own_choice(self) -> int | None:
        """The first position voted for (the only one in a single-choice poll)."""
        return self.own_choices[0] if self.own_choices else None

    @property
    def voted(self) -> bool:
        return bool(self.own_choices)

    @property
    def results(self) -> bool:
        return self.voted or self.is_author or self.closed

    @property
    def can_vote(self) -> bool:
        return self.signed_in and not self.results

    @property
    def time_left(self) -> str:
        """ "3 days left", "5 hours left", "12 minutes left", "1 minute left"."""
        seconds = (self.closes_at - self.now).total_seconds()
        if seconds >= 86400:
            count = int(seconds // 86400)
            return ngettext("%(count)s day left", "%(count)s days left", count) % {"count": count}
        if seconds >= 3600:
            count = int(seconds // 3600)
            return ngettext("%(count)s hour left", "%(count)s hours left", count) % {"count": count}
        count = max(int(seconds // 60), 1)
        return ngettext("%(count)s minute left", "%(count)s minutes left", count) % {"count": count}


POLLS_SQL = f"""
SELECT p.id, p.tweet_id, p.closes_at, p.multiple, p.votes_count, p.voters_count, c.position, c.text, c.votes_count,
       (SELECT array_agg(mine.position ORDER BY mine.position) FROM {PollVote._meta.db_table} v
        JOIN {PollChoice._meta.db_table} mine ON mine.id = v.choice_id
        WHERE v.poll_id = p.id AND v.user_id = %s) AS own
FROM {Poll._meta.db_table} p JOIN {PollChoice._meta.db_table} c ON c.poll_id = p.id
WHERE p.tweet_id = ANY(%s)
ORDER BY p.id, c.position
"""  # noqa: S608 - table names from the models


def polls_for(tweet_ids: Sequence[int], viewer_id: int | None, author_of: dict[int, int]) -> dict[int, PollView]:
    """The polls of these posts as the viewer sees them, by tweet id: one query for any number of posts.

    `author_of` maps each tweet id to its author's id (the author sees results without voting).
    """
    if not tweet_ids:
        return {}
    with read_connection(Poll).cursor() as cursor:
        cursor.execute(POLLS_SQL, [viewer_id or 0, list(tweet_ids)])
        rows = cursor.fetchall()
    now = timezone.now()
    views: dict[int, PollView] = {}
    for poll_id, tweet_id, closes_at, multiple, votes, voters, position, choice_text, choice_votes, own in rows:
        view = views.get(tweet_id)
        if view is None:
            view = views[tweet_id] = PollView(
                id=poll_id,
                tweet_id=tweet_id,
                closes_at=closes_at,
                multiple=multiple,
                votes=votes,
                voters=voters,
                choices=[],
                own_choices=list(own or ()),
                is_author=viewer_id is not None and author_of.get(tweet_id) == viewer_id,
                signed_in=viewer_id is not None,
                now=now,
            )
        # Of the people who voted, as Mastodon and Twitter show it: for a single-choice poll that is the votes.
        percent = round(100 * choice_votes / voters) if voters else 0
        view.choices.append(ChoiceView(position, choice_text, choice_votes, percent))
    return views


def poll_json(view: PollView | None) -> dict | None:
    """The `poll` object of the tweet JSON; counts are null while hidden from the viewer."""
    if view is None:
        return None
    shown = view.results  # the total shows to all, as on Twitter; the split only with results
    return {
        "id": str(view.id),
        "choices": [
            {"position": c.position, "text": c.text, "votesCount": c.votes if shown else None} for c in view.choices
        ],
        "multiple": view.multiple,
        "votesCount": view.votes,
        "votersCount": view.voters,
        "closesAt": iso_z(view.closes_at),
        "closed": view.closed,
        "voted": view.voted,
        "ownChoice": view.own_choice,
        "ownChoices": view.own_choices,
    }
