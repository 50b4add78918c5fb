"""Deciding and sending, one person and one kind at a time, under that (person, kind)'s row lock.

The lock (EmailState, SELECT ... FOR UPDATE) makes two workers with the same
job take turns: the second finds the mail sent and the window or the digest's
period running, and sends nothing. The mail is sent inside the transaction: if
the server refuses, the state rolls back and the retry (or the next sweep)
finds everything as it was, so nothing is lost; a crash between the server's
"250 OK" and the commit could send one mail twice, never none.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from accounts.models import User
from config.kernel.sql import insert_once
from notifications import preferences, presence
from notifications.mail import compose, content, kinds
from notifications.models import EmailState

logger = logging.getLogger(__name__)
LOOKBACK = timedelta(days=1)  # a first mail of a kind reaches back this far, no further


def window() -> timedelta:
    return timedelta(seconds=settings.EMAIL_NOTIFICATION_WINDOW)


def deliver(user_id: int, kind: str) -> str:
    """Send the mail of `kind` to the person if it is due; what happened, in a word or two (for logs and tests).

    A server that refuses or can't be reached: the state rolls back, the failure is
    counted, and the minute's sweep tries again later (backing off), until given up.
    """
    if kind not in kinds.KINDS:
        return "unknown kind"
    address = content.verified_address(user_id)
    if address is None and kind not in kinds.PERIODIC:
        return "no verified address"  # most people without one: no row, no lock
    insert_once(EmailState, user_id=user_id, kind=kind)
    try:
        with transaction.atomic():
            locked = EmailState.objects.select_for_update(of=("self",)).select_related("user")
            state = locked.get(user=user_id, kind=kind)
            now = timezone.now()
            deliver_kind = _periodic if kind in kinds.PERIODIC else _immediate
            # In the person's language (blank: the site's): the mail's words are made here, with no request.
            with translation.override(state.user.language or settings.LANGUAGE_CODE):
                outcome = deliver_kind(state, now, address)
            if outcome == "sent":
                state.failures = 0
            state.save()
    except (SMTPException, OSError) as error:
        return _refused(user_id, kind, error)
    logger.info("email %s to user %s: %s", kind, user_id, outcome)
    return outcome


def _refused(user_id: int, kind: str, error: Exception) -> str:
    """Count a refusal; try again after EMAIL_RETRY_BACKOFF seconds, doubling, EMAIL_SEND_RETRIES times.

    Kept in the row rather than in a Celery retry: a countdown longer than the broker's
    visibility timeout would run twice, and this way a Redis restart loses no retry.
    Given up, what the mail held is skipped (it stays in the app), and the next mail starts afresh.
    """
    with transaction.atomic():
        state = EmailState.objects.select_for_update().get(user=user_id, kind=kind)
        now, tries = timezone.now(), state.failures + 1
        if tries > settings.EMAIL_SEND_RETRIES:
            logger.error("email %s to user %s given up after %d tries: %r", kind, user_id, tries, error)
            state.failures, state.follow_up_at, state.mailed_until = 0, None, now
            if kind in kinds.PERIODIC:
                state.due_at = now + kinds.PERIOD[kind]
            state.save()
            return "given up"
        later = now + timedelta(seconds=settings.EMAIL_RETRY_BACKOFF * 2 ** (tries - 1))
        state.failures = tries
        if kind in kinds.PERIODIC:
            state.due_at = later
        else:
            state.follow_up_at = later
        state.save()
    logger.warning("email %s to user %s refused (try %d), again at %s: %r", kind, user_id, tries, later, error)
    return "refused"


def _immediate(state: EmailState, now, address: str) -> str:
    user, kind = state.user, state.kind
    if not user.is_active or preferences.of(user).email(kind) != "immediately":
        state.follow_up_at = None
        return "off"
    if state.failures and state.follow_up_at and now < state.follow_up_at:
        return "later"  # the server refused the last try: wait for the next one, which takes this too
    if state.last_sent_at and now < state.last_sent_at + window():
        # One mail per window: what arrives now waits for its end, then goes in one mail (the sweep sends it).
        state.follow_up_at = state.follow_up_at or state.last_sent_at + window()
        return "later"
    state.follow_up_at = None
    batch = content.pending(user, [kind], since=state.mailed_until or now - LOOKBACK)
    if not batch:
        return "nothing"
    if presence.is_online(user.pk):
        state.mailed_until = batch.newest  # seen in the site as it came: not mailed later either
        return "online"
    compose.notifications_mail(user=user, kind=kind, to=address, batch=batch).send()
    state.last_sent_at, state.mailed_until = now, batch.newest
    return "sent"


def _periodic(state: EmailState, now, address: str | None) -> str:
    user, kind = state.user, state.kind
    if state.due_at and state.due_at > now:
        return "not due"
    period = kinds.PERIOD[kind]
    # Slack for the sweep's own timing, so an hourly digest isn't pushed to every other hour.
    state.due_at = now + period - timedelta(minutes=2)
    prefs = preferences.of(user)
    verbs = prefs.digest_types(kind) if kind in kinds.DIGESTS else []
    if not user.is_active or (kind == kinds.WEEKLY and not prefs.weekly_digest) or (kind != kinds.WEEKLY and not verbs):
        return "off"
    if address is None:
        return "no verified address"
    if kind == kinds.WEEKLY:
        posts = content.weekly_posts(user)
        if not posts:
            return "nothing"
        compose.weekly_mail(user=user, to=address, posts=posts).send()
    else:
        batch = content.pending(user, verbs, since=state.mailed_until or now - period)
        if not batch:
            return "nothing"
        compose.notifications_mail(user=user, kind=kind, to=address, batch=batch).send()
        state.mailed_until = batch.newest
    state.last_sent_at = now
    return "sent"


# --- what the minute's sweep takes on ----------------------------------------------------------


def follow_ups_due(limit: int) -> list[tuple[int, str]]:
    """(user id, kind) whose window has closed with mail waiting."""
    due = EmailState.objects.filter(follow_up_at__lte=timezone.now()).order_by("follow_up_at")
    return list(due.values_list("user_id", "kind")[:limit])


def periodic_due(kind: str, limit: int) -> list[int]:
    """People who chose `kind` ("hourly", "daily", "weekly") and whose next look has come (or never was)."""
    if kind == kinds.WEEKLY:
        chose = Q(notification_prefs__contains={"weeklyDigest": True})
    else:
        # Only non-default choices are stored, and no type defaults to a digest: the JSON says who chose one.
        # Containment, one per type, so the GIN index on the preferences answers (a jsonpath wildcard can't).
        chose = Q()
        for verb in preferences.TYPES:
            chose |= Q(notification_prefs__contains={"email": {verb: kind}})
    waiting = EmailState.objects.filter(user=OuterRef("pk"), kind=kind, due_at__gt=timezone.now())
    people = (
        User.objects.filter(chose, is_active=True).filter(~Exists(waiting)).order_by("pk").values_list("pk", flat=True)
    )
    return list(people[:limit])
