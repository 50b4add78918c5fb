"""Pinned posts: one per profile, shown first; pin and unpin from the page and the API; pinnedTweet."""

import pytest

from accounts.models import User
from social.graph import services as graph_services
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services

pytestmark = pytest.mark.django_db


def pinned_id(user) -> int | None:
    return User.objects.values_list("pinned_tweet_id", flat=True).get(pk=user.pk)


# --- API ------------------------------------------------------------------------------------


def test_api_pin_and_unpin(user_api, user):
    first, second = post(user, "first"), post(user, "second")
    response = user_api.post(f"/api/v1/tweets/{first.pk}/pin")
    assert response.status_code == 200
    assert response.json() == {"pinned": True, "pinnedTweetId": str(first.pk)}
    assert user_api.post(f"/api/v1/tweets/{first.pk}/pin").json()["pinned"] is True  # idempotent
    # Pinning another replaces the pin.
    assert user_api.post(f"/api/v1/tweets/{second.pk}/pin").json() == {"pinned": True, "pinnedTweetId": str(second.pk)}
    assert pinned_id(user) == second.pk
    # Unpinning a post that isn't pinned leaves the pin alone.
    assert user_api.delete(f"/api/v1/tweets/{first.pk}/pin").json() == {
        "pinned": False,
        "pinnedTweetId": str(second.pk),
    }
    assert user_api.delete(f"/api/v1/tweets/{second.pk}/pin").json() == {"pinned": False, "pinnedTweetId": None}
    assert pinned_id(user) is None


def test_api_tweet_object_says_pinned(user_api, user):
    tweet = post(user, "pin me")
    user_api.post(f"/api/v1/tweets/{tweet.pk}/pin")
    assert user_api.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]["pinned"] is True
    timeline = user_api.get(f"/api/v1/timeline/user/{user.pk}").json()["tweets"]
    assert [t["pinned"] for t in timeline] == [True]


def test_api_pinning_someone_elses_post_is_403_and_changes_nothing(api_as, user, other_user):
    mine = post(other_user, "mine")
    services.tweet_pin(user=other_user, tweet_id=mine.pk)
    theirs = post(user, "alice's")
    client = api_as(other_user)
    response = client.post(f"/api/v1/tweets/{theirs.pk}/pin")
    assert response.status_code == 403 and response.json()["error"] == "You can only pin your own posts."
    assert client.delete(f"/api/v1/tweets/{theirs.pk}/pin").status_code == 403
    assert pinned_id(other_user) == mine.pk and pinned_id(user) is None


def test_api_pinning_a_retweet_is_403_and_a_missing_post_404(user_api, user, other_user):
    original = post(other_user, "share me")
    _, retweet = services.retweet_create(user=user, tweet_id=original.pk)
    assert user_api.post(f"/api/v1/tweets/{retweet.pk}/pin").status_code == 403
    assert user_api.post("/api/v1/tweets/999999999/pin").status_code == 404
    assert user_api.post("/api/v1/tweets/not-an-id/pin").status_code == 404
    assert pinned_id(user) is None


def test_api_pin_needs_a_login(api_client, user):
    tweet = post(user, "x")
    assert api_client.post(f"/api/v1/tweets/{tweet.pk}/pin").status_code == 401


def test_api_user_detail_has_pinned_tweet(api_client, user_api, user):
    tweet = post(user, "the pinned one")
    assert api_client.get("/api/v1/users/alice").json()["user"]["pinnedTweet"] is None
    services.tweet_pin(user=user, tweet_id=tweet.pk)
    pinned = api_client.get("/api/v1/users/alice").json()["user"]["pinnedTweet"]
    assert pinned["id"] == str(tweet.pk) and pinned["text"] == "the pinned one" and pinned["pinned"] is True
    # An update answers the user object the same way.
    response = user_api.patch("/api/v1/users/alice", {"bio": "hi"}, format="json")
    assert response.status_code == 200 and response.json()["user"]["pinnedTweet"]["id"] == str(tweet.pk)


def test_api_user_lists_leave_pinned_tweet_out(api_client, user, other_user):
    services.tweet_pin(user=user, tweet_id=post(user, "pinned").pk)
    graph_services.follow_create(follower=user, followee=other_user)
    users = api_client.get("/api/v1/users/bob/followers").json()["users"]
    assert users and "pinnedTweet" not in users[0]


def test_pinned_tweet_of_a_private_account_is_null_for_strangers(api_as, user, other_user):
    tweet = post(user, "private pin")
    services.tweet_pin(user=user, tweet_id=tweet.pk)
    user.is_private = True
    user.save()
    assert api_as(other_user).get("/api/v1/users/alice").json()["user"]["pinnedTweet"] is None
    graph_services.follow_create(follower=other_user, followee=user)  # a request, not yet approved
    assert api_as(other_user).get("/api/v1/users/alice").json()["user"]["pinnedTweet"] is None


def test_pinned_tweet_is_null_for_a_blocked_viewer(api_as, user, other_user):
    services.tweet_pin(user=user, tweet_id=post(user, "pin").pk)
    graph_services.block_create(blocker=user, blocked=other_user)
    assert api_as(other_user).get("/api/v1/users/alice").json()["user"]["pinnedTweet"] is None


def test_deleting_the_pinned_post_clears_the_pin(user_api, user):
    tweet = post(user, "soon gone")
    services.tweet_pin(user=user, tweet_id=tweet.pk)
    assert user_api.delete(f"/api/v1/tweets/{tweet.pk}").status_code == 200
    assert pinned_id(user) is None
    assert user_api.get("/api/v1/users/alice").json()["user"]["pinnedTweet"] is None


