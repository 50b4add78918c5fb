import pytest
from django.utils import timezone

from timelines import rebuild as timeline_rebuild
from timelines.store import TimelineStore


@pytest.fixture
def store():
    return TimelineStore()


@pytest.fixture
def active(db):
    """Mark people as recent visitors, so fan-out includes them."""

    def mark(*users):
        for user in users:
            user.last_seen_at = timezone.now()
            user.save(update_fields=["last_seen_at"])

    return mark


@pytest.fixture
def built(store):
    """Build (or rebuild) someone's Redis timeline from PostgreSQL."""

    def build(user):
        return timeline_rebuild.rebuild_home(user.pk, store)

    return build


def entries(store, user, count=1000):
    ids, _ = store.home_page(user.pk, None, count)
    return ids
