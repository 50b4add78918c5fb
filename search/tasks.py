from celery import shared_task

from search import trends


@shared_task(acks_late=True)
def refresh_trends() -> int:
    """Rank trending hashtags and cache the list (beat, every minute)."""
    return len(trends.refresh())
