"""Email tasks, on the `notifications` queue (config/celery.py). Thin: the deciding is in `delivery`."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from config.kernel.tasks import enqueue
from notifications.mail import delivery, kinds


@shared_task(acks_late=True)
def mail_notifications(user_id: int, kind: str) -> str:
    """The mail of `kind` for one person, if due (a refusing server: counted, and tried again by the sweep)."""
    return delivery.deliver(user_id, kind)


@shared_task(acks_late=True)
def sweep_email() -> int:
    """Every minute: the follow-ups whose window closed, the retries whose time came, and the digests
    whose time came; how many queued.

    Everything it needs is in PostgreSQL (EmailState), so nothing is lost with Redis. At most
    EMAIL_BATCH people per kind per run; the next minute takes the rest.
    """
    jobs = delivery.follow_ups_due(settings.EMAIL_BATCH)
    for kind in kinds.PERIODIC:
        jobs += [(user_id, kind) for user_id in delivery.periodic_due(kind, settings.EMAIL_BATCH)]
    for user_id, kind in jobs:
        enqueue(mail_notifications, user_id, kind)
    return len(jobs)
