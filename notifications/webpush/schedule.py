"""Deciding, on the request that made a notification, whether and when it is pushed.

Cheap on purpose (it runs for every like): a Redis GET says whether the person has
any browser subscribed (no query), and then either

- a type that groups (likes, retweets, follows: notifications.selectors.GROUPED)
  waits WEBPUSH_GROUP_WINDOW from the first of its kind: the first one sets a
  Redis key (SET NX) and queues one task with that countdown; the others find the
  key and do nothing. The task, when it runs, pushes everything of that kind that
  came meanwhile as one push per post ("Ada and 9 others liked your post");
- any other type is pushed at once (one task).
"""

from __future__ import annotations

import logging

from django.conf import settings

from config.kernel.redis import get_redis
from config.kernel.tasks import enqueue, task_named
from notifications.selectors import GROUPED
from notifications.webpush import subscriptions

logger = logging.getLogger(__name__)
NOTIFY_TASK = "notifications.tasks.webpush_notification"
GROUP_TASK = "notifications.tasks.webpush_group"


def waiting_key(recipient_id: int, verb: str) -> str:
    return f"push:wait:{recipient_id}:{verb}"


def schedule(recipient, notification_id: int, verb: str) -> str:
    """What was decided: "none" (no browser), "queued", "grouped" (a window was opened), "joined"
    or "error" (Redis or the broker away: logged; this push is lost, the notification is not)."""
    try:
        return _schedule(recipient, notification_id, verb)
    except Exception:
        logger.warning("push for notification %s not scheduled", notification_id, exc_info=True)
        return "error"


def _schedule(recipient, notification_id: int, verb: str) -> str:
    if not subscriptions.has_any(recipient.pk):
        return "none"
    if verb not in GROUPED:
        enqueue(NOTIFY_TASK, notification_id)
        return "queued"
    window = settings.WEBPUSH_GROUP_WINDOW
    key = waiting_key(recipient.pk, verb)
    # Outlives the window a little, so a task that runs late still finds its group; a lost task's
    # key expires, and the next notification opens a new window.
    if not get_redis().set(key, notification_id, nx=True, ex=window + 300):
        return "joined"
    try:
        task_named(GROUP_TASK).apply_async((recipient.pk, verb, notification_id), countdown=window)
    except Exception:
        get_redis().delete(key)  # else the group would wait for a task that never comes
        raise
    return "grouped"
