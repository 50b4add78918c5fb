from celery import shared_task

from notifications.events import send_to_group_on_commit


@shared_task(acks_late=True)
def announce_public(group: str, message: dict) -> None:
    """Tell Mastodon's public streams (social/mastodon/receivers.py): in a worker, so a post never waits on it."""
    send_to_group_on_commit(group, message)
