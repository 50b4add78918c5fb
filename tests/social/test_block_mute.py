"""Blocks cut both ways; mutes hide quietly, only where the muter reads."""

import pytest

from social.graph import services
from social.graph.models import Block, Follow, FollowRequest, Mute
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db


def test_block_removes_follows_and_requests_both_ways(user_api, user, other_user):
    carol = UserFactory(username="carol", is_private=True)
    services.follow_create(follower=user, followee=other_user)
    services.follow_create(follower=other_user, followee=user)
    services.follow_create(follower=user, followee=carol)  # pending
    services.follow_create(follower=carol, followee=other_user)
    assert user_api.post("/api/v1/users/bob/block").json() == {"message": "You blocked @bob."}
    assert not Follow.objects.filter(follower__in=[user, other_user], followee__in=[user, other_user]).exists()
    user.refresh_from_db(), other_user.refresh_from_db()
    assert (user.followers_count, user.following_count, other_user.followers_count) == (0, 0, 1)
    user_api.post("/api/v1/users/carol/block")
    assert not FollowRequest.objects.exists()


@pytest.fixture
def blocked_pair(user, other_user):
    """Bob blocked Alice. Returns Bob's post."""
    tweet = post(other_user, "bob's post")
    services.block_create(blocker=other_user, blocked=user)
    return tweet


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/users/bob/follow", None),
        ("post", "/api/v1/tweets/{id}/like", None),
        ("post", "/api/v1/tweets/{id}/retweet", {}),
        ("post", "/api/v1/tweets/{id}/retweet", {"comment": "quoting you"}),
        ("post", "/api/v1/tweets", {"text": "replying", "replyToTweetId": "{id}"}),
        ("post", "/api/v1/tweets", {"text": "quoting", "quoteTweetId": "{id}"}),
    ],
    ids=["follow", "like", "retweet", "quote-by-comment", "reply", "quote"],
)
def test_a_blocked_user_cannot_reach_the_blocker(user_api, blocked_pair, method, path, body):
    before = Tweet.objects.count()
    payload = {k: v.format(id=blocked_pair.pk) for k, v in (body or {}).items()}
    response = getattr(user_api, method)(path.format(id=blocked_pair.pk), payload, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == "@bob has blocked you, so you can't do that."
    assert Tweet.objects.count() == before and not Like.objects.exists() and not Follow.objects.exists()


def test_the_blocker_cannot_reach_the_blocked_either(api_as, user, other_user):
    theirs = post(user, "alice's post")
    services.block_create(blocker=other_user, blocked=user)
    response = api_as(other_user).post(f"/api/v1/tweets/{theirs.pk}/like")
    assert response.status_code == 403
    assert response.json()["error"] == "You blocked @alice. Unblock them first."


def test_a_blocked_reply_is_a_form_error_on_the_page(client_logged_in, blocked_pair):
    import uuid

    response = client_logged_in.post(
        "/compose", {"text": "hey", "reply_to": blocked_pair.pk, "form_token": uuid.uuid4()}
    )
    assert response.status_code == 400
    assert "blocked you" in response.content.decode()


def test_blocked_profiles_say_so(client, user, other_user):
    post(user, "alice writes")
    post(other_user, "bob writes")
    services.block_create(blocker=user, blocked=other_user)
    client.force_login(user)
    html = client.get("/@bob").content.decode()
    assert "You blocked @bob" in html and "/@bob/unblock" in html and "bob writes" not in html
    client.force_login(other_user)
    html = client.get("/@alice").content.decode()
    assert "You're blocked" in html and "alice writes" not in html


def test_blocked_and_muted_lists_in_settings(client_logged_in, user, other_user):
    carol = UserFactory(username="carol")
    services.block_create(blocker=user, blocked=other_user)
    services.mute_create(muter=user, muted=carol)
    blocked = client_logged_in.get("/settings/blocked").content.decode()
    muted = client_logged_in.get("/settings/muted").content.decode()
    assert "@bob" in blocked and "@carol" not in blocked
    assert "@carol" in muted and "@bob" not in muted
    client_logged_in.post("/@bob/unblock", {"next": "/settings/blocked"})
    assert not Block.objects.exists()


def test_mute_hides_from_home_only_and_unmute_restores(
    client_logged_in, api_as, user, other_user, django_capture_on_commit_callbacks
):
    services.follow_create(follower=user, followee=other_user)
    tweet = post(other_user, "bob talks a lot")
    client_logged_in.post("/@bob/mute")
    assert Mute.objects.filter(muter=user, muted=other_user).exists()
    assert "bob talks a lot" not in client_logged_in.get("/").content.decode()
    assert "bob talks a lot" in client_logged_in.get("/@bob").content.decode()  # still there on the profile
    assert "bob talks a lot" in client_logged_in.get(f"/@bob/status/{tweet.pk}").content.decode()
    # The muted person notices nothing: they still see and follow the muter.
    bob = api_as(other_user)
    assert bob.post("/api/v1/users/alice/follow").json() == {"state": "following"}
    with django_capture_on_commit_callbacks(execute=True):  # the timeline merge runs after commit
        client_logged_in.post("/@bob/unmute")
    assert "bob talks a lot" in client_logged_in.get("/").content.decode()


def test_mute_hides_retweets_of_and_by_the_muted(client_logged_in, user, other_user):
    carol = UserFactory(username="carol")
    services.follow_create(follower=user, followee=other_user)
    services.follow_create(follower=user, followee=carol)
    from tweets import services as tweet_services

    tweet_services.retweet_create(user=other_user, tweet_id=post(carol, "carol's post").pk)
    services.mute_create(muter=user, muted=other_user)
    home = client_logged_in.get("/").content.decode()
    assert "retweeted" not in home  # bob's retweet is hidden
    assert "carol&#x27;s post" in home  # carol herself isn't muted


@pytest.mark.parametrize("action", ["block", "mute"])
def test_cannot_block_or_mute_yourself(user_api, user, action):
    response = user_api.post(f"/api/v1/users/alice/{action}")
    assert response.status_code == 403  # a well-formed request, refused


def test_block_asks_first_and_says_what_blocking_does(client, user, other_user):
    """The profile's Block opens a dialog (JavaScript) or a confirmation page (without); only the POST blocks."""
    assert client.get("/@bob/block").status_code == 302  # signed out: log in first
    client.force_login(user)
    profile = client.get("/@bob").content.decode()
    assert 'href="/@bob/block" data-confirm-dialog="block-dialog"' in profile
    dialog = profile[profile.index('<dialog id="block-dialog"') : profile.index("</dialog>")]
    assert "Block @bob?" in dialog and "won't be able to follow you" in dialog and 'action="/@bob/block"' in dialog
    page = client.get("/@bob/block")
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Block @bob?</h1>" in html
    assert "won't be able to follow you, see your posts or message you" in html and "unblock them at any time" in html
    assert 'method="post" action="/@bob/block"' in html and 'href="/@bob">Cancel' in html
    assert not Block.objects.exists()  # asking changed nothing
    assert client.post("/@bob/block").status_code == 302
    assert Block.objects.filter(blocker=user, blocked=other_user).exists()
    assert client.get("/@bob/block").url == "/@bob"  # already blocked: back to the profile (which offers Unblock)
    assert "data-confirm-dialog" not in client.get("/@bob").content.decode()
    assert client.get("/@alice/block").url == "/@alice"  # not yourself
    for action in ("follow", "unfollow", "unblock", "mute", "unmute"):
        assert client.get(f"/@bob/{action}").status_code == 405  # GET never changes anything
    assert client.get("/@nobody/block").status_code == 404
