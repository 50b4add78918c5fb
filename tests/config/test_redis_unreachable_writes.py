"""The page forms answer success while Redis and the broker are unreachable, and the rows are in PostgreSQL.

Follow, unfollow, block, like and post, as a person without JavaScript does
them. Real commits (`transaction=True`), so the after-commit work runs as in
production. Two ways the broker can be away: tasks run in place and meet
the dead Redis themselves ("eager"), or the broker's breaker is open and
nothing is scheduled at all ("broker down").
"""

import uuid

import pytest

from config.kernel.redis import address_of, breaker
from social.graph.models import Block, Follow
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFUSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture(params=["eager", "broker down"])
def redis_unreachable(request, settings):
    settings.REDIS_URL = REFUSED
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": REFUSED}}
    settings.CHANNEL_LAYERS = {"default": {**settings.CHANNEL_LAYERS["default"], "CONFIG": {"hosts": [REFUSED]}}}
    if request.param == "broker down":
        settings.CELERY_BROKER_URL = REFUSED
        breaker(address_of(REFUSED)).trip(ConnectionRefusedError("test: broker away"))


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def page(client, ann, redis_unreachable):
    client.force_login(ann)
    return client


def done(response):
    assert response.status_code == 302, (response.status_code, response.content[:300])


def test_follow_then_unfollow(page, ann, bob):
    done(page.post("/@bob/follow", {"next": "/@bob"}))
    assert Follow.objects.filter(follower=ann, followee=bob).exists()
    done(page.post("/@bob/unfollow", {"next": "/@bob"}))
    assert not Follow.objects.filter(follower=ann, followee=bob).exists()


def test_follow_a_followed_back_account(page, ann, bob):
    """Following someone with posts merges them into a timeline: still only after the commit."""
    Follow.objects.create(follower=bob, followee=ann)
    post(bob, "already here")
    done(page.post("/@bob/follow", {"next": "/@bob"}))
    assert Follow.objects.filter(follower=ann, followee=bob).exists()


def test_block(page, ann, bob):
    Follow.objects.create(follower=ann, followee=bob)
    done(page.post("/@bob/block", {"next": "/@bob"}))
    assert Block.objects.filter(blocker=ann, blocked=bob).exists()
    assert not Follow.objects.exists()


def test_like(page, ann, bob):
    tweet = post(bob, "like me")
    done(page.post(f"/tweets/{tweet.pk}/like", {"next": "/"}))
    assert Like.objects.filter(user=ann, tweet=tweet).exists()


def test_post(page, ann):
    done(page.post("/compose", {"text": "still posting #up", "form_token": uuid.uuid4(), "next": "/"}))
    assert Tweet.objects.filter(author=ann, text="still posting #up").exists()
