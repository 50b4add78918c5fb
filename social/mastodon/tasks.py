from celery import shared_task

from notifications import catalogue, presence
from notifications.events import send_event_on_commit, send_to_group_on_commit


@shared_task(acks_late=True)
def announce_public(group: str, message: dict) -> None:
    """Tell Mastodon's public streams (social/mastodon/receivers.py): in a worker, so a post never waits on it."""
    send_to_group_on_commit(group, message)


@shared_task(acks_late=True)
def announce_filters_changed(user_id: int) -> None:
    """Tell the person's open streams that their filters (muted words) changed, if any is open."""
    if presence.online([user_id]):
        send_event_on_commit([user_id], catalogue.muted_words_changed())
