"""The celebrity rows (bench/celebrities.py) on a handful of accounts, in the real database and Redis."""

import pytest

from accounts.models import User
from bench import celebrities
from social.graph.models import Follow
from tests.factories import UserFactory
from timelines.selectors import celebrities_followed
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    """20 celebrities (8 fans each, over a threshold of 5) and 7 ordinary accounts with a post each."""
    settings.TIMELINE_FANOUT_MAX_FOLLOWERS = 5  # ordinary accounts end with 4 followers at most: the readers
    ordinary = UserFactory.create_batch(7)
    fans = UserFactory.create_batch(8)  # no posts: never picked as ordinary accounts or readers
    stars = UserFactory.create_batch(20)
    for person in ordinary:
        Tweet.objects.create(author=person, text=f"hello from {person.username}")
    for star in stars:
        Tweet.objects.create(author=star, text=f"a word from {star.username}")
        Follow.objects.bulk_create(Follow(follower=fan, followee=star) for fan in fans)
    User.objects.filter(pk__in=[s.pk for s in stars]).update(followers_count=len(fans))
    return {"stars": [s.pk for s in stars], "ordinary": [o.pk for o in ordinary]}


def test_the_readers_follow_the_same_accounts_and_0_1_5_or_20_celebrities(world):
    assert celebrities.celebrities() == sorted(world["stars"])
    readers = celebrities.set_up_readers(sorted(world["stars"]), ordinary_count=3)
    assert sorted(readers) == [0, 1, 5, 20]
    for count, reader in readers.items():
        assert len(celebrities_followed(reader)) == count
        assert Follow.objects.filter(follower_id=reader).count() == 3 + count
        assert User.objects.get(pk=reader).following_count == 3 + count

    found = celebrities.reads(readers, rounds=3)
    assert [found[count]["celebrities_followed"] for count in (0, 1, 5, 20)] == [0, 1, 5, 20]
    assert found[0]["from_celebrities"] == 0 and found[20]["from_celebrities"] > 0
    assert all(row["entries"] > 0 and row["p95_ms"] > 0 for row in found.values())


def test_a_celebrity_post_saves_a_fan_out_to_every_active_follower(world):
    saved = celebrities.fan_out_saved(world["stars"][0])
    assert saved["followers"] == 8
    assert saved["as_celebrity"]["inserted"] == 0  # merged at read time instead
    assert saved["as_ordinary"]["inserted"] == 8
    assert saved["inserts_saved"] == 8
