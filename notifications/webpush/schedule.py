"""Deciding, on the request that made a notification, whether and when it is pushed.

Cheap on purpose (it runs for every like): a Redis GET says whether the person has
any browser subscribed (no query), and then either

- a type that groups (likes, retweets, follows: notifications.selectors.GROUPED)
  waits WEBPUSH_GROUP_WINDOW from the first of its kind: the first one sets a
  Redis key (SET NX) and adds one job due at the window's end (webpush/due.py);
  the others find the key and do nothing. The job, when due, pushes everything of
  that kind that came meanwhile as one push per post ("Ada and 9 others liked your post");
- any other type is pushed at once (one task).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from config.kernel.redis import get_redis
from config.kernel.tasks import enqueue
from notifications.selectors import GROUPED
from notifications.webpush import due, subscriptions

logger = logging.getLogger(__name__)
NOTIFY_TASK = "notifications.tasks.webpush_notification"


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
    # Outlives the window by a minute, so a job run a little late still finds its group; a lost
    # job's key expires, and the next notification opens a new window. One that expires before its
    # job runs costs nothing twice: the job's high-water mark (push.done_key) skips what it told.
    if not get_redis().set(key, notification_id, nx=True, ex=window + 60):
        return "joined"
    try:
        job = {"kind": "group", "recipient": recipient.pk, "verb": verb, "first": notification_id}
        due.add(job, time.time() + window)
    except Exception:
        get_redis().delete(key)  # else the group would wait for a job that never comes
        raise
    return "grouped"
