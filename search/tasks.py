from celery import shared_task

from search import trends


@shared_task(acks_late=True)
def refresh_trends() -> int:
    """Rank trending hashtags and cache the list (beat, every minute)."""
    return len(trends.refresh())


@shared_task(acks_late=True)
def recount_author(author_id: int) -> bool:
    """An account's visibility changed: its hashtag uses leave or rejoin the trend counts (idempotent)."""
    return trends.author_counts_changed(author_id)


@shared_task(acks_late=True)
def reconcile_trend_authors() -> int:
    """Beat, every ten minutes: what a lost `recount_author` left undone."""
    return trends.reconcile_authors()