def test_user_detail_query_count_with_a_pin(api_as, user, other_user, django_assert_max_num_queries):
    services.tweet_pin(user=user, tweet_id=post(user, "pinned").pk)
    client = api_as(other_user)
    client.get("/api/v1/users/alice")  # warm the token lookup's caches
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/users/alice").status_code == 200


# --- pages ----------------------------------------------------------------------------------


def test_profile_shows_the_pinned_post_first_with_a_label_and_once(client, user):
    older = post(user, "OLDER-PINNED")
    for i in range(3):
        post(user, f"newer {i}")
    services.tweet_pin(user=user, tweet_id=older.pk)
    html = client.get("/@alice").content.decode()
    assert html.count(f'id="tweet-{older.pk}"') == 1  # not repeated in the dated list
    first_card = html.split('<article class="tweet', 1)[1].split("</article>", 1)[0]
    assert "Pinned" in first_card and "OLDER-PINNED" in first_card
    assert html.index("OLDER-PINNED") < html.index("newer 2")


def test_pinned_post_only_on_the_posts_tab_first_page(client, user):
    pinned = post(user, "PINNED-POST")
    services.tweet_pin(user=user, tweet_id=pinned.pk)
    assert "PINNED-POST" not in client.get("/@alice/replies").content.decode()
    later = [post(user, f"later {i}") for i in range(3)]
    second_page = client.get("/@alice", {"cursor": later[1].pk, "limit": 1}, HTTP_HX_REQUEST="true")
    assert "PINNED-POST" not in second_page.content.decode()


def test_menu_offers_pin_on_own_posts_only(client, user, other_user):
    mine, theirs = post(user, "mine"), post(other_user, "theirs")
    client.force_login(user)
    html = client.get("/@alice").content.decode()
    assert f'action="/tweets/{mine.pk}/pin"' in html and "Pin to profile" in html
    html = client.get("/@bob").content.decode()
    assert f"/tweets/{theirs.pk}/pin" not in html
    services.tweet_pin(user=user, tweet_id=mine.pk)
    html = client.get("/@alice").content.decode()
    assert f'action="/tweets/{mine.pk}/unpin"' in html and "Unpin from profile" in html


def test_page_pin_and_unpin(client, user):
    tweet = post(user, "pin from the menu")
    client.force_login(user)
    response = client.post(f"/tweets/{tweet.pk}/pin", {"next": "/@alice"}, follow=True)
    assert response.status_code == 200 and "Your post was pinned to your profile." in response.content.decode()
    assert pinned_id(user) == tweet.pk
    response = client.post(f"/tweets/{tweet.pk}/unpin", {"next": "/@alice"}, follow=True)
    assert "Your post was unpinned from your profile." in response.content.decode()
    assert pinned_id(user) is None


def test_page_pinning_someone_elses_post_shows_why_and_changes_nothing(client, user, other_user):
    theirs = post(other_user, "bob's")
    client.force_login(user)
    response = client.post(f"/tweets/{theirs.pk}/pin")
    assert response.status_code == 403 and "You can only pin your own posts." in response.content.decode()
    assert pinned_id(user) is None and pinned_id(other_user) is None
    assert client.post("/tweets/999999999/pin").status_code == 404
    assert client.get(f"/tweets/{theirs.pk}/pin").status_code == 405


def test_page_pin_needs_a_login(client, user):
    tweet = post(user, "x")
    response = client.post(f"/tweets/{tweet.pk}/pin")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert pinned_id(user) is None


def test_pinned_post_of_a_private_account_stays_hidden_on_the_page(client, user, other_user):
    services.tweet_pin(user=user, tweet_id=post(user, "SECRET-PIN").pk)
    user.is_private = True
    user.save()
    client.force_login(other_user)
    assert "SECRET-PIN" not in client.get("/@alice").content.decode()
    client.logout()
    assert "SECRET-PIN" not in client.get("/@alice").content.decode()


def test_profile_query_count_with_a_pin_stays_under_the_cap(client, user, django_assert_max_num_queries):
    """The pin costs one query (its row) on the first page; the cap of the lists (test_query_counts) holds."""
    from tests.tweets.test_query_counts import MAX_QUERIES, build_profile

    helper, viewer = UserFactory(username="helper"), UserFactory(username="viewer")
    build_profile(user, helper, 10)
    services.tweet_pin(user=user, tweet_id=post(user, "pinned").pk)
    client.force_login(viewer)
    for fetch in (lambda: client.get("/@alice", {"limit": 50}), lambda: client.get("/api/v1/users/alice")):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert fetch().status_code == 200


def test_the_pin_adds_no_query_to_the_profile_page(client, user):
    from tests.tweets.test_query_counts import build_profile, queries_for

    build_profile(user, UserFactory(username="helper"), 10)
    client.force_login(UserFactory(username="viewer"))
    before = queries_for(lambda: client.get("/@alice", {"limit": 50}))
    services.tweet_pin(user=user, tweet_id=post(user, "pinned").pk)
    response = client.get("/@alice", {"limit": 50})
    assert "Pinned" in response.content.decode()
    assert queries_for(lambda: client.get("/@alice", {"limit": 50})) == before


@pytest.mark.parametrize("raw", ["99999999999999999999999", "0", "-1", "1e5"])
def test_hostile_ids_are_404_not_500(client, user_api, user, raw):
    client.force_login(user)
    assert client.post(f"/tweets/{raw}/pin").status_code == 404
    assert user_api.post(f"/api/v1/tweets/{raw}/pin").status_code == 404
    assert user_api.delete(f"/api/v1/tweets/{raw}/pin").status_code == 404
