"""Likes and retweets: idempotent, counted atomically, listed, and usable without JavaScript."""

import pytest

from tests.tweets.helpers import post
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db


@pytest.fixture
def tweet(other_user):
    return post(other_user, "likeable")


def test_like_twice_is_one_like_and_unlike_twice_is_fine(user_api, tweet):
    url = f"/api/v1/tweets/{tweet.pk}/like"
    assert user_api.post(url).json() == {"liked": True, "likeCount": 1}
    assert user_api.post(url).json() == {"liked": True, "likeCount": 1}
    assert Like.objects.count() == 1
    assert user_api.delete(url).json() == {"liked": False, "likeCount": 0}
    assert user_api.delete(url).json() == {"liked": False, "likeCount": 0}
    tweet.refresh_from_db()
    assert tweet.like_count == 0


def test_liked_and_retweeted_are_per_viewer(user_api, api_client, tweet):
    user_api.post(f"/api/v1/tweets/{tweet.pk}/like")
    user_api.post(f"/api/v1/tweets/{tweet.pk}/retweet", {}, format="json")
    mine = user_api.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]
    anonymous = api_client.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]
    assert (mine["liked"], mine["retweeted"]) == (True, True)
    assert (anonymous["liked"], anonymous["retweeted"]) == (False, False)
    assert anonymous["likeCount"] == anonymous["retweetCount"] == 1


def test_retweet_is_idempotent_and_undoable(user_api, user, tweet):
    url = f"/api/v1/tweets/{tweet.pk}/retweet"
    first = user_api.post(url, {}, format="json").json()
    second = user_api.post(url, {}, format="json").json()
    assert first["retweeted"] and first["retweetCount"] == 1
    assert second == first
    retweet = Tweet.objects.get(author=user, retweet_of=tweet)
    assert first["retweetId"] == str(retweet.pk)
    assert user_api.delete(url).json() == {"retweeted": False, "retweetCount": 0, "retweetId": None}
    assert not Tweet.objects.filter(retweet_of=tweet).exists()


def test_retweet_appears_on_the_profile_and_in_the_api(user_api, user, tweet):
    user_api.post(f"/api/v1/tweets/{tweet.pk}/retweet", {}, format="json")
    items = user_api.get(f"/api/v1/timeline/user/{user.pk}").json()["tweets"]
    assert len(items) == 1
    assert items[0]["author"]["username"] == "alice"
    assert items[0]["text"] == ""
    assert items[0]["retweetOf"]["id"] == str(tweet.pk)
    assert items[0]["retweetOf"]["retweeted"] is True


def test_retweeting_a_retweet_retweets_the_original(user_api, api_as, tweet, db):
    from tests.factories import UserFactory

    carol = UserFactory(username="carol")
    relay = api_as(carol).post(f"/api/v1/tweets/{tweet.pk}/retweet", {}, format="json").json()["retweetId"]
    response = user_api.post(f"/api/v1/tweets/{relay}/retweet", {}, format="json").json()
    assert response["retweetCount"] == 2
    assert Tweet.objects.filter(retweet_of=tweet).count() == 2


def test_deleting_your_retweet_row_undoes_it(user_api, tweet):
    retweet_id = user_api.post(f"/api/v1/tweets/{tweet.pk}/retweet", {}, format="json").json()["retweetId"]
    assert user_api.delete(f"/api/v1/tweets/{retweet_id}").status_code == 200
    tweet.refresh_from_db()
    assert tweet.retweet_count == 0


def test_retweet_with_a_comment_is_a_quote(user_api, user, tweet):
    response = user_api.post(f"/api/v1/tweets/{tweet.pk}/retweet", {"comment": "worth reading"}, format="json")
    assert response.status_code == 200
    body = response.json()
    quote = Tweet.objects.get(pk=body["retweetId"])
    assert quote.quote_of_id == tweet.pk and quote.text == "worth reading"
    assert body["retweeted"] is False and body["retweetCount"] == 0
    tweet.refresh_from_db()
    assert tweet.quote_count == 1


def test_private_posts_cannot_be_retweeted(user_api, user):
    mine = post(user, "only for my followers")
    user.is_private = True
    user.save()
    response = user_api.post(f"/api/v1/tweets/{mine.pk}/retweet", {}, format="json")
    assert response.status_code == 403
    assert "private" in response.json()["error"]
    assert not Tweet.objects.filter(retweet_of=mine).exists()


