"""Email tasks, on the `notifications` queue (config/celery.py). Thin: the deciding is in `delivery`."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from config.kernel.tasks import enqueue
from notifications.mail import delivery, kinds

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None)
def mail_notifications(self, user_id: int, kind: str) -> str:
    """The mail of `kind` for one person, if due. A refusing or unreachable server: retried with
    backoff EMAIL_SEND_RETRIES times, then given up and logged (the notifications stay in the app)."""
    try:
        return delivery.deliver(user_id, kind)
    except (SMTPException, OSError) as error:
        tries = self.request.retries + 1
        if self.request.retries >= settings.EMAIL_SEND_RETRIES:
            logger.error("email %s to user %s given up after %d tries: %r", kind, user_id, tries, error)
            return "given up"
        countdown = settings.EMAIL_RETRY_BACKOFF * 2**self.request.retries
        logger.warning("email %s to user %s failed (try %d), again in %ds: %r", kind, user_id, tries, countdown, error)
        raise self.retry(countdown=countdown, exc=error) from error


@shared_task(acks_late=True)
def sweep_email() -> int:
    """Every minute: the follow-ups whose window closed and the digests whose time came; how many queued.

    Everything it needs is in PostgreSQL (EmailState), so nothing is lost with Redis. At most
    EMAIL_BATCH people per kind per run; the next minute takes the rest.
    """
    jobs = delivery.follow_ups_due(settings.EMAIL_BATCH)
    for kind in kinds.PERIODIC:
        jobs += [(user_id, kind) for user_id in delivery.periodic_due(kind, settings.EMAIL_BATCH)]
    for user_id, kind in jobs:
        enqueue(mail_notifications, user_id, kind)
    return len(jobs)
