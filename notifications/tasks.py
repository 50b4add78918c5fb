from celery import shared_task

from accounts.models import User
from notifications import catalogue, presence
from notifications.events import send_event_on_commit
from notifications.selectors import live_notification_event, live_unread_event
from notifications.webpush import push as webpush
from social.graph.muted_words import spared
from tweets.selectors import entry_for_muted_words


@shared_task(acks_late=True)
def push_notification(notification_id: int) -> bool:
    """A new notification to its recipient's sockets (JSON and the page's HTML), then the unread count."""
    recipient = User.objects.filter(notifications__pk=notification_id).first()
    event = live_notification_event(recipient, notification_id) if recipient else None
    if event is None:
        return False  # withdrawn (or no longer visible) before we got here
    send_event_on_commit([recipient.pk], event)
    send_event_on_commit([recipient.pk], live_unread_event(recipient.pk))
    return True


@shared_task(acks_late=True)
def push_unread(user_id: int) -> None:
    send_event_on_commit([user_id], live_unread_event(user_id))


@shared_task(acks_late=True)
def announce_entry(entry_id: int, author_id: int, user_ids: list[int]) -> int:
    """Tell followers with a page open that their home timeline has something new.

    Not those whose muted words hide the entry: their timeline won't show it either.
    """
    user_ids = _not_muting(entry_id, user_ids)
    send_event_on_commit(user_ids, catalogue.timeline_new(entry_id, author_id))
    return len(user_ids)


def _not_muting(entry_id: int, user_ids: list[int]) -> list[int]:
    return spared(user_ids, "home", lambda: entry_for_muted_words(entry_id))


@shared_task(acks_late=True)
def purge_stale_presence() -> int:
    """Drop people whose last heartbeat is long gone (their socket died without closing)."""
    return presence.forget_stale()


# --- Web Push (notifications/webpush) -------------------------------------------------------


@shared_task(acks_late=True)
def webpush_notification(notification_id: int) -> int:
    """Push one notification to its recipient's browsers."""
    return webpush.push_notification(notification_id)


@shared_task(acks_late=True)
def webpush_group(recipient_id: int, verb: str, first_id: int) -> int:
    """The end of a grouping window: one push per group of likes, retweets or follows."""
    return webpush.push_group(recipient_id, verb, first_id)


@shared_task(acks_late=True)
def webpush_due() -> int:
    """Every few seconds (beat): the grouping windows that have ended and the retries that are due."""
    return webpush.run_due()


@shared_task(acks_late=True)
def webpush_send(subscription_id: int, data: dict, urgency: str, expires_at: float, tries: int) -> int:
    """Another try for one browser, after a 429, a 5xx or no answer."""
    return webpush.attempt(subscription_id, data, urgency, expires_at, tries)
