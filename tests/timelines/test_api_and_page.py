import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from social.graph import services as social
from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(user, django_capture_on_commit_callbacks):
    friend = UserFactory(username="friend")
    with django_capture_on_commit_callbacks(execute=True):
        social.follow_create(follower=user, followee=friend)
    return friend


def test_api_home_shape_and_paging(user_api, followed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            post(followed, f"p{i}")
    first = user_api.get("/api/v1/timeline/home", {"limit": 2}).json()
    assert set(first) == {"tweets", "nextCursor"}
    assert [t["text"] for t in first["tweets"]] == ["p2", "p1"]
    assert first["tweets"][0]["author"] == {
        "id": str(followed.pk), "username": "friend", "name": followed.name, "avatarUrl": None,
    }  # fmt: skip
    rest = user_api.get("/api/v1/timeline/home", {"limit": 2, "cursor": first["nextCursor"]}).json()
    assert [t["text"] for t in rest["tweets"]] == ["p0"] and rest["nextCursor"] is None


@pytest.mark.parametrize(
    ("query", "field"), [({"filter": "cats"}, "filter"), ({"rank": "best"}, "rank"), ({"limit": 0}, "limit")]
)
def test_api_home_rejects_bad_parameters(user_api, query, field):
    response = user_api.get("/api/v1/timeline/home", query)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_api_home_needs_auth(api_client):
    assert api_client.get("/api/v1/timeline/home").status_code == 401


def test_home_page_has_tabs_filters_and_an_older_link(client_logged_in, followed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            post(followed, f"p{i}")
    html = client_logged_in.get("/", {"limit": 2}).content.decode()
    assert "Latest" in html and "Top" in html and 'href="?filter=media"' in html
    assert "Older posts" in html and 'hx-trigger="revealed"' in html
    cursor = client_logged_in.get("/", {"limit": 2}).context["next_cursor"]
    page = client_logged_in.get("/", {"limit": 2, "cursor": cursor}, HTTP_HX_REQUEST="true")
    assert "p0" in page.content.decode() and "<html" not in page.content.decode()


def test_several_retweeters_are_named_on_the_card(client_logged_in, user, django_capture_on_commit_callbacks):
    friends = [UserFactory(username=name, name=name.title()) for name in ("ann", "ben", "cat")]
    original = post(UserFactory(), "shared widely")
    with django_capture_on_commit_callbacks(execute=True):
        for friend in friends:
            social.follow_create(follower=user, followee=friend)
            tweet_services.retweet_create(user=friend, tweet_id=original.pk)
    html = client_logged_in.get("/").content.decode()
    assert html.count("shared widely") == 1
    assert 'Cat</a>, <a href="/@ben">Ben</a> and 1 other retweeted' in html


def build(author, reader_friend, size):
    for i in range(size):
        kind = i % 4
        if kind == 0:
            post(author, f"plain {i}")
        elif kind == 1:
            post(author, f"pic {i}", uploads=[(images.png_upload(), "")])
        elif kind == 2:
            tweet_services.retweet_create(user=author, tweet_id=post(reader_friend, f"rt {i}").pk)
        else:
            post(author, f"quote {i}", quote_of_id=post(reader_friend, f"q {i}").pk)


@pytest.mark.parametrize("path", ["/api/v1/timeline/home?limit=50", "/?limit=50"])
def test_home_queries_do_not_grow(user, path, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    author, other = UserFactory(username="author"), UserFactory(username="other")
    with django_capture_on_commit_callbacks(execute=True):
        social.follow_create(follower=user, followee=author)
    client = APIClient()
    client.force_login(user)
    counts = []
    for size in (4, 46):  # 4 entries (one of each kind), then 50
        with django_capture_on_commit_callbacks(execute=True):
            build(author, other, size)
        client.get(path)  # builds and warms the timeline
        with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
