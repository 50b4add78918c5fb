"""Who hears about what, and how: one row per notification type, one column per channel.

Stored in `User.notification_prefs` (JSON, read with the user, so deciding
costs no query), holding only what differs from the defaults:

    {"app": {"like": false}, "push": {"reply": false}, "email": {"follow": "daily"},
     "onlyFromFollowing": true, "weeklyDigest": true}

Channels:
- `app`: the notification in the list, its badge and live event. Push and
  email go with it: a type that is off in the app sends neither (its other
  cells keep what was chosen, for when it is turned back on).
- `push`: Web Push to every browser the person subscribed.
- `email`: "never", "immediately", or in an "hourly" or "daily" digest.

`onlyFromFollowing`: notifications only from people the person follows (one's
own notices, such as a finished export, and follow requests always come).
`weeklyDigest`: the weekly "what you missed" mail, off by default.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification

Verb = Notification.Verb
# What a person may turn off: every type but the moderators' notices, which people must get.
TYPES: tuple[str, ...] = tuple(v for v in Verb.values if v != Verb.POST_REMOVED)
CHANNELS = ("app", "push", "email")
EMAIL_CHOICES = ("never", "immediately", "hourly", "daily")
DIGESTS = ("hourly", "daily")
# Mail by default only for what is addressed to the person: messages, mentions, replies, follows.
EMAIL_DEFAULTS = dict.fromkeys(
    (Verb.MESSAGE, Verb.MENTION, Verb.REPLY, Verb.FOLLOW, Verb.FOLLOW_REQUEST), "immediately"
)
# The rows of Settings -> Notifications. A type added later without a label here shows its verb's own.
LABELS = {
    Verb.FOLLOW: _("New followers"),
    Verb.FOLLOW_REQUEST: _("Follow requests"),
    Verb.FOLLOW_ACCEPTED: _("Accepted follow requests"),
    Verb.LIKE: _("Likes"),
    Verb.RETWEET: _("Retweets"),
    Verb.QUOTE: _("Quotes"),
    Verb.REPLY: _("Replies"),
    Verb.MENTION: _("Mentions"),
    Verb.MESSAGE: _("Direct messages"),
    Verb.POLL_ENDED: _("Polls that ended"),
    Verb.EXPORT_READY: _("Data export ready"),
}
EMAIL_LABELS = {
    "never": _("Never"),
    "immediately": _("Immediately"),
    "hourly": _("Hourly digest"),
    "daily": _("Daily digest"),
}
# Arrive whatever `onlyFromFollowing` says: about the person's own doing, or needing their answer.
ALWAYS_FROM_ANYONE = frozenset({Verb.FOLLOW_REQUEST, Verb.EXPORT_READY, Verb.POST_REMOVED, Verb.POLL_ENDED})


class InvalidPreferences(ValueError):
    """What a client sent can't be stored; `field` names the part (for the API's `fields`)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Preferences:
    raw: dict

    def in_app(self, verb: str) -> bool:
        if verb == Verb.POST_REMOVED:
            return True
        return self.raw.get("app", {}).get(verb, True) is not False

    def push(self, verb: str) -> bool:
        """Push wanted for `verb`, in effect (off with the in-app notification)."""
        return self.in_app(verb) and self.push_cell(verb)

    def email(self, verb: str) -> str:
        """How mail goes for `verb`, in effect: one of EMAIL_CHOICES ("never" with the in-app one off)."""
        return self.email_cell(verb) if self.in_app(verb) else "never"

    def push_cell(self, verb: str) -> bool:
        """The push cell as chosen, whatever the in-app one says."""
        return self.raw.get("push", {}).get(verb, True) is not False

    def email_cell(self, verb: str) -> str:
        return self.raw.get("email", {}).get(verb) or EMAIL_DEFAULTS.get(verb, "never")

    @property
    def only_from_following(self) -> bool:
        return self.raw.get("onlyFromFollowing") is True

    @property
    def weekly_digest(self) -> bool:
        return self.raw.get("weeklyDigest") is True

    def digest_types(self, digest: str) -> list[str]:
        """The types mailed in the `digest` ("hourly" or "daily")."""
        return [verb for verb in TYPES if self.email(verb) == digest]

    def as_json(self) -> dict:
        """As the API writes it: every type with its three cells as chosen."""
        types = {
            verb: {"inApp": self.in_app(verb), "push": self.push_cell(verb), "email": self.email_cell(verb)}
            for verb in TYPES
        }
        return {"types": types, "onlyFromFollowing": self.only_from_following, "weeklyDigest": self.weekly_digest}


