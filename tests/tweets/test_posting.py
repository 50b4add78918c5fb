"""Posting through the API and the compose form: shape, limits, entities, idempotency."""

import uuid

import pytest

from tests.factories import UserFactory
from tests.tweets.helpers import TWEET_KEYS, post
from tweets.models import Hashtag, Tweet

pytestmark = pytest.mark.django_db


def test_api_post_answers_201_with_the_tweet(user_api, user, other_user):
    response = user_api.post(
        "/api/v1/tweets", {"text": "Hi @bob, see #Django https://djangoproject.com"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"tweetId", "createdAt", "tweetData"}
    tweet = body["tweetData"]
    assert set(tweet) == TWEET_KEYS
    assert tweet["id"] == body["tweetId"] and isinstance(tweet["id"], str) and tweet["id"].isdigit()
    assert tweet["author"] == {"id": str(user.pk), "username": "alice", "name": "Alice Liddell", "avatarUrl": None}
    assert tweet["hashtags"] == ["django"]
    assert tweet["mentions"] == [{"id": str(other_user.pk), "username": "bob"}]
    assert (tweet["likeCount"], tweet["retweetCount"], tweet["replyCount"], tweet["quoteCount"]) == (0, 0, 0, 0)
    assert (tweet["liked"], tweet["retweeted"]) == (False, False)
    assert tweet["replyToTweetId"] is None and tweet["quoteTweet"] is None and tweet["retweetOf"] is None


def test_api_281_code_points_is_400_and_creates_nothing(user_api):
    response = user_api.post("/api/v1/tweets", {"text": "é" * 281}, format="json")
    assert response.status_code == 400
    assert "280" in response.json()["fields"]["text"][0]
    assert not Tweet.objects.exists()


def test_page_281_code_points_is_a_form_error(client_logged_in):
    response = client_logged_in.post("/compose", {"text": "x" * 281, "form_token": uuid.uuid4()})
    assert response.status_code == 400
    assert "280" in " ".join(response.context["form"].errors["text"])
    assert not Tweet.objects.exists()


def test_empty_text_without_images_is_refused(user_api):
    response = user_api.post("/api/v1/tweets", {"text": " \u200b "}, format="json")
    assert response.status_code == 400
    assert "text" in response.json()["fields"]
    assert not Tweet.objects.exists()


def test_page_post_creates_and_redirects(client_logged_in, user):
    response = client_logged_in.post("/compose", {"text": "From the page", "form_token": uuid.uuid4(), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert Tweet.objects.get().text == "From the page"
    assert "From the page" in client_logged_in.get("/").content.decode()


def test_double_submitted_form_posts_once(client_logged_in):
    token = uuid.uuid4()
    first = client_logged_in.post("/compose", {"text": "Only once", "form_token": token})
    second = client_logged_in.post("/compose", {"text": "Only once", "form_token": token})
    assert first.status_code == second.status_code == 302
    assert Tweet.objects.count() == 1


def test_repeated_idempotency_key_gives_one_tweet(user_api):
    first = user_api.post("/api/v1/tweets", {"text": "once"}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    second = user_api.post("/api/v1/tweets", {"text": "once"}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Tweet.objects.count() == 1


def test_idempotency_keys_belong_to_their_caller(user_api, api_as, other_user):
    user_api.post("/api/v1/tweets", {"text": "mine"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    theirs = api_as(other_user).post("/api/v1/tweets", {"text": "mine"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert theirs.status_code == 201
    assert Tweet.objects.count() == 2


def test_hashtags_are_stored_case_folded_once(user):
    post(user, "#Python and #python and #PYTHON")
    post(user, "more #Python")
    assert list(Hashtag.objects.values_list("name", flat=True)) == ["python"]
    assert Hashtag.objects.get().tweets.count() == 2


def test_mentions_link_real_users_only(user, other_user):
    tweet = post(user, "hey @BOB and @nobody")
    assert list(tweet.mentions.all()) == [other_user]
    assert [e["username"] for e in tweet.entities if e["type"] == "mention"] == ["bob"]


def test_reply_counts_and_threads(user_api, user, other_user):
    root = post(other_user, "root")
    response = user_api.post("/api/v1/tweets", {"text": "a reply", "replyToTweetId": str(root.pk)}, format="json")
    assert response.status_code == 201
    reply = Tweet.objects.get(pk=response.json()["tweetId"])
    assert reply.reply_to_id == root.pk and reply.conversation_id == root.pk
    root.refresh_from_db()
    assert root.reply_count == 1
    nested = post(other_user, "deeper", reply_to_id=reply.pk)
    assert nested.conversation_id == root.pk


@pytest.mark.parametrize("target", ["unknown", "deleted"])
def test_reply_to_unknown_or_deleted_is_404(user_api, user, target):
    parent_id = 999_999_999
    if target == "deleted":
        parent = post(user, "soon gone")
        parent_id = parent.pk
        parent.delete()
    response = user_api.post("/api/v1/tweets", {"text": "hello?", "replyToTweetId": str(parent_id)}, format="json")
    assert response.status_code == 404
    assert Tweet.objects.count() == 0


def test_reply_to_a_malformed_id_is_400(user_api):
    response = user_api.post("/api/v1/tweets", {"text": "x", "replyToTweetId": "abc"}, format="json")
    assert response.status_code == 400
    assert "replyToTweetId" in response.json()["fields"]


def test_quote_embeds_the_quoted_tweet(user_api, other_user):
    quoted = post(other_user, "quotable")
    response = user_api.post("/api/v1/tweets", {"text": "so true", "quoteTweetId": str(quoted.pk)}, format="json")
    data = response.json()["tweetData"]
    assert data["quoteTweetId"] == str(quoted.pk)
    assert data["quoteTweet"]["text"] == "quotable"
    quoted.refresh_from_db()
    assert quoted.quote_count == 1


def test_user_text_renders_inert(client, db):
    author = UserFactory(username="mallory", name='<script>alert("name")</script>')
    tweet = post(author, "<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) <b>bold</b>")
    html = client.get(f"/@mallory/status/{tweet.pk}").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_links_hashtags_and_mentions_render_as_links(client, user, other_user):
    tweet = post(user, "Go @bob: #Chirp https://example.com/path?q=1&x=2")
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert '<a class="mention" href="/@bob">@bob</a>' in html
    assert '<a class="hashtag" href="/hashtag/chirp">#Chirp</a>' in html
    assert 'href="https://example.com/path?q=1&amp;x=2" rel="nofollow ugc noopener noreferrer"' in html
