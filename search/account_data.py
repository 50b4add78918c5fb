"""What search does when an account is being deleted (connected in config/wiring.py)."""

from __future__ import annotations

from accounts.models import User
from config.kernel.tasks import enqueue_on_commit
from search.tasks import recount_author


def deletion_asked(*, user: User) -> None:
    """Out of the trends now, not when its rows go."""
    enqueue_on_commit(recount_author, user.pk)