def of(user) -> Preferences:
    return Preferences(user.notification_prefs or {})


def label(verb: str) -> str:
    return LABELS.get(verb) or Verb(verb).label.capitalize()


def changed(current: dict, changes: dict) -> dict:
    """`current` (stored) with `changes` (the API's shape, any part of it) applied; only non-defaults kept.

    InvalidPreferences, naming the part, for an unknown type or channel or a value of the wrong kind.
    The API's answer may come back wrapped, `{"notificationSettings": {...}}`: that part applies first.
    """
    if not isinstance(changes, dict):
        raise InvalidPreferences(gettext("Send an object of settings."), "notificationSettings")
    changes = dict(changes)
    if "notificationSettings" in changes:
        wrapped = changes.pop("notificationSettings")
        if not isinstance(wrapped, dict) or "notificationSettings" in wrapped:
            raise InvalidPreferences(
                gettext("Give the settings as an object of types, onlyFromFollowing and weeklyDigest."),
                "notificationSettings",
            )
        current = changed(current, wrapped)
    unknown = set(changes) - {"types", "onlyFromFollowing", "weeklyDigest"}
    if unknown:
        raise InvalidPreferences(
            gettext("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))}, sorted(unknown)[0]
        )
    raw = {key: dict(value) if isinstance(value, dict) else value for key, value in current.items()}
    types = changes.get("types", {})
    if not isinstance(types, dict):
        raise InvalidPreferences(gettext("Give the types as an object of type: {inApp, push, email}."), "types")
    for verb, cells in types.items():
        _apply_type(raw, verb, cells)
    for key in ("onlyFromFollowing", "weeklyDigest"):
        if key in changes:
            if not isinstance(changes[key], bool):
                raise InvalidPreferences(gettext("Must be true or false."), key)
            raw[key] = changes[key]
    return _trimmed(raw)


def _apply_type(raw: dict, verb: str, cells) -> None:
    if verb not in TYPES:
        raise InvalidPreferences(gettext("Unknown notification type: %(type)s.") % {"type": verb}, "types")
    if not isinstance(cells, dict) or set(cells) - {"inApp", "push", "email"}:
        raise InvalidPreferences(
            gettext("%(type)s: give any of inApp, push (true or false) and email.") % {"type": verb}, "types"
        )
    for key, channel in (("inApp", "app"), ("push", "push")):
        if key in cells:
            if not isinstance(cells[key], bool):
                raise InvalidPreferences(
                    gettext("%(field)s must be true or false.") % {"field": f"{verb}.{key}"}, "types"
                )
            raw.setdefault(channel, {})[verb] = cells[key]
    if "email" in cells:
        if cells["email"] not in EMAIL_CHOICES:
            raise InvalidPreferences(
                gettext("%(field)s must be one of %(choices)s.")
                % {"field": f"{verb}.email", "choices": ", ".join(EMAIL_CHOICES)},
                "types",
            )
        raw.setdefault("email", {})[verb] = cells["email"]


def _trimmed(raw: dict) -> dict:
    """Drop what equals the default, so a default changed later reaches everyone who never chose."""
    out: dict = {}
    for channel in ("app", "push"):
        off = {verb: False for verb, on in raw.get(channel, {}).items() if on is False}
        if off:
            out[channel] = off
    email = {v: how for v, how in raw.get("email", {}).items() if how != EMAIL_DEFAULTS.get(v, "never")}
    if email:
        out["email"] = email
    for key in ("onlyFromFollowing", "weeklyDigest"):
        if raw.get(key) is True:
            out[key] = True
    return out
