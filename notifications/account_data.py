"""An account's notifications and preferences, for its erasure and data export (connected in config/wiring.py)."""

from __future__ import annotations

from accounts.models import User
from notifications import preferences
from notifications.models import Notification, PushSubscription
from notifications.services import wants, withdraw


def erase_user(*, user: User) -> None:
    """What they did leaves others' lists (and their unread counts); their own list goes."""
    withdraw(actor=user, verbs=Notification.Verb.values)
    Notification.objects.filter(recipient=user).delete()
    PushSubscription.objects.filter(user=user).delete()  # their browsers hear nothing more


def export_user(*, user: User, files) -> list[tuple[str, dict]]:
    """Their preferences, as part of profile.json: the in-app switches (as before), and every type by
    channel as the API's GET /account/notification-settings answers it."""
    return [
        (
            "profile.json",
            {
                "notificationPrefs": {verb: wants(user, verb) for verb in Notification.Verb.values},
                "notificationSettings": preferences.of(user).as_json(),
            },
        )
    ]
