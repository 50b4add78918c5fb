"""The tweet-cache experiment (bench/card_cache.py) on a few posts, in the real database and Redis."""

import pytest

from bench import card_cache
from tests.factories import UserFactory
from timelines.store import TimelineStore
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def test_both_ways_load_the_same_pages_and_leave_nothing_behind():
    author = UserFactory()
    Tweet.objects.bulk_create(Tweet(author=author, text=f"post {n}") for n in range(30))

    found = card_cache.measure(rounds=4)

    for way in ("sql", "redis"):
        assert found[way]["p95_ms"] > 0
        assert set(found[way]["cpu_ms"]) == {"web", "db", "redis", "total"}
    assert not list(TimelineStore().redis.scan_iter(match="bench:card:*"))


def test_a_cached_card_is_the_card():
    import pickle

    from tweets.selectors import load_cards

    author = UserFactory()
    tweet = Tweet.objects.create(author=author, text="hello")
    cached = pickle.loads(pickle.dumps(load_cards([tweet.pk])[0]))  # noqa: S301 - our own bytes
    assert (cached.pk, cached.text, cached.author.username) == (tweet.pk, "hello", author.username)
