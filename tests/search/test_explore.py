"""Explore: trending topics and popular posts as well as people (issue 24)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from config.kernel import ids
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def _engage(tweet, likes=0, retweets=0):
    Tweet.objects.filter(pk=tweet.pk).update(like_count=likes, retweet_count=retweets)


def test_explore_shows_popular_posts_most_engaging_first(client, user, other_user):
    hidden = UserFactory(username="secretive", is_private=True)
    hot, warm = post(other_user, "The hot take of the day"), post(other_user, "A warm one")
    quiet = post(other_user, "Nobody noticed this")
    private = post(hidden, "Only my followers see this")
    old = post(other_user, "Yesterday's news, from last week")
    week_ago = ids.id_at(timezone.now() - timedelta(days=8))
    Tweet.objects.filter(pk=old.pk).update(id=week_ago, like_count=90)  # ids carry their time
    _engage(hot, likes=5, retweets=3)
    _engage(warm, likes=2)
    _engage(private, likes=50)
    cache.clear()
    html = client.get("/explore").content.decode()
    assert "Popular posts" in html and "Trends for you" in html and "Who to follow" in html
    assert html.index("The hot take") < html.index("A warm one")
    for absent in ("Nobody noticed", "Only my followers", "Yesterday's news"):
        assert absent not in html
    # Each viewer's blocks and mutes apply to the shared list.
    social.block_create(blocker=user, blocked=other_user)
    client.force_login(user)
    html = client.get("/explore").content.decode()
    assert "The hot take" not in html and "No posts are catching on right now." in html
    assert quiet.like_count == 0


def test_popular_posts_are_cached_and_work_while_redis_is_down(client, other_user, settings):
    _engage(post(other_user, "Cached take"), likes=3)
    cache.clear()
    assert "Cached take" in client.get("/explore").content.decode()
    dead = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}}
    assert "Cached take" in client.get("/explore").content.decode()
