from celery import shared_task

from notifications.events import send_event_now


@shared_task(acks_late=True)
def announce_entry(entry_id: int, author_id: int, user_ids: list[int]) -> int:
    """Tell followers with a page open that their home timeline has something new."""
    send_event_now(user_ids, {"type": "timeline.new", "entryId": str(entry_id), "authorId": str(author_id)})
    return len(user_ids)


@shared_task(acks_late=True)
def purge_stale_presence() -> int:
    """Drop people whose last heartbeat is long gone (their socket died without closing)."""
    from notifications import presence

    return presence.forget_stale()
