"""Mastodon's `prev` links (min_id) on the collections that page by their rows: favourited_by,
reblogged_by, followers, following, favourites, bookmarks, blocks, mutes (issue 22)."""

import pytest

from social.graph import services as graph_services
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tests.tweets.helpers import post
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


def _walk(api, path, expected_newest_first, assert_max, queries):
    """Four items newest first: a page of 2, `next` to the older 2, `prev` back to the newer 2;
    `min_id` / `since_id` read newer rows only; a new row shows up through the first page's `prev`."""
    newest, older = expected_newest_first[:2], expected_newest_first[2:4]
    with assert_max(queries):
        first = api.get(path, {"limit": 2})
    assert _ids(first) == newest
    second = api.get(link_of(first, "next"))
    assert _ids(second) == older
    assert "min_id=" in link_of(second, "prev") and "limit=2" in link_of(second, "prev")
    with assert_max(queries):
        back = api.get(link_of(second, "prev"))
    assert _ids(back) == newest  # following prev returns the newer items
    assert _ids(api.get(link_of(first, "prev"))) == []  # nothing newer yet
    # since_id: the newest above; min_id: the oldest above (both newest first).
    limit_one_since = api.get(link_of(second, "prev").replace("min_id=", "since_id=").replace("limit=2", "limit=1"))
    assert _ids(limit_one_since) == newest[:1]
    limit_one_min = api.get(link_of(second, "prev").replace("limit=2", "limit=1"))
    assert _ids(limit_one_min) == newest[1:]
    return first


def test_favourited_by_and_reblogged_by(user, django_assert_max_num_queries):
    target = post(UserFactory(), "liked")
    fans = [UserFactory() for _ in range(4)]
    for fan in fans:
        tweet_services.like_create(user=fan, tweet_id=target.pk)
        tweet_services.retweet_create(user=fan, tweet_id=target.pk)
    api = masto(user)
    expected = [str(f.pk) for f in reversed(fans)]
    for kind in ("favourited_by", "reblogged_by"):
        first = _walk(api, f"/api/v1/statuses/{target.pk}/{kind}", expected, django_assert_max_num_queries, 10)
        late = UserFactory()
        tweet_services.like_create(user=late, tweet_id=target.pk)
        tweet_services.retweet_create(user=late, tweet_id=target.pk)
        assert _ids(api.get(link_of(first, "prev"))) == [str(late.pk)]
        expected = [str(late.pk), *expected]


def test_followers_and_following(user, django_assert_max_num_queries):
    people = [UserFactory() for _ in range(4)]
    for other in people:
        graph_services.follow_create(follower=other, followee=user)
        graph_services.follow_create(follower=user, followee=other)
    api = masto(user)
    expected = [str(p.pk) for p in reversed(people)]
    first = _walk(api, f"/api/v1/accounts/{user.pk}/followers", expected, django_assert_max_num_queries, 10)
    _walk(api, f"/api/v1/accounts/{user.pk}/following", expected, django_assert_max_num_queries, 10)
    late = UserFactory()
    graph_services.follow_create(follower=late, followee=user)
    assert _ids(api.get(link_of(first, "prev"))) == [str(late.pk)]


def test_favourites_and_bookmarks(user, django_assert_max_num_queries):
    posts = [post(UserFactory(), f"p{i}") for i in range(4)]
    for p in posts:
        tweet_services.like_create(user=user, tweet_id=p.pk)
        tweet_services.bookmark_create(user=user, tweet_id=p.pk)
    api = masto(user)
    expected = [str(p.pk) for p in reversed(posts)]
    first = _walk(api, "/api/v1/favourites", expected, django_assert_max_num_queries, 12)
    _walk(api, "/api/v1/bookmarks", expected, django_assert_max_num_queries, 12)
    # The key is the like's, not the post's: liking the oldest post again puts it on the newer side.
    tweet_services.like_delete(user=user, tweet_id=posts[0].pk)
    tweet_services.like_create(user=user, tweet_id=posts[0].pk)
    assert _ids(api.get(link_of(first, "prev"))) == [str(posts[0].pk)]


def test_blocks_and_mutes(user, django_assert_max_num_queries):
    people = [UserFactory() for _ in range(4)]
    for other in people:
        graph_services.block_create(blocker=user, blocked=other)
    api = masto(user)
    expected = [str(p.pk) for p in reversed(people)]
    _walk(api, "/api/v1/blocks", expected, django_assert_max_num_queries, 10)
    for other in people:
        graph_services.block_delete(blocker=user, blocked=other)
        graph_services.mute_create(muter=user, muted=other)
    _walk(api, "/api/v1/mutes", expected, django_assert_max_num_queries, 10)


def test_unreadable_ids_are_ignored(user):
    graph_services.mute_create(muter=user, muted=UserFactory())
    api = masto(user)
    for query in ({"min_id": "x"}, {"since_id": "-"}, {"max_id": "9" * 40}, {"min_id": ""}):
        assert api.get("/api/v1/mutes", query).status_code == 200, query
