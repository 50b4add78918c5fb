"""Mastodon's accounts over social.graph's services and selectors (issue 22)."""

import pytest

from social.graph import services as graph_services
from social.graph.models import Follow, FollowRequest
from tests import images
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tests.tweets.helpers import post
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db


def test_get_and_lookup(user, api_client):
    user.bio = "Birds <b>and</b> trees"
    user.save()
    post(user, "one")
    api = masto(user)
    body = api.get(f"/api/v1/accounts/{user.pk}").json()
    assert body["username"] == user.username and body["statuses_count"] == 1
    assert body["note"] == "<p>Birds &lt;b&gt;and&lt;/b&gt; trees</p>" and body["avatar"].startswith("http")
    assert api.get("/api/v1/accounts/lookup", {"acct": f"@{user.username}"}).json()["id"] == str(user.pk)
    assert api.get("/api/v1/accounts/lookup", {"acct": f"{user.username}@elsewhere.example"}).status_code == 404
    assert api.get("/api/v1/accounts/lookup", {"acct": "nobody"}).status_code == 404
    assert api.get("/api/v1/accounts/999999").status_code == 404
    assert api_client.get(f"/api/v1/accounts/{user.pk}").status_code == 200  # public, no token


def test_blocked_account_is_404(user):
    blocker = UserFactory()
    graph_services.block_create(blocker=blocker, blocked=user)
    assert masto(user).get(f"/api/v1/accounts/{blocker.pk}").status_code == 404
    assert masto(user).get(f"/api/v1/accounts/{blocker.pk}/statuses").status_code == 404


def test_account_statuses_filters_and_paging(user):
    other = UserFactory()
    first, second = post(user, "first"), post(user, "second")
    reply = post(user, "reply", reply_to_id=post(other, "theirs").pk)
    with_media = post(user, "media", uploads=[(images.png_upload(), "")])
    _, boost = tweet_services.retweet_create(user=user, tweet_id=post(other, "boosted").pk)
    tweet_services.tweet_pin(user=user, tweet_id=first.pk)
    api = masto(other)
    path = f"/api/v1/accounts/{user.pk}/statuses"

    def ids(**query):
        return [s["id"] for s in api.get(path, query).json()]

    assert ids() == [str(t.pk) for t in (boost, with_media, reply, second, first)]
    assert ids(exclude_replies="true") == [str(t.pk) for t in (boost, with_media, second, first)]
    assert ids(exclude_reblogs="true", exclude_replies="true") == [str(t.pk) for t in (with_media, second, first)]
    assert ids(only_media="true") == [str(with_media.pk)]
    assert ids(pinned="true") == [str(first.pk)]
    page = api.get(path, {"limit": 2})
    assert [s["id"] for s in page.json()] == [str(boost.pk), str(with_media.pk)]
    assert page.json()[0]["reblog"]["content"] == "<p>boosted</p>"
    older = api.get(link_of(page, "next")).json()
    assert [s["id"] for s in older] == [str(reply.pk), str(second.pk)]
    newer = api.get(link_of(api.get(link_of(page, "next")), "prev")).json()
    assert [s["id"] for s in newer] == [str(boost.pk), str(with_media.pk)]
    assert ids(min_id=str(first.pk), limit=1) == [str(second.pk)]
    assert ids(since_id=str(reply.pk)) == [str(boost.pk), str(with_media.pk)]


def test_private_account_statuses_are_empty_to_strangers(user):
    locked = UserFactory(is_private=True)
    post(locked, "secret")
    assert masto(user).get(f"/api/v1/accounts/{locked.pk}/statuses").json() == []
    assert len(masto(locked).get(f"/api/v1/accounts/{locked.pk}/statuses").json()) == 1


def test_account_statuses_query_count(user, django_assert_max_num_queries):
    authors = [UserFactory() for _ in range(3)]
    for i in range(15):
        quoted = post(authors[i % 3], f"q{i}")
        post(user, f"post {i} #tag @{authors[0].username}", quote_of_id=quoted.pk)
        tweet_services.retweet_create(user=user, tweet_id=quoted.pk)
    api = masto(authors[0])
    with django_assert_max_num_queries(12):
        response = api.get(f"/api/v1/accounts/{user.pk}/statuses", {"limit": 40})
    assert len(response.json()) == 30


