from celery import shared_task

from notifications.events import send_event_on_commit


def _unread_event(user_id: int) -> dict:
    """Both badges at once: unread notifications, and conversations with unread messages."""
    from notifications.selectors import unread_count
    from social.dm.selectors import unread_conversations

    return {"type": "unread", "notifications": unread_count(user_id), "messages": unread_conversations(user_id)}


@shared_task(acks_late=True)
def push_notification(notification_id: int) -> bool:
    """A new notification to its recipient's sockets (JSON and the page's HTML), then the unread count."""
    from accounts.models import User
    from notifications.selectors import live_notification_event

    recipient = User.objects.filter(notifications__pk=notification_id).first()
    event = live_notification_event(recipient, notification_id) if recipient else None
    if event is None:
        return False  # withdrawn (or no longer visible) before we got here
    send_event_on_commit([recipient.pk], event)
    send_event_on_commit([recipient.pk], _unread_event(recipient.pk))
    return True


@shared_task(acks_late=True)
def push_unread(user_id: int) -> None:
    send_event_on_commit([user_id], _unread_event(user_id))


@shared_task(acks_late=True)
def announce_entry(entry_id: int, author_id: int, user_ids: list[int]) -> int:
    """Tell followers with a page open that their home timeline has something new."""
    send_event_on_commit(user_ids, {"type": "timeline.new", "entryId": str(entry_id), "authorId": str(author_id)})
    return len(user_ids)


@shared_task(acks_late=True)
def purge_stale_presence() -> int:
    """Drop people whose last heartbeat is long gone (their socket died without closing)."""
    from notifications import presence

    return presence.forget_stale()
