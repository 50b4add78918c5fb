"""The kinds of mail: one per notification type (sent at once), the two digests, the weekly round-up.

A kind is also what one unsubscribe link turns off, so each knows how to say what it is.
"""

from __future__ import annotations

from datetime import timedelta

from notifications import preferences
from notifications.models import Notification

Verb = Notification.Verb
DIGESTS = ("hourly", "daily")
WEEKLY = "weekly"
PERIODIC = (*DIGESTS, WEEKLY)
KINDS = frozenset((*preferences.TYPES, *PERIODIC))
PERIOD = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), WEEKLY: timedelta(days=7)}

# What one or many of a type are called: "a new reply", "3 new replies".
NOUNS = {
    Verb.REPLY: ("reply", "replies"),
    Verb.MENTION: ("mention", "mentions"),
    Verb.MESSAGE: ("message", "messages"),
    Verb.FOLLOW: ("follower", "followers"),
    Verb.FOLLOW_REQUEST: ("follow request", "follow requests"),
    Verb.FOLLOW_ACCEPTED: ("accepted follow request", "accepted follow requests"),
    Verb.LIKE: ("like", "likes"),
    Verb.RETWEET: ("retweet", "retweets"),
    Verb.QUOTE: ("quote", "quotes"),
    Verb.EXPORT_READY: ("data export", "data exports"),
    Verb.POLL_ENDED: ("ended poll", "ended polls"),
}


def counted(verb: str, count: int) -> str:
    one, many = NOUNS.get(verb, ("notification", "notifications"))
    return f"{count} new {one if count == 1 else many}"


def is_on(prefs: preferences.Preferences, kind: str) -> bool:
    """Whether mail of `kind` is chosen (as stored: the unsubscribe page's "already")."""
    if kind == WEEKLY:
        return prefs.weekly_digest
    if kind in DIGESTS:
        return any(prefs.email_cell(verb) == kind for verb in preferences.TYPES)
    return prefs.email_cell(kind) != "never"


def turn_off(prefs: preferences.Preferences, kind: str) -> dict:
    """The settings change (notifications.preferences' shape) that stops mail of `kind` and nothing else."""
    if kind == WEEKLY:
        return {"weeklyDigest": False}
    verbs = [verb for verb in preferences.TYPES if prefs.email_cell(verb) == kind] if kind in DIGESTS else [kind]
    return {"types": {verb: {"email": "never"} for verb in verbs}}


def plural_label(verb: str) -> str:
    return NOUNS.get(verb, ("notification", "notifications"))[1]


def describe(kind: str) -> str:
    """What the mail is, for footers and the unsubscribe page: "emails about new replies"."""
    if kind == WEEKLY:
        return "the weekly “what you missed” email"
    if kind in DIGESTS:
        return f"the {kind} digest email"
    return f"emails about new {plural_label(kind)}"


def reason(prefs: preferences.Preferences, kind: str) -> str:
    """Why the person gets this mail, for its footer."""
    if kind == WEEKLY:
        return "you turned on the weekly “what you missed” email"
    if kind in DIGESTS:
        names = ", ".join(plural_label(v) for v in preferences.TYPES if prefs.email_cell(v) == kind)
        digest = f"{'an' if kind == 'hourly' else 'a'} {kind} digest"
        return f"you chose {digest} for {names}" if names else f"you chose {digest}"
    return f"you chose to get an email right away about new {plural_label(kind)}"
