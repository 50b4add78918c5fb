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
