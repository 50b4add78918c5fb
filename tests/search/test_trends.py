"""Trends: hourly counts in Redis, ranked by growth against each tag's baseline."""

from datetime import timedelta

import pytest
from celery.result import allow_join_result
from django.utils import timezone

from search import trends
from search.tasks import refresh_trends
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services

pytestmark = pytest.mark.django_db


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


def test_a_rising_tag_beats_a_steady_bigger_one():
    for hour in range(27):
        trends.record(["steady"], hours_ago(hour), delta=20)  # 20 an hour, every hour: 60 in the recent three
    for hour in range(3):
        trends.record(["rising"], hours_ago(hour), delta=10)  # from nothing to 30
    trends.record(["tiny"], hours_ago(0), delta=2)  # too few uses to be a trend
    trends.record(["fading"], hours_ago(10), delta=50)  # busy yesterday, quiet now
    ranked = trends.compute()
    assert [t["hashtag"] for t in ranked] == ["rising", "steady"]
    assert ranked[0]["tweet_count"] == 30 and ranked[1]["tweet_count"] == 20 * 24
    assert ranked[0]["score"] > ranked[1]["score"] == 0


def test_posts_count_and_uncount_through_the_services(api_client, django_capture_on_commit_callbacks):
    ann, shy = UserFactory(username="ann"), UserFactory(username="shy", is_private=True)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            post(ann, f"post {i} #Launch #launch")  # one use per post, whatever the spelling
            post(shy, f"private {i} #secret")
        edited = post(ann, "first draft #draft #launch")
        services.tweet_edit(actor=ann, tweet=edited, text_input="second draft #final")
    assert [t["hashtag"] for t in trends.compute()] == ["launch"]  # counted once the posts committed
    with django_capture_on_commit_callbacks(execute=True):
        deleted = post(ann, "one more #final")

        post(ann, "and #final again")
        post(ann, "and #final once more")
        services.tweet_delete(actor=ann, tweet=deleted)

    counts = {t["hashtag"]: t["tweet_count"] for t in trends.refresh()}
    assert counts == {"launch": 3, "final": 3}  # the edit moved #launch and #draft off, #final on
    assert api_client.get("/api/v1/trends").json() == {
        "trends": [{"hashtag": "final", "tweetCount": 3}, {"hashtag": "launch", "tweetCount": 3}]
    }


def test_the_beat_task_caches_and_readers_use_the_cache():
    trends.record(["cached"], hours_ago(0), delta=5)
    # Another test in this process may have left Celery believing it runs inside a task.
    with allow_join_result():
        assert refresh_trends.delay().get(timeout=10) == 1
    trends.record(["later"], hours_ago(0), delta=50)
    assert [t["hashtag"] for t in trends.current()] == ["cached"]  # until the next refresh
    refresh_trends()
    assert [t["hashtag"] for t in trends.current()] == ["later", "cached"]


def test_trends_on_explore_and_in_the_sidebar(client):
    trends.record(["pancakes"], hours_ago(0), delta=4)
    assert "#pancakes" in client.get("/explore").content.decode()
    panel = client.get("/trends").content.decode()
    assert "#pancakes" in panel and "4 posts today" in panel
    assert 'hx-get="/trends"' in client.get("/search", {"q": "x"}).content.decode()  # every page loads the panel


def test_a_redis_failure_only_loses_the_count(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    trends.record(["lost"], hours_ago(0))
    assert "trend counts for ['lost'] missed" in caplog.text


def test_explore_and_following_work_while_redis_is_down(client, settings):
    from social.graph import services as social
    from social.graph.models import Follow

    ann, ben = UserFactory(username="ann"), UserFactory(username="ben")
    dead = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.REDIS_URL = dead
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}}
    client.force_login(ann)
    page = client.get("/explore")
    assert page.status_code == 200 and "Nothing is trending right now" in page.content.decode()
    assert client.get("/trends").status_code == 200
    assert social.follow_create(follower=ann, followee=ben) == "following"
    assert Follow.objects.filter(follower=ann, followee=ben).exists()


@pytest.fixture
def trending(django_capture_on_commit_callbacks):
    """Ann's #wave trends: three posts in the last hours."""
    ann = UserFactory(username="ann")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            post(ann, f"riding the #wave {i}")
    assert [t["hashtag"] for t in trends.refresh()] == ["wave"]
    return ann


def shown(api_client) -> list[str]:
    return [t["hashtag"] for t in api_client.get("/api/v1/trends").json()["trends"]]


def test_going_private_takes_an_accounts_tags_out_of_the_trends_and_public_brings_them_back(
    trending, api_client, django_capture_on_commit_callbacks
):
    from accounts import services as accounts

    with django_capture_on_commit_callbacks(execute=True):
        accounts.privacy_update(user=trending, is_private=True)
    assert shown(api_client) == []  # the cached ranking was redone, not left for the next beat
    assert trends.compute() == []
    with django_capture_on_commit_callbacks(execute=True):
        accounts.privacy_update(user=trending, is_private=False)
    assert shown(api_client) == ["wave"]
    assert trends.compute()[0]["tweet_count"] == 3


def test_a_repeated_recount_moves_nothing_twice(trending, django_capture_on_commit_callbacks):
    from accounts import services as accounts
    from search.tasks import recount_author

    with django_capture_on_commit_callbacks(execute=True):
        accounts.privacy_update(user=trending, is_private=True)
    assert recount_author(trending.pk) is False  # a redelivered task: already out
    with django_capture_on_commit_callbacks(execute=True):
        accounts.privacy_update(user=trending, is_private=False)
    assert recount_author(trending.pk) is False
    assert trends.compute()[0]["tweet_count"] == 3


def test_suspension_takes_them_out_and_lifting_it_brings_them_back(
    trending, moderator, api_client, django_capture_on_commit_callbacks
):
    from social.moderation.services import user_suspend, user_unsuspend

    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(moderator=moderator, user=trending, reason="spam")
    assert shown(api_client) == []
    with django_capture_on_commit_callbacks(execute=True):
        user_unsuspend(moderator=moderator, user=trending, reason="appeal")
    assert shown(api_client) == ["wave"]


def test_a_lost_recount_is_done_by_the_catch_up(trending):
    from accounts.models import User
    from search.tasks import reconcile_trend_authors

    User.objects.filter(pk=trending.pk).update(is_private=True)  # its recount_author task was lost
    assert reconcile_trend_authors() == 1
    assert trends.compute() == []
    assert reconcile_trend_authors() == 0
