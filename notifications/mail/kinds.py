"""The kinds of mail: one per notification type (sent at once), the two digests, the weekly round-up.

A kind is also what one unsubscribe link turns off, so each knows how to say what it is.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications import preferences
from notifications.models import Notification

Verb = Notification.Verb
DIGESTS = ("hourly", "daily")
WEEKLY = "weekly"
PERIODIC = (*DIGESTS, WEEKLY)
KINDS = frozenset((*preferences.TYPES, *PERIODIC))
PERIOD = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), WEEKLY: timedelta(days=7)}

# What many of a type are called, as a footer lists them: "replies, likes".
PLURALS = {
    Verb.REPLY: _("replies"),
    Verb.MENTION: _("mentions"),
    Verb.MESSAGE: _("messages"),
    Verb.FOLLOW: _("followers"),
    Verb.FOLLOW_REQUEST: _("follow requests"),
    Verb.FOLLOW_ACCEPTED: _("accepted follow requests"),
    Verb.LIKE: _("likes"),
    Verb.RETWEET: _("retweets"),
    Verb.QUOTE: _("quotes"),
    Verb.EXPORT_READY: _("data exports"),
    Verb.POLL_ENDED: _("ended polls"),
}
# "a new reply", "3 new replies": whole phrases, so each language can make its words agree.
COUNTED = {
    Verb.REPLY: ngettext_lazy("%(count)s new reply", "%(count)s new replies", "count"),
    Verb.MENTION: ngettext_lazy("%(count)s new mention", "%(count)s new mentions", "count"),
    Verb.MESSAGE: ngettext_lazy("%(count)s new message", "%(count)s new messages", "count"),
    Verb.FOLLOW: ngettext_lazy("%(count)s new follower", "%(count)s new followers", "count"),
    Verb.FOLLOW_REQUEST: ngettext_lazy("%(count)s new follow request", "%(count)s new follow requests", "count"),
    Verb.FOLLOW_ACCEPTED: ngettext_lazy(
        "%(count)s new accepted follow request", "%(count)s new accepted follow requests", "count"
    ),
    Verb.LIKE: ngettext_lazy("%(count)s new like", "%(count)s new likes", "count"),
    Verb.RETWEET: ngettext_lazy("%(count)s new retweet", "%(count)s new retweets", "count"),
    Verb.QUOTE: ngettext_lazy("%(count)s new quote", "%(count)s new quotes", "count"),
    Verb.EXPORT_READY: ngettext_lazy("%(count)s new data export", "%(count)s new data exports", "count"),
    Verb.POLL_ENDED: ngettext_lazy("%(count)s new ended poll", "%(count)s new ended polls", "count"),
}
COUNTED_OTHER = ngettext_lazy("%(count)s new notification", "%(count)s new notifications", "count")
# What one unsubscribe link stops: "emails about new replies".
ABOUT = {
    Verb.REPLY: _("emails about new replies"),
    Verb.MENTION: _("emails about new mentions"),
    Verb.MESSAGE: _("emails about new messages"),
    Verb.FOLLOW: _("emails about new followers"),
    Verb.FOLLOW_REQUEST: _("emails about new follow requests"),
    Verb.FOLLOW_ACCEPTED: _("emails about new accepted follow requests"),
    Verb.LIKE: _("emails about new likes"),
    Verb.RETWEET: _("emails about new retweets"),
    Verb.QUOTE: _("emails about new quotes"),
    Verb.EXPORT_READY: _("emails about new data exports"),
    Verb.POLL_ENDED: _("emails about new ended polls"),
}
# Why a type's own mail came.
RIGHT_AWAY = {
    Verb.REPLY: _("you chose to get an email right away about new replies"),
    Verb.MENTION: _("you chose to get an email right away about new mentions"),
    Verb.MESSAGE: _("you chose to get an email right away about new messages"),
    Verb.FOLLOW: _("you chose to get an email right away about new followers"),
    Verb.FOLLOW_REQUEST: _("you chose to get an email right away about new follow requests"),
    Verb.FOLLOW_ACCEPTED: _("you chose to get an email right away about new accepted follow requests"),
    Verb.LIKE: _("you chose to get an email right away about new likes"),
    Verb.RETWEET: _("you chose to get an email right away about new retweets"),
    Verb.QUOTE: _("you chose to get an email right away about new quotes"),
    Verb.EXPORT_READY: _("you chose to get an email right away about new data exports"),
    Verb.POLL_ENDED: _("you chose to get an email right away about new ended polls"),
}


def counted(verb: str, count: int) -> str:
    return COUNTED.get(verb, COUNTED_OTHER) % {"count": count}


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
    return str(PLURALS.get(verb, _("notifications")))


def describe(kind: str) -> str:
    """What the mail is, for footers and the unsubscribe page: "emails about new replies"."""
    if kind == WEEKLY:
        return str(_("the weekly “what you missed” email"))
    if kind == "hourly":
        return str(_("the hourly digest email"))
    if kind == "daily":
        return str(_("the daily digest email"))
    return str(ABOUT.get(kind, _("emails about new notifications")))


def reason(prefs: preferences.Preferences, kind: str) -> str:
    """Why the person gets this mail, for its footer."""
    if kind == WEEKLY:
        return str(_("you turned on the weekly “what you missed” email"))
    if kind in DIGESTS:
        names = ", ".join(plural_label(v) for v in preferences.TYPES if prefs.email_cell(v) == kind)
        if kind == "hourly":
            return str(
                _("you chose an hourly digest for %(names)s") % {"names": names}
                if names
                else _("you chose an hourly digest")
            )
        return str(
            _("you chose a daily digest for %(names)s") % {"names": names} if names else _("you chose a daily digest")
        )
    return str(RIGHT_AWAY.get(kind, _("you chose to get an email right away about new notifications")))
