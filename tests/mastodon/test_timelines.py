"""Mastodon's home, public and tag timelines (issue 22)."""

import pytest

from social.graph import services as graph_services
from social.graph.models import FollowRequest
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tests.tweets.helpers import post
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db


def test_home_reads_the_same_timeline_as_chirp(user, api_as):
    followed, stranger = UserFactory(), UserFactory()
    graph_services.follow_create(follower=user, followee=followed)
    posts = [post(followed, f"p{i}") for i in range(5)]
    post(stranger, "not followed")
    api = masto(user)
    page = api.get("/api/v1/timelines/home", {"limit": 3})
    assert page.status_code == 200
    ids = [s["id"] for s in page.json()]
    assert ids == [str(p.pk) for p in posts[:1:-1]]
    native = api_as(user).get("/api/v1/timeline/home", {"limit": 3}).json()
    assert [t["id"] for t in native["tweets"]] == ids
    older = api.get(link_of(page, "next")).json()
    assert [s["id"] for s in older] == [str(posts[1].pk), str(posts[0].pk)]
    newer = api.get("/api/v1/timelines/home", {"min_id": posts[0].pk, "limit": 2}).json()
    assert [s["id"] for s in newer] == [str(posts[2].pk), str(posts[1].pk)]
    since = api.get("/api/v1/timelines/home", {"since_id": posts[3].pk}).json()
    assert [s["id"] for s in since] == [str(posts[4].pk)]
    assert masto(user, "write").get("/api/v1/timelines/home").status_code == 403


def test_home_query_count(user, django_assert_max_num_queries):
    friends = [UserFactory() for _ in range(4)]
    for friend in friends:
        graph_services.follow_create(follower=user, followee=friend)
    for i in range(20):
        quoted = post(friends[i % 4], f"q{i} #x")
        tweet_services.retweet_create(user=friends[(i + 1) % 4], tweet_id=post(friends[i % 4], f"r{i}").pk)
        post(friends[(i + 2) % 4], f"quote {i}", quote_of_id=quoted.pk)
    api = masto(user)
    api.get("/api/v1/timelines/home")  # the first read may rebuild the timeline
    with django_assert_max_num_queries(10):
        response = api.get("/api/v1/timelines/home", {"limit": 40})
    assert len(response.json()) == 40


def test_public_and_tag_timelines(user, api_client, django_assert_max_num_queries):
    locked = UserFactory(is_private=True)
    graph_services.follow_create(follower=user, followee=locked)
    graph_services.follow_request_approve(target=locked, request_id=FollowRequest.objects.get().pk)
    posts = [post(UserFactory(), f"open {i} #Birds") for i in range(4)]
    locked_post = post(locked, "locked #birds")
    tweet_services.retweet_create(user=user, tweet_id=posts[0].pk)
    api = masto(user)
    with django_assert_max_num_queries(10):
        public = api.get("/api/v1/timelines/public", {"local": "true", "limit": 3})
    assert [s["id"] for s in public.json()] == [str(p.pk) for p in posts[:0:-1]]
    assert [s["id"] for s in api.get(link_of(public, "next")).json()] == [str(posts[0].pk)]
    assert api.get("/api/v1/timelines/public", {"remote": "true"}).json() == []
    assert len(api_client.get("/api/v1/timelines/public").json()) == 4  # no token: public posts
    with django_assert_max_num_queries(10):
        tag = api.get("/api/v1/timelines/tag/birds", {"limit": 2})
    # A private account's post is in the tag for its follower, never in the public timeline.
    assert [s["id"] for s in tag.json()] == [str(locked_post.pk), str(posts[3].pk)]
    assert tag.json()[0]["visibility"] == "private"
    assert str(locked_post.pk) not in [s["id"] for s in api_client.get("/api/v1/timelines/tag/birds").json()]
    assert "max_id=" in link_of(tag, "next") and "min_id=" in link_of(tag, "prev")
