"""Bookmarks: private to their owner, idempotent, newest first, and never a post the owner may not see."""

import pytest

from social.graph import services as graph
from social.moderation.services import user_suspend
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services
from tweets.models import Bookmark

pytestmark = pytest.mark.django_db


@pytest.fixture
def tweet(other_user):
    return post(other_user, "worth keeping")


def url(tweet_id) -> str:
    return f"/api/v1/tweets/{tweet_id}/bookmark"


def listed(api) -> list[str]:
    response = api.get("/api/v1/bookmarks")
    assert response.status_code == 200
    return [item["text"] for item in response.json()["tweets"]]


# --- the API ----------------------------------------------------------------------


def test_bookmark_twice_answers_the_same_and_keeps_one(user_api, user, tweet):
    first = user_api.post(url(tweet.pk))
    second = user_api.post(url(tweet.pk))
    assert (first.status_code, first.json()) == (200, {"bookmarked": True})
    assert (second.status_code, second.json()) == (200, {"bookmarked": True})
    assert Bookmark.objects.filter(user=user).count() == 1
    assert user_api.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]["bookmarked"] is True
    assert listed(user_api) == ["worth keeping"]


def test_unbookmark_is_idempotent(user_api, user, tweet):
    user_api.post(url(tweet.pk))
    first, second = user_api.delete(url(tweet.pk)), user_api.delete(url(tweet.pk))  # the second: not bookmarked
    assert (first.status_code, first.json()) == (200, {"bookmarked": False})
    assert (second.status_code, second.json()) == (200, {"bookmarked": False})
    assert not Bookmark.objects.exists()
    assert user_api.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]["bookmarked"] is False
    assert listed(user_api) == []


def test_bookmarks_are_private_to_their_owner(user_api, api_as, api_client, tweet, other_user):
    user_api.post(url(tweet.pk))
    # The author, anyone else and the anonymous see no trace of it.
    for api in (api_as(other_user), api_as(UserFactory(username="carol"))):
        assert api.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]["bookmarked"] is False
        assert listed(api) == []
    assert api_client.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]["bookmarked"] is False
    assert api_client.get("/api/v1/bookmarks").status_code == 401
    assert api_client.post(url(tweet.pk)).status_code == 401
    assert Bookmark.objects.count() == 1
    # The counts a post shows don't move.
    assert api_client.get(f"/api/v1/tweets/{tweet.pk}/engagements").json() == {
        "likeCount": 0, "retweetCount": 0, "replyCount": 0, "quoteCount": 0,
    }  # fmt: skip


def test_list_is_newest_bookmark_first_with_a_cursor(user_api, other_user):
    posts = [post(other_user, f"post {i}") for i in range(5)]
    for item in (posts[3], posts[0], posts[4], posts[1], posts[2]):  # bookmarked in this order
        user_api.post(url(item.pk))
    first = user_api.get("/api/v1/bookmarks", {"limit": 2}).json()
    assert [t["text"] for t in first["tweets"]] == ["post 2", "post 1"]
    assert all(t["bookmarked"] for t in first["tweets"])
    second = user_api.get("/api/v1/bookmarks", {"limit": 2, "cursor": first["nextCursor"]}).json()
    assert [t["text"] for t in second["tweets"]] == ["post 4", "post 0"]
    third = user_api.get("/api/v1/bookmarks", {"limit": 2, "cursor": second["nextCursor"]}).json()
    assert [t["text"] for t in third["tweets"]] == ["post 3"]
    assert third["nextCursor"] is None


def test_bookmarking_a_retweet_saves_the_original(user_api, user, other_user, tweet):
    carol = UserFactory(username="carol")
    _, retweet = services.retweet_create(user=carol, tweet_id=tweet.pk)
    assert user_api.post(url(retweet.pk)).status_code == 200
    assert Bookmark.objects.get(user=user).tweet_id == tweet.pk
    assert user_api.delete(url(retweet.pk)).status_code == 200
    assert not Bookmark.objects.exists()


