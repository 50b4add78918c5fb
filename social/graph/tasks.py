"""Background upkeep for the social graph."""

from celery import shared_task

from accounts.models import User
from config.kernel.tasks import Slice, enqueue
from social.graph.services import muted_words_sweep, recount_follows


@shared_task(acks_late=True)
def reconcile_follow_counts(batch_size: int = 5000, after: int = 0) -> int:
    """Recount followers and following for every account whose stored counts drifted.

    In slices of accounts by id; past the time budget it queues itself to
    carry on (if that can't be queued, the next hourly run starts over).
    """
    fixed, last_id, budget = 0, after, Slice()
    while True:
        ids = list(User.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return fixed
        last_id = ids[-1]
        fixed += recount_follows(User.objects.filter(pk__gte=ids[0], pk__lte=last_id))
        if budget.over:
            enqueue(reconcile_follow_counts, batch_size, last_id)
            return fixed


@shared_task(acks_late=True)
def sweep_muted_words() -> int:
    """Beat, hourly: delete muted words past their expiry (they stopped matching already)."""
    return muted_words_sweep()