def test_engagements(user_api, api_as, user, tweet):
    user_api.post(f"/api/v1/tweets/{tweet.pk}/like")
    user_api.post(f"/api/v1/tweets/{tweet.pk}/retweet", {}, format="json")
    post(user, "reply", reply_to_id=tweet.pk)
    post(user, "quote", quote_of_id=tweet.pk)
    body = user_api.get(f"/api/v1/tweets/{tweet.pk}/engagements").json()
    assert body == {"likeCount": 1, "retweetCount": 1, "replyCount": 1, "quoteCount": 1}


def test_likers_and_retweeters_lists(api_client, api_as, tweet, db):
    from tests.factories import UserFactory

    people = [UserFactory(username=f"fan{i}") for i in range(3)]
    for person in people:
        api_as(person).post(f"/api/v1/tweets/{tweet.pk}/like")
    api_as(people[0]).post(f"/api/v1/tweets/{tweet.pk}/retweet", {}, format="json")

    first = api_client.get(f"/api/v1/tweets/{tweet.pk}/likers", {"limit": 2}).json()
    assert [u["username"] for u in first["users"]] == ["fan2", "fan1"]  # most recent first
    rest = api_client.get(f"/api/v1/tweets/{tweet.pk}/likers", {"limit": 2, "cursor": first["nextCursor"]}).json()
    assert [u["username"] for u in rest["users"]] == ["fan0"] and rest["nextCursor"] is None
    retweeters = api_client.get(f"/api/v1/tweets/{tweet.pk}/retweeters").json()
    assert [u["username"] for u in retweeters["users"]] == ["fan0"]


def test_likers_and_retweeters_pages(client, api_as, user, tweet):
    api_as(user).post(f"/api/v1/tweets/{tweet.pk}/like")
    html = client.get(f"/@bob/status/{tweet.pk}/likes").content.decode()
    assert "Liked by" in html and "@alice" in html
    assert "No one yet" in client.get(f"/@bob/status/{tweet.pk}/retweets").content.decode()


def test_like_form_works_without_javascript(client_logged_in, tweet):
    response = client_logged_in.post(f"/tweets/{tweet.pk}/like", {"next": "/@bob"})
    assert response.status_code == 302 and response["Location"] == "/@bob"
    tweet.refresh_from_db()
    assert tweet.like_count == 1


def test_like_with_htmx_returns_the_updated_buttons(client_logged_in, tweet):
    response = client_logged_in.post(f"/tweets/{tweet.pk}/like", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="actions-{tweet.pk}"' in html
    assert 'aria-pressed="true"' in html and "Unlike, 1 like" in html
    assert f"/tweets/{tweet.pk}/unlike" in html


def test_swapped_in_buttons_come_back_to_the_page_not_the_endpoint(client_logged_in, tweet):
    # A form htmx hasn't bound yet (or a browser without JS) posts plainly and follows `next`:
    # it must be the page the person is on, never the POST-only like URL (a GET there is a 405).
    here = {"HX-Request": "true", "HX-Current-URL": "http://testserver/@bob?tab=media"}
    html = client_logged_in.post(f"/tweets/{tweet.pk}/like", headers=here).content.decode()
    assert html.count('name="next" value="/@bob?tab=media"') == html.count('name="next"') >= 2  # retweet, like, menu
    assert f'value="/tweets/{tweet.pk}/like"' not in html
    elsewhere = {"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"}
    html = client_logged_in.post(f"/tweets/{tweet.pk}/unlike", headers=elsewhere).content.decode()
    assert "evil.example" not in html and f'name="next" value="/tweets/{tweet.pk}/unlike"' in html


def test_next_cannot_send_you_off_site(client_logged_in, tweet):
    response = client_logged_in.post(f"/tweets/{tweet.pk}/like", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_actions_need_login(client, tweet):
    response = client.post(f"/tweets/{tweet.pk}/like")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Like.objects.exists()


def test_like_unknown_tweet_is_404(user_api):
    assert user_api.post("/api/v1/tweets/12345/like").status_code == 404
    assert user_api.post("/api/v1/tweets/not-a-number/like").status_code == 404
