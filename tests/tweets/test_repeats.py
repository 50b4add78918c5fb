"""A post sent again (its answer was lost) is the first post, not a second: with or without Idempotency-Key."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from config.kernel import ids
from tests import images
from tests.tweets.helpers import post
from tweets import services as tweet_services
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def test_the_same_post_sent_again_answers_200_with_the_first(user_api, user):
    first = user_api.post("/api/v1/tweets", {"text": "Hello  there "}, format="json")
    again = user_api.post("/api/v1/tweets", {"text": "Hello  there "}, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["tweetId"] == first.json()["tweetId"]
    assert Tweet.objects.filter(author=user).count() == 1


def test_a_different_text_target_or_author_is_a_new_post(user_api, api_as, user, other_user):
    target = post(other_user, "a post to answer")
    assert user_api.post("/api/v1/tweets", {"text": "yes"}, format="json").status_code == 201
    reply = {"text": "yes", "replyToTweetId": str(target.pk)}
    assert user_api.post("/api/v1/tweets", reply, format="json").status_code == 201
    assert user_api.post(f"/api/v1/tweets/{target.pk}/retweet", {"comment": "yes"}, format="json").status_code == 200
    assert api_as(other_user).post("/api/v1/tweets", {"text": "yes"}, format="json").status_code == 201
    assert Tweet.objects.filter(author=user).count() == 3
    assert user_api.post("/api/v1/tweets", {"text": "Yes"}, format="json").status_code == 429  # flood, not a retry


def test_after_two_minutes_the_same_text_is_a_new_post(user_api, user):
    first = post(user, "good morning")
    Tweet.objects.filter(pk=first.pk).update(id=ids.id_at(timezone.now() - timedelta(minutes=3)))
    assert user_api.post("/api/v1/tweets", {"text": "good morning"}, format="json").status_code == 201
    assert Tweet.objects.filter(author=user).count() == 2


def test_a_retry_with_the_same_uploads_gets_the_first_post(user_api, user):
    media_id = user_api.post("/api/v1/media/upload", {"file": images.png_upload()}, format="multipart").json()[
        "mediaId"
    ]
    body = {"text": "look", "mediaIds": [media_id]}
    first = user_api.post("/api/v1/tweets", body, format="json")
    again = user_api.post("/api/v1/tweets", body, format="json")  # the upload is the first post's now
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tweetId"] == first.json()["tweetId"]
    no_image = user_api.post("/api/v1/tweets", {"text": "look"}, format="json")
    assert no_image.status_code == 201


def test_the_page_takes_a_resent_post_as_posted(client_logged_in, user):
    for _ in range(2):  # the form sent again from a fresh page (a new token), same words
        response = client_logged_in.post("/compose", {"text": "from the page", "form_token": uuid.uuid4()})
        assert response.status_code == 302
    assert Tweet.objects.filter(author=user).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_sent_while_the_first_is_still_being_written_waits_and_finds_it(user):
    written, release = threading.Event(), threading.Event()
    found = {}

    def first_request():
        with transaction.atomic():
            found["first"] = tweet_services.tweet_create(author=user, text_input="slow network")
            written.set()
            release.wait(10)  # not committed yet
        connection.close()

    def retry():
        found["retry"] = tweet_services.tweet_create(author=user, text_input="slow network")
        connection.close()

    threads = [threading.Thread(target=first_request), threading.Thread(target=retry)]
    threads[0].start()
    assert written.wait(10)
    threads[1].start()
    threads[1].join(0.5)
    assert threads[1].is_alive()  # waiting for the first to commit
    release.set()
    for thread in threads:
        thread.join(10)
    assert found["retry"].pk == found["first"].pk and found["retry"].repeated
    assert Tweet.objects.filter(author=user).count() == 1
