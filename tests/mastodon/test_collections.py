"""Mastodon's favourites, bookmarks, blocks, mutes and suggestions over Chirp's selectors (issue 22)."""

import pytest

from social.graph import services as graph_services
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tests.tweets.helpers import post
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db


def test_favourites_page_by_like_and_hide_what_the_caller_cannot_see(user, django_assert_max_num_queries):
    authors = [UserFactory() for _ in range(3)]
    posts = [post(authors[i % 3], f"p{i}") for i in range(5)]
    for p in posts:
        tweet_services.like_create(user=user, tweet_id=p.pk)
    api = masto(user)
    with django_assert_max_num_queries(12):
        page = api.get("/api/v1/favourites", {"limit": 3})
    assert page.status_code == 200
    assert [s["id"] for s in page.json()] == [str(p.pk) for p in posts[:1:-1]]
    assert all(s["favourited"] for s in page.json())
    older = api.get(link_of(page, "next"))
    assert [s["id"] for s in older.json()] == [str(posts[1].pk), str(posts[0].pk)]
    graph_services.block_create(blocker=authors[0], blocked=user)  # posts 0 and 3 go out of sight
    ids = [s["id"] for s in api.get("/api/v1/favourites").json()]
    assert str(posts[0].pk) not in ids and str(posts[3].pk) not in ids and len(ids) == 3
    assert masto(user, "write").get("/api/v1/favourites").status_code == 403
    assert masto(user, "read:bookmarks").get("/api/v1/favourites").status_code == 403
    assert masto(user, "read:favourites").get("/api/v1/favourites").status_code == 200


def test_bookmarks(user, django_assert_max_num_queries):
    posts = [post(UserFactory(), f"b{i}") for i in range(3)]
    for p in posts:
        tweet_services.bookmark_create(user=user, tweet_id=p.pk)
    api = masto(user)
    with django_assert_max_num_queries(12):
        page = api.get("/api/v1/bookmarks", {"limit": 2})
    assert [s["id"] for s in page.json()] == [str(posts[2].pk), str(posts[1].pk)]
    assert page.json()[0]["bookmarked"] is True
    assert [s["id"] for s in api.get(link_of(page, "next")).json()] == [str(posts[0].pk)]
    assert masto(user, "read:favourites").get("/api/v1/bookmarks").status_code == 403


def test_blocks_and_mutes(user, django_assert_max_num_queries):
    blocked = [UserFactory() for _ in range(3)]
    for other in blocked:
        graph_services.block_create(blocker=user, blocked=other)
    muted = UserFactory()
    graph_services.mute_create(muter=user, muted=muted)
    api = masto(user)
    with django_assert_max_num_queries(10):
        page = api.get("/api/v1/blocks", {"limit": 2})
    assert [a["id"] for a in page.json()] == [str(blocked[2].pk), str(blocked[1].pk)]
    assert [a["id"] for a in api.get(link_of(page, "next")).json()] == [str(blocked[0].pk)]
    assert [a["id"] for a in api.get("/api/v1/mutes").json()] == [str(muted.pk)]
    assert masto(user, "read:blocks").get("/api/v1/mutes").status_code == 403
    assert masto(user, "read:mutes").get("/api/v1/mutes").status_code == 200


def test_suggestions_never_staff_nor_followed(user, django_assert_max_num_queries):
    staff = UserFactory(is_staff=True, followers_count=100)
    popular = UserFactory(followers_count=50)
    followed = UserFactory(followers_count=80)
    graph_services.follow_create(follower=user, followee=followed)
    api = masto(user)
    with django_assert_max_num_queries(16):
        v2 = api.get("/api/v2/suggestions")
    ids = [s["account"]["id"] for s in v2.json()]
    assert str(popular.pk) in ids and str(staff.pk) not in ids and str(followed.pk) not in ids
    assert v2.json()[0]["sources"]
    assert [a["id"] for a in api.get("/api/v1/suggestions").json()] == ids
    assert api.delete(f"/api/v1/suggestions/{popular.pk}").status_code == 200
    assert masto(user, "write").get("/api/v2/suggestions").status_code == 403
