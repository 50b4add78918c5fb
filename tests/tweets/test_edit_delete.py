"""Editing (author only, 30 minutes, history kept) and deleting (author only, and what goes with it)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests import images
from tests.tweets.helpers import post
from tweets.models import Hashtag, Like, Media, Tweet, TweetEdit

pytestmark = pytest.mark.django_db


def test_edit_keeps_history_and_reparses(user_api, client, user, other_user):
    tweet = post(user, "hello #old")
    response = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "hello #New @bob"}, format="json")
    assert response.status_code == 200
    data = response.json()["tweet"]
    assert data["text"] == "hello #New @bob" and data["editedAt"] is not None
    assert data["hashtags"] == ["new"] and data["mentions"] == [{"id": str(other_user.pk), "username": "bob"}]
    tweet.refresh_from_db()
    assert list(tweet.hashtags.values_list("name", flat=True)) == ["new"]
    assert not Hashtag.objects.get(name="old").tweets.exists()
    assert list(TweetEdit.objects.values_list("text", flat=True)) == ["hello #old"]

    page = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert "Edited" in page
    history = client.get(f"/@alice/status/{tweet.pk}/history").content.decode()
    assert 'hello <a class="hashtag" href="/hashtag/old">#old</a>' in history


def test_edit_after_30_minutes_is_403(user_api, user):
    tweet = post(user, "too late")
    Tweet.objects.filter(pk=tweet.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    response = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "changed"}, format="json")
    assert response.status_code == 403
    assert "30 minutes" in response.json()["error"]
    tweet.refresh_from_db()
    assert tweet.text == "too late" and not TweetEdit.objects.exists()


def test_edit_page_after_30_minutes_says_why(client_logged_in, user):
    tweet = post(user, "too late")
    Tweet.objects.filter(pk=tweet.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    response = client_logged_in.post(f"/@alice/status/{tweet.pk}/edit", {"text": "changed"})
    assert response.status_code == 403
    assert "30 minutes" in response.content.decode()


def test_editing_someone_elses_tweet_is_403(user_api, other_user):
    tweet = post(other_user, "theirs")
    response = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "mine now"}, format="json")
    assert response.status_code == 403
    tweet.refresh_from_db()
    assert tweet.text == "theirs"


def test_the_edit_page_of_someone_elses_post_is_404(client_logged_in, other_user):
    tweet = post(other_user, "theirs")
    assert client_logged_in.get(f"/@bob/status/{tweet.pk}/edit").status_code == 404
    assert client_logged_in.post(f"/@bob/status/{tweet.pk}/edit", {"text": "mine now"}).status_code == 404
    tweet.refresh_from_db()
    assert tweet.text == "theirs"


def test_edit_to_281_is_400(user_api, user):
    tweet = post(user, "short")
    response = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "y" * 281}, format="json")
    assert response.status_code == 400
    tweet.refresh_from_db()
    assert tweet.text == "short"


def test_page_edit(client_logged_in, user):
    tweet = post(user, "first draft")
    response = client_logged_in.post(f"/@alice/status/{tweet.pk}/edit", {"text": "second draft"})
    assert response.status_code == 302
    tweet.refresh_from_db()
    assert tweet.text == "second draft"


def test_deleting_someone_elses_tweet_is_403_and_changes_nothing(user_api, client_logged_in, other_user):
    tweet = post(other_user, "theirs")
    assert user_api.delete(f"/api/v1/tweets/{tweet.pk}").status_code == 403
    assert client_logged_in.post(f"/@bob/status/{tweet.pk}/delete").status_code == 403
    assert client_logged_in.get(f"/@bob/status/{tweet.pk}/delete").status_code == 403
    assert Tweet.objects.filter(pk=tweet.pk, text="theirs").exists()


def test_delete_takes_likes_retweets_and_images_and_leaves_quotes_saying_so(
    user_api, api_as, client, user, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(user, "going away", uploads=[(images.png_upload(), "")])
    parent = post(other_user, "parent")
    reply = post(user, "a reply", reply_to_id=parent.pk)
    api_as(other_user).post(f"/api/v1/tweets/{tweet.pk}/like")
    api_as(other_user).post(f"/api/v1/tweets/{tweet.pk}/retweet", {}, format="json")
    quote = post(other_user, "look at this", quote_of_id=tweet.pk)
    assert len([p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]) == 2  # image + thumbnail

    with django_capture_on_commit_callbacks(execute=True):
        assert user_api.delete(f"/api/v1/tweets/{tweet.pk}").json() == {"message": "The post was deleted."}
        user_api.delete(f"/api/v1/tweets/{reply.pk}")

    assert not Tweet.objects.filter(pk=tweet.pk).exists()
    assert not Like.objects.exists() and not Tweet.objects.filter(retweet_of_id=tweet.pk).exists()
    assert not Media.objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
    parent.refresh_from_db()
    assert parent.reply_count == 0
    assert "This post was deleted" in client.get(f"/@bob/status/{quote.pk}").content.decode()
    data = api_as(other_user).get(f"/api/v1/tweets/{quote.pk}").json()["tweet"]
    assert data["quoteTweet"] is None and data["quoteTweetId"] == str(tweet.pk)
    assert api_as(other_user).get(f"/api/v1/tweets/{tweet.pk}").status_code == 404


def test_page_delete_with_confirmation(client_logged_in, user):
    tweet = post(user, "bye")
    confirm = client_logged_in.get(f"/@alice/status/{tweet.pk}/delete")
    assert confirm.status_code == 200 and "can't be undone" in confirm.content.decode()
    response = client_logged_in.post(f"/@alice/status/{tweet.pk}/delete")
    assert response.status_code == 302
    assert not Tweet.objects.exists()
