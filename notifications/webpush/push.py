"""Pushing notifications to a person's browsers (the work of the tasks in notifications/tasks.py).

Each push goes to every browser the person subscribed; a browser whose push
service answers 429, 5xx or nothing gets its own retries (with backoff, honouring
Retry-After), never more than WEBPUSH_MAX_RETRIES and never past the push's TTL.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils import translation

from accounts.models import User
from config.kernel.languages import supported
from config.kernel.redis import get_redis
from config.kernel.tasks import enqueue
from notifications import selectors
from notifications.models import Notification, PushSubscription
from notifications.webpush import delivery, due, schedule, subscriptions

logger = logging.getLogger(__name__)
GROUP_TASK = "notifications.tasks.webpush_group"
SEND_TASK = "notifications.tasks.webpush_send"


def _unread(user):
    return selectors.visible_notifications(user).filter(read_at__isnull=True).select_related("tweet__author")


def push_notification(notification_id: int) -> int:
    """One notification (a reply, a mention, a message...), if still there and unread; pushes sent."""
    user = User.objects.filter(notifications__pk=notification_id, is_active=True).first()
    if user is None:
        return 0  # withdrawn meanwhile
    found = list(_unread(user).filter(pk=notification_id))
    return push_rows(user, found) if found else 0


def done_key(recipient_id: int, verb: str) -> str:
    return f"push:done:{recipient_id}:{verb}"


def push_group(recipient_id: int, verb: str, first_id: int) -> int:
    """Everything of `verb` for the person since `first_id` that no push has told yet, one push
    per in-app group (the same post); pushes sent."""
    redis = get_redis()
    redis.delete(schedule.waiting_key(recipient_id, verb))  # from now on a new one opens the next window
    pushed_up_to = int(redis.get(done_key(recipient_id, verb)) or 0)
    user = User.objects.filter(pk=recipient_id, is_active=True).first()
    if user is None:
        return 0
    found = list(_unread(user).filter(verb=verb, pk__gte=first_id, pk__gt=pushed_up_to).order_by("-pk")[:1000])
    if not found:
        return 0
    by_id = {row.pk: row for row in found}
    sent = 0
    for group in selectors.group(found):
        sent += push_rows(user, [by_id[pk] for pk in group.ids])
    # A redelivered task, or the next window's, doesn't tell these again.
    redis.set(done_key(recipient_id, verb), max(by_id), ex=24 * 60 * 60)
    return sent


def push_rows(user, rows: list[Notification]) -> int:
    """One push about `rows` (one group) to each of the person's browsers; how many took it at once.

    Worded in the person's language (their setting; blank: the site's), not the request's or task's.
    """
    with translation.override(supported(user.language) or settings.LANGUAGE_CODE):
        data = delivery.payload(rows)
    urgency = delivery.urgency_of(rows[0].verb)
    expires_at = time.time() + settings.WEBPUSH_TTL
    sent = 0
    for subscription in PushSubscription.objects.filter(user=user):
        sent += attempt(subscription.pk, data, urgency, expires_at, tries=0, subscription=subscription)
    return sent


def attempt(subscription_id: int, data: dict, urgency: str, expires_at: float, tries: int, subscription=None) -> int:
    """Try one browser once; on a passing failure, queue the next try. 1 if it took the push."""
    subscription = subscription or PushSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return 0  # removed meanwhile
    left = expires_at - time.time()
    if left <= 0:
        logger.info("push to subscription %s given up: past its TTL", subscription_id)
        return 0
    outcome = delivery.send(subscription, data, urgency=urgency, ttl=int(left))
    if outcome.kind == "sent":
        subscriptions.used(subscription_id)
        return 1
    if outcome.kind == "gone":
        subscriptions.expired(subscription_id, subscription.user_id)
        logger.info("push subscription %s removed: its service answered %s", subscription_id, outcome.status)
        return 0
    if outcome.kind == "failed":
        logger.warning("push to subscription %s failed: %s", subscription_id, outcome.reason)
        return 0
    delay = delivery.retry_delay(outcome, tries)
    if tries >= settings.WEBPUSH_MAX_RETRIES or time.time() + delay >= expires_at:
        logger.warning(
            "push to subscription %s given up after %s tries: %s", subscription_id, tries + 1,
            outcome.status or outcome.reason,
        )  # fmt: skip
        return 0
    job = {"kind": "send", "subscription": subscription_id, "data": data, "urgency": urgency,
           "expires": expires_at, "tries": tries + 1}  # fmt: skip
    due.add(job, time.time() + delay)
    return 0


def run_due(now: float | None = None) -> int:
    """Queue a task for each waiting job that is due (the beat task `webpush_due`); how many."""
    queued = 0
    for job in due.take(now):
        if job["kind"] == "group":
            enqueue(GROUP_TASK, job["recipient"], job["verb"], job["first"])
        else:
            enqueue(SEND_TASK, job["subscription"], job["data"], job["urgency"], job["expires"], job["tries"])
        queued += 1
    return queued
