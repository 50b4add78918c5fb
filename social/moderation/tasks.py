"""Background work for moderation."""

from celery import shared_task

from config.kernel.tasks import RETRY_WHILE_AWAY
from social.moderation.services import counts_recount_around


# Lost (Redis or a worker away)? The hourly reconciliations recount the same numbers.
@shared_task(bind=True, **RETRY_WHILE_AWAY)
def recount_around(self, user_id: int) -> int:
    """After a suspension is made or lifted: the counts this account adds to others, afresh."""
    return counts_recount_around(user_id=user_id)
