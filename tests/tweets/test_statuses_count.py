"""accounts_user.statuses_count and last_status_at, kept by the trigger of tweets migration 0013."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def counts(*users):
    return [User.objects.values_list("statuses_count", flat=True).get(pk=u.pk) for u in users]


def test_posting_counts_and_notes_the_time(user):
    first = post(user, "one")
    second = post(user, "two")

    found = User.objects.get(pk=user.pk)
    assert found.statuses_count == 2
    assert found.last_status_at == max(first.created_at, second.created_at)


def test_deleting_lowers_the_count_and_keeps_the_last_time(user):
    kept, gone = post(user, "kept"), post(user, "gone")
    last = User.objects.get(pk=user.pk).last_status_at

    services.tweet_delete(actor=user, tweet=gone)

    found = User.objects.get(pk=user.pk)
    assert (found.statuses_count, found.last_status_at) == (1, last)
    assert kept.pk


def test_retweets_count_for_the_retweeter_and_go_with_their_original(user, other_user):
    third = UserFactory()
    original = post(user, "retweet me")
    services.retweet_create(user=other_user, tweet_id=original.pk)
    services.retweet_create(user=third, tweet_id=original.pk)
    assert counts(user, other_user, third) == [1, 1, 1]

    services.retweet_delete(user=third, tweet_id=original.pk)
    assert counts(third) == [0]

    # The other retweet goes with the original (a database cascade): its author's count follows.
    services.tweet_delete(actor=user, tweet=original)
    assert counts(user, other_user) == [0, 0]


def test_a_bulk_load_counts_each_author_once_per_statement(user, other_user):
    old = timezone.now() - timedelta(days=3)
    Tweet.objects.bulk_create(
        [Tweet(author=user, text=f"bulk {i}", created_at=old + timedelta(minutes=i)) for i in range(5)]
        + [Tweet(author=other_user, text="bulk", created_at=old)]
    )

    assert counts(user, other_user) == [5, 1]
    assert User.objects.get(pk=user.pk).last_status_at == old + timedelta(minutes=4)


def test_an_older_post_never_moves_the_last_time_back(user):
    post(user, "now")
    latest = User.objects.get(pk=user.pk).last_status_at
    Tweet.objects.create(author=user, text="imported", created_at=latest - timedelta(days=30))

    found = User.objects.get(pk=user.pk)
    assert (found.statuses_count, found.last_status_at) == (2, latest)


def test_a_profile_saved_after_a_post_keeps_the_count(user):
    # The user row is loaded before the post and saved after it: the services save only the fields
    # they change, so the trigger's count is not written back stale.
    loaded = User.objects.get(pk=user.pk)
    post(user, "after loading")
    account_services.profile_update(user=loaded, changes={"bio": "new bio"})
    assert counts(user) == [1]