@pytest.mark.parametrize("raw", ["999999999", "abc", "-1", "1" * 40, "0", "12%00"])
def test_bookmarking_what_is_not_there_is_404_with_the_error_body(user_api, raw):
    for method in (user_api.post, user_api.delete):
        response = method(url(raw))
        assert response.status_code == (400 if "%00" in raw else 404)  # the site refuses NUL in a path first
        assert "error" in response.json()
    assert not Bookmark.objects.exists()


def test_bookmarking_a_post_you_cannot_see_is_404(user_api, user, other_user):
    hidden = post(other_user, "for followers only")
    other_user.is_private = True
    other_user.save()
    response = user_api.post(url(hidden.pk))
    assert response.status_code == 404
    assert response.json()["error"]
    blocker = UserFactory(username="blocker")
    blocked_post = post(blocker, "not for alice")
    graph.block_create(blocker=blocker, blocked=user)
    assert user_api.post(url(blocked_post.pk)).status_code == 404  # a block hides it: 404, as for privacy
    assert user_api.delete(url(hidden.pk)).status_code == 404
    assert not Bookmark.objects.exists()


def test_a_saved_post_that_becomes_hidden_drops_out_and_can_still_be_removed(user_api, user, other_user, moderator):
    kept = post(other_user, "stays public")
    private = UserFactory(username="goes_private")
    blocker = UserFactory(username="blocker")
    suspended = UserFactory(username="suspended")
    posts = [post(private, "then private"), post(blocker, "then blocked"), post(suspended, "then suspended")]
    for item in (kept, *posts):
        user_api.post(url(item.pk))
    gone = post(other_user, "then deleted")
    user_api.post(url(gone.pk))
    assert len(listed(user_api)) == 5

    private.is_private = True
    private.save()
    graph.block_create(blocker=blocker, blocked=user)
    user_suspend(moderator=moderator, user=suspended, reason="spam")
    services.tweet_delete(actor=other_user, tweet=gone)

    assert listed(user_api) == ["stays public"]
    # Once the private account accepts alice as a follower, its post is back.
    graph.follow_create(follower=user, followee=private)
    graph.follow_requests_accept_all(target=private)
    assert listed(user_api) == ["then private", "stays public"]
    # One's own bookmark of a hidden post can still be removed.
    assert user_api.delete(url(posts[1].pk)).status_code == 200
    assert not Bookmark.objects.filter(tweet=posts[1]).exists()


def test_quoted_post_in_a_bookmark_is_hidden_when_it_must_be(user_api, user, other_user):
    carol = UserFactory(username="carol")
    quoted = post(carol, "carol's words")
    quote = post(other_user, "look at this", quote_of_id=quoted.pk)
    user_api.post(url(quote.pk))
    graph.block_create(blocker=carol, blocked=user)
    item = user_api.get("/api/v1/bookmarks").json()["tweets"][0]
    assert item["text"] == "look at this"
    assert item["quoteTweet"] is None


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "abc"}, {"cursor": "x"}, {"limit": "101"}])
def test_bad_page_parameters_are_400(user_api, query):
    response = user_api.get("/api/v1/bookmarks", query)
    assert response.status_code == 400
    assert "error" in response.json()


# --- the pages --------------------------------------------------------------------


def test_bookmark_from_the_menu_without_javascript(client_logged_in, user, tweet):
    page = client_logged_in.get(f"/@bob/status/{tweet.pk}").content.decode()
    assert f'action="/tweets/{tweet.pk}/bookmark"' in page
    response = client_logged_in.post(f"/tweets/{tweet.pk}/bookmark", {"next": "/bookmarks"})
    assert response.status_code == 302 and response["Location"] == "/bookmarks"
    page = client_logged_in.get("/bookmarks").content.decode()
    assert "Added to your Bookmarks." in page  # the flash message
    assert "worth keeping" in page
    assert f'action="/tweets/{tweet.pk}/unbookmark"' in page and "Remove bookmark" in page
    client_logged_in.post(f"/tweets/{tweet.pk}/unbookmark", {"next": "/bookmarks"})
    assert "worth keeping" not in client_logged_in.get("/bookmarks").content.decode()


