"""What posting costs in queries: each one counted on the benchmark's post row (docs/PERFORMANCE.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _post(user_api, text, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=False):
        answer = user_api.post("/api/v1/tweets", {"text": text}, format="json")
    assert answer.status_code == 201, answer.content
    return answer.json(), [query["sql"] for query in captured.captured_queries]


def test_a_post_mentioning_no_one_asks_nothing_of_notifications(user_api, django_capture_on_commit_callbacks):
    body, queries = _post(user_api, "a plain post #tag", django_capture_on_commit_callbacks)
    assert not [sql for sql in queries if Notification._meta.db_table in sql]
    # The answer's post is read with its author in one query: no second query for the author.
    assert not [sql for sql in queries if sql.lstrip().startswith("SELECT") and '"accounts_user"."id" IN' in sql]
    assert body["tweetData"]["author"]["username"] == "alice"
    assert len(queries) <= 11, "\n".join(queries)


def test_a_post_mentioning_someone_still_tells_them(user_api, django_capture_on_commit_callbacks):
    bob = UserFactory(username="bob")
    _post(user_api, "hello @bob", django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=bob, verb="mention").count() == 1


def test_the_answer_is_the_post_as_read_back(user, ben, django_capture_on_commit_callbacks):
    """selectors.as_posted hydrates the instance tweet_create made; the answer is what reading it back gave."""
    from datetime import timedelta

    from rest_framework.test import APIRequestFactory

    from tests.images import png_upload
    from tweets import selectors
    from tweets import services as tweets
    from tweets.serializers import TweetSerializer

    request = APIRequestFactory().get("/")
    request.user = user

    def both(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            made = tweets.tweet_create(author=user, **kwargs)
        posted = TweetSerializer(selectors.as_posted(made, user), context={"request": request}).data
        return posted, TweetSerializer(selectors.tweet_for_viewer(made.pk, user), context={"request": request}).data

    theirs = tweets.tweet_create(author=ben, text_input="ben's post")
    tweets.like_create(user=user, tweet_id=theirs.pk)
    picture = tweets.media_upload(owner=user, upload=png_upload())
    cases = [
        {"text_input": "plain"},
        {"text_input": "hi @ben #Tag https://example.com", "content_warning": "spoilers", "sensitive": True},
        {"text_input": "a reply", "reply_to_id": theirs.pk},  # the answered post's reply count has just moved
        {"text_input": "a quote", "quote_of_id": theirs.pk},  # the quoted post: liked by the viewer, quoted once more
        {"text_input": "a poll", "poll_choices": ["a", "b"], "poll_duration": timedelta(days=1)},
        {"text_input": "a picture", "media_ids": [picture.pk]},
    ]
    for kwargs in cases:
        posted, read_back = both(**kwargs)
        assert posted == read_back, kwargs
    assert read_back["media"] and posted["quoteTweet"] is None
