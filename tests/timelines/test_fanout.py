"""Fan-out on write: batches, who is left out, celebrities, idempotency, catch-up."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from social.graph import services as social
from tests.factories import UserFactory
from tests.timelines.conftest import entries
from tests.tweets.helpers import post
from timelines import rebuild as timeline_rebuild
from timelines import services
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return UserFactory(username="author")


def follow(*followers, to):
    for follower in followers:
        social.follow_create(follower=follower, followee=to)


def test_post_reaches_built_timelines_of_active_followers(
    author, active, built, store, settings, django_capture_on_commit_callbacks
):
    reader, idle, unbuilt = UserFactory(), UserFactory(), UserFactory()
    follow(reader, idle, unbuilt, to=author)
    active(reader, unbuilt)
    idle.last_seen_at = timezone.now() - timedelta(days=31)
    idle.save()
    built(reader)
    # Away for a month: the timeline outlived its unread expiry, which is the inactive window.
    expiry = settings.TIMELINE_INACTIVE_AFTER - timedelta(minutes=1)
    assert store.redis.ttl(store.home_key(reader.pk)) > expiry.total_seconds()
    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(author, "hello followers")
    assert entries(store, reader) == [tweet.pk]
    assert not store.home_exists(idle.pk)  # expired: not made again by a fan-out, rebuilt when back
    assert not store.home_exists(unbuilt.pk)  # no partial timelines
    tweet.refresh_from_db()
    assert tweet.fanned_out


def test_followers_who_muted_the_author_are_left_out(author, active, built, store):
    fan, muter = UserFactory(), UserFactory()
    follow(fan, muter, to=author)
    social.mute_create(muter=muter, muted=author)
    active(fan, muter)
    built(fan), built(muter)
    tweet = post(author, "x")
    services.fan_out(tweet.pk)
    assert entries(store, fan) == [tweet.pk]
    assert entries(store, muter) == []


def test_batches_cost_one_query_each(author, active, built, store, settings):
    settings.TIMELINE_FANOUT_BATCH = 2
    readers = [UserFactory() for _ in range(5)]
    follow(*readers, to=author)
    active(*readers)
    for reader in readers:
        built(reader)
    tweet = post(author, "x")
    with CaptureQueriesContext(connection) as captured:
        services.fan_out(tweet.pk)
    batch_queries = [q for q in captured if "social_follow" in q["sql"]]
    assert len(batch_queries) == 4  # three batches of up to 2, then the empty one that ends the walk
    assert all(entries(store, r) == [tweet.pk] for r in readers)


def test_redelivered_fan_out_changes_nothing(author, active, built, store):
    reader = UserFactory()
    follow(reader, to=author)
    active(reader)
    built(reader)
    tweet = post(author, "once")
    services.fan_out(tweet.pk)
    before = store.redis.zrange(store.home_key(reader.pk), 0, -1, withscores=True)
    services.fan_out(tweet.pk)
    assert store.redis.zrange(store.home_key(reader.pk), 0, -1, withscores=True) == before


def test_celebrities_are_not_fanned_out(author, active, built, store, settings):
    settings.TIMELINE_FANOUT_MAX_FOLLOWERS = 2
    readers = [UserFactory() for _ in range(3)]
    follow(*readers, to=author)
    active(*readers)
    for reader in readers:
        built(reader)
    earlier = post(author, "before anyone read me")
    timeline_rebuild.rebuild_recent(author.pk, store)  # a reader's page builds the author's recent set
    tweet = post(author, "to the masses")
    assert services.fan_out(tweet.pk) == 0
    assert all(entries(store, r) == [] for r in readers)
    assert store.recent_pages([author.pk], None, 10) == [tweet.pk, earlier.pk]  # merged at read time


def test_fan_out_never_starts_a_partial_recent_set(author, store, settings):
    """A recent set that isn't built (Redis restarted, or nobody read it yet) is left alone by fan-out:
    one holding only the newest post would hide every older one from the celebrity merge."""
    settings.TIMELINE_FANOUT_MAX_FOLLOWERS = 0
    earlier = post(author, "old news")
    tweet = post(author, "fresh")
    services.fan_out(tweet.pk)
    assert store.missing_recent([author.pk]) == [author.pk]
    timeline_rebuild.rebuild_recent(author.pk, store)
    assert store.recent_pages([author.pk], None, 10) == [tweet.pk, earlier.pk]


def test_fan_out_of_a_deleted_tweet_does_nothing(author, store):
    tweet = post(author, "gone")
    tweet_id = tweet.pk
    Tweet.objects.filter(pk=tweet_id).delete()
    assert services.fan_out(tweet_id) == 0


def test_pending_fan_outs_are_retried(author, active, built, store):
    reader = UserFactory()
    follow(reader, to=author)
    active(reader)
    built(reader)
    tweet = post(author, "missed")
    Tweet.objects.filter(pk=tweet.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    from config.kernel import ids

    old_id = ids.id_at(timezone.now() - timedelta(minutes=5))
    Tweet.objects.filter(pk=tweet.pk).update(id=old_id)
    assert services.fan_out_pending() == 1
    assert entries(store, reader) == [old_id]
    assert services.fan_out_pending() == 0
