"""config/kernel/sql.py: the hand-written queries' helpers, on the real database."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.kernel.sql import insert_once
from social.graph.models import Follow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_insert_once_adds_a_row_the_first_time_only():
    ann, bob = UserFactory(), UserFactory()
    assert insert_once(Follow, follower_id=ann.pk, followee_id=bob.pk, created_at=timezone.now())
    assert not insert_once(Follow, follower_id=ann.pk, followee_id=bob.pk, created_at=timezone.now())
    assert Follow.objects.filter(follower=ann, followee=bob).count() == 1
    # The transaction is still usable after the repeat: no error was raised and caught.
    assert Follow.objects.count() == 1


def test_insert_once_still_refuses_what_breaks_a_check():
    ann = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_once(Follow, follower_id=ann.pk, followee_id=ann.pk, created_at=timezone.now())  # follow_not_self