def test_bookmark_with_htmx_swaps_the_actions(client_logged_in, tweet):
    response = client_logged_in.post(f"/tweets/{tweet.pk}/bookmark", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<div class="tweet-actions" id="actions-{tweet.pk}"')
    assert "Remove bookmark" in html and f"/tweets/{tweet.pk}/unbookmark" in html
    assert 'hx-swap-oob="afterbegin:#toasts"' in html and "Added to your Bookmarks." in html


def test_page_bookmark_of_a_hidden_post_changes_nothing(client_logged_in, other_user):
    hidden = post(other_user, "followers only")
    other_user.is_private = True
    other_user.save()
    response = client_logged_in.post(f"/tweets/{hidden.pk}/bookmark", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "doesn" in response.content.decode()
    response = client_logged_in.post(f"/tweets/{hidden.pk}/bookmark", {"next": "/bookmarks"}, follow=True)
    assert "doesn" in response.content.decode()
    for action in ("bookmark", "unbookmark"):  # past a bigint: still no 500
        assert client_logged_in.post(f"/tweets/99999999999999999999999/{action}").status_code == 302
        assert client_logged_in.post(f"/tweets/{10**30}/{action}", headers={"HX-Request": "true"}).status_code == 404
    assert client_logged_in.get("/bookmarks", {"cursor": "x", "limit": "-5"}).status_code == 200  # the first page
    assert client_logged_in.get("/bookmarks", {"cursor": "1\x00"}).status_code == 400  # the site refuses NUL
    assert client_logged_in.get(f"/@bob/status/{hidden.pk}/quotes").status_code == 404
    assert not Bookmark.objects.exists()


def test_bookmarks_page_shows_an_empty_state_and_the_nav_link(client_logged_in):
    html = client_logged_in.get("/bookmarks").content.decode()
    assert "Save posts for later" in html
    assert 'href="/bookmarks"' in html  # the nav link


def test_signed_out_pages_need_signing_in(client, tweet):
    assert client.get("/bookmarks")["Location"].startswith("/accounts/login/")
    assert client.post(f"/tweets/{tweet.pk}/bookmark")["Location"].startswith("/accounts/login/")
    assert not Bookmark.objects.exists()


def test_menu_items(client_logged_in, user, tweet):
    mine = post(user, "my own")
    html = client_logged_in.get("/@bob").content.decode()
    assert "Copy link" in html and "data-share=" in html and "Report post" in html and "Bookmark" in html
    html = client_logged_in.get(f"/@alice/status/{mine.pk}").content.decode()
    assert f'data-copy-link="/@alice/status/{mine.pk}"' in html
    assert "Edit" in html and "Delete" in html and "Report post" not in html


def test_edit_and_quote_have_different_icons(client_logged_in, user):
    from accounts.templatetags.chirp import icon

    assert icon("edit") != icon("quote")
    mine = post(user, "my own")
    html = client_logged_in.get(f"/@alice/status/{mine.pk}").content.decode()
    assert icon("edit") in html and icon("quote") in html


def test_erasing_an_account_removes_its_bookmarks(user, other_user, tweet):
    from tweets.account_data import erase_bookmarks

    services.bookmark_create(user=user, tweet_id=tweet.pk)
    services.bookmark_create(user=other_user, tweet_id=tweet.pk)
    erase_bookmarks(user=user)
    assert list(Bookmark.objects.values_list("user__username", flat=True)) == ["bob"]


def test_bookmarks_page_scrolls_on_with_the_cursor(client_logged_in, user, other_user):
    for i in range(22):
        services.bookmark_create(user=user, tweet_id=post(other_user, f"saved number {i:02}").pk)
    first = client_logged_in.get("/bookmarks").content.decode()
    assert "saved number 21" in first and "saved number 02" in first and "saved number 01" not in first
    cursor = Bookmark.objects.get(tweet__text="saved number 02").pk
    assert f"cursor={cursor}" in first
    more = client_logged_in.get("/bookmarks", {"cursor": cursor}, headers={"HX-Request": "true"}).content.decode()
    assert "saved number 01" in more and "saved number 00" in more and "saved number 02" not in more
    assert "<html" not in more  # a fragment for the feed
