"""The Quotes tab of a post (page and API): visible quotes only, newest first, with a cursor."""

import pytest

from social.graph import services as graph
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(other_user):
    return post(other_user, "the original")


def test_quotes_newest_first_with_a_cursor(api_client, original):
    for i in range(3):
        post(UserFactory(username=f"q{i}"), f"quote {i}", quote_of_id=original.pk)
    post(UserFactory(username="plain"), "a reply, not a quote", reply_to_id=original.pk)
    first = api_client.get(f"/api/v1/tweets/{original.pk}/quotes", {"limit": 2}).json()
    assert [t["text"] for t in first["tweets"]] == ["quote 2", "quote 1"]
    assert first["tweets"][0]["quoteTweet"]["id"] == str(original.pk)
    second = api_client.get(f"/api/v1/tweets/{original.pk}/quotes", {"limit": 2, "cursor": first["nextCursor"]}).json()
    assert [t["text"] for t in second["tweets"]] == ["quote 0"]
    assert second["nextCursor"] is None


def test_quotes_hide_what_the_viewer_may_not_see(user_api, user, original):
    private = UserFactory(username="hushed")
    post(private, "private quote", quote_of_id=original.pk)
    private.is_private = True
    private.save()
    blocker = UserFactory(username="blocker")
    post(blocker, "blocker's quote", quote_of_id=original.pk)
    graph.block_create(blocker=blocker, blocked=user)
    post(UserFactory(username="open"), "open quote", quote_of_id=original.pk)
    texts = [t["text"] for t in user_api.get(f"/api/v1/tweets/{original.pk}/quotes").json()["tweets"]]
    assert texts == ["open quote"]


def test_quotes_of_a_post_you_cannot_see_are_404(user_api, other_user, original):
    other_user.is_private = True
    other_user.save()
    response = user_api.get(f"/api/v1/tweets/{original.pk}/quotes")
    assert response.status_code == 404 and response.json()["error"]
    assert user_api.get("/api/v1/tweets/nope/quotes").status_code == 404
    assert user_api.get(f"/api/v1/tweets/{original.pk}/quotes", {"limit": "x"}).status_code in (400, 404)


def test_quotes_page(client, other_user, original):
    post(UserFactory(username="fan"), "so true", quote_of_id=original.pk)
    detail = client.get(f"/@bob/status/{original.pk}").content.decode()
    assert f'href="/@bob/status/{original.pk}/quotes"' in detail
    html = client.get(f"/@bob/status/{original.pk}/quotes").content.decode()
    assert "so true" in html and "the original" in html
    assert 'aria-current="page">Quotes' in html
    assert client.get(f"/@bob/status/{original.pk + 1}/quotes").status_code == 404


def test_quotes_page_of_a_retweet_goes_to_the_original(client, original):
    from tweets import services

    _, retweet = services.retweet_create(user=UserFactory(username="fan"), tweet_id=original.pk)
    response = client.get(f"/@fan/status/{retweet.pk}/quotes")
    assert response.status_code == 302 and response["Location"] == f"/@bob/status/{original.pk}/quotes"


def test_quotes_page_empty_state(client, original):
    assert "No quotes of this post yet" in client.get(f"/@bob/status/{original.pk}/quotes").content.decode()