def test_follow_private_account_then_authorize(user):
    locked = UserFactory(is_private=True)
    api = masto(user)
    rel = api.post(f"/api/v1/accounts/{locked.pk}/follow").json()
    assert rel["requested"] is True and rel["following"] is False
    owner = masto(locked)
    requests = owner.get("/api/v1/follow_requests")
    assert [a["id"] for a in requests.json()] == [str(user.pk)]
    answer = owner.post(f"/api/v1/follow_requests/{user.pk}/authorize").json()
    assert answer["followed_by"] is True
    assert Follow.objects.filter(follower=user, followee=locked).exists()
    assert api.get("/api/v1/accounts/relationships", {"id[]": [locked.pk]}).json()[0]["following"] is True


def test_reject(user):
    locked = UserFactory(is_private=True)
    graph_services.follow_create(follower=user, followee=locked)
    answer = masto(locked).post(f"/api/v1/follow_requests/{user.pk}/reject").json()
    assert answer["requested_by"] is False and not FollowRequest.objects.exists()
    assert masto(locked).post(f"/api/v1/follow_requests/{user.pk}/authorize").status_code == 404


def test_graph_actions_answer_relationships(user):
    other = UserFactory()
    api = masto(user)
    base = f"/api/v1/accounts/{other.pk}"
    assert api.post(f"{base}/follow").json()["following"] is True
    assert api.post(f"{base}/unfollow").json()["following"] is False
    assert api.post(f"{base}/mute").json()["muting"] is True
    assert api.post(f"{base}/unmute").json()["muting"] is False
    assert api.post(f"{base}/block").json()["blocking"] is True
    assert api.post(f"{base}/unblock").json()["blocking"] is False
    assert api.post(f"/api/v1/accounts/{user.pk}/follow").status_code == 403  # yourself
    assert masto(user, "read write:statuses").post(f"{base}/follow").status_code == 403  # scope


def test_relationships(user):
    a, b = UserFactory(), UserFactory()
    graph_services.follow_create(follower=user, followee=a)
    graph_services.follow_create(follower=b, followee=user)
    graph_services.block_create(blocker=user, blocked=b)
    rels = masto(user).get("/api/v1/accounts/relationships", {"id[]": [a.pk, b.pk, "x", 999999]}).json()
    assert [(r["id"], r["following"], r["blocking"]) for r in rels] == [
        (str(a.pk), True, False),
        (str(b.pk), False, True),
    ]


def test_followers_following_paging(user):
    fans = [UserFactory() for _ in range(3)]
    for fan in fans:
        graph_services.follow_create(follower=fan, followee=user)
    api = masto(user)
    first = api.get(f"/api/v1/accounts/{user.pk}/followers", {"limit": 2})
    assert [a["id"] for a in first.json()] == [str(fans[2].pk), str(fans[1].pk)]
    assert [a["id"] for a in api.get(link_of(first, "next")).json()] == [str(fans[0].pk)]
    following = api.get(f"/api/v1/accounts/{fans[0].pk}/following").json()
    assert [a["id"] for a in following] == [str(user.pk)]


def test_search_featured_tags_and_familiar_followers(user):
    birdy = UserFactory(username="birdwatcher")
    friend = UserFactory()
    graph_services.follow_create(follower=user, followee=friend)
    graph_services.follow_create(follower=friend, followee=birdy)
    api = masto(user)
    assert [a["username"] for a in api.get("/api/v1/accounts/search", {"q": "birdw"}).json()] == ["birdwatcher"]
    assert api.get(f"/api/v1/accounts/{birdy.pk}/featured_tags").json() == []
    familiar = api.get("/api/v1/accounts/familiar_followers", {"id[]": [birdy.pk]}).json()
    assert familiar == [{"id": str(birdy.pk), "accounts": [familiar[0]["accounts"][0]]}]
    assert familiar[0]["accounts"][0]["id"] == str(friend.pk)
