"""Email notifications: the person's chosen mail for each type, the digests, and the weekly round-up.

- `schedule` (here) runs in the request after a notification commits: it only
  decides from the preferences read with the user and queues a task.
- `kinds`: what mail there is (a type's own mail, "hourly", "daily", "weekly")
  and how each is described (subjects, footers, the unsubscribe page).
- `content`: the reads (pending notifications since the watermark, the week's posts).
- `compose`: subject, plain text and HTML from the templates under templates/email/.
- `delivery`: the one place that decides under a row lock (EmailState) and sends.
- `unsubscribe`: the signed one-click tokens and what a click turns off.
- `tasks`: the Celery tasks (the `notifications` queue) and the minute's sweep.
"""

from __future__ import annotations

from config.kernel.tasks import enqueue
from notifications import preferences

MAIL_TASK = "notifications.mail.tasks.mail_notifications"


def schedule(recipient, notification_id: int, verb: str) -> None:
    """Queue the mail of a notification the person wants at once (a window may hold it back later)."""
    if recipient.is_active and preferences.of(recipient).email(verb) == "immediately":
        enqueue(MAIL_TASK, recipient.pk, verb)
