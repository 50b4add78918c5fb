"""The channels beyond the open page: Web Push and email, each as the person chose per type.

Called after the transaction that made a notification commits (services._created),
in the request: each channel only decides here, from the preferences read with
the user (no query), and leaves the sending to a task on the `notifications` queue.
"""

from __future__ import annotations

from notifications import mail, preferences
from notifications.webpush import schedule as webpush


def dispatch(recipient, notification_id: int, verb: str) -> None:
    prefs = preferences.of(recipient)
    if not prefs.in_app(verb):
        return
    mail.schedule(recipient, notification_id, verb)
    if prefs.push(verb):
        webpush.schedule(recipient, notification_id, verb)
