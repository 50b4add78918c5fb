import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from notifications.selectors import live_notification_event
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db


@pytest.fixture
def liked(user):
    """Alice's post liked by five people, and one follower."""
    tweet = post(user, "popular post")
    fans = [UserFactory(username=f"fan{i}", name=f"Fan {i}") for i in range(5)]
    for fan in fans:
        tweets.like_create(user=fan, tweet_id=tweet.pk)
    social.follow_create(follower=fans[0], followee=user)
    return tweet, fans


def test_api_shape_and_unread_count(user_api, liked):
    body = user_api.get("/api/v1/notifications").json()
    assert set(body) == {"notifications", "nextCursor", "unreadCount"}
    assert body["unreadCount"] == 6 and len(body["notifications"]) == 6
    first = body["notifications"][0]
    assert set(first) == {"id", "type", "actor", "tweet", "createdAt", "read"}
    assert first["type"] == "follow" and first["tweet"] is None and first["read"] is False
    assert set(first["actor"]) == {"id", "username", "name", "avatarUrl"}
    like = body["notifications"][1]
    assert like["type"] == "like" and like["tweet"]["text"] == "popular post"


def test_read_one_then_all(user_api, liked):
    notifications = user_api.get("/api/v1/notifications").json()["notifications"]
    response = user_api.post(f"/api/v1/notifications/{notifications[0]['id']}/read")
    assert response.status_code == 200 and "message" in response.json()
    assert user_api.get("/api/v1/notifications").json()["unreadCount"] == 5
    assert user_api.post("/api/v1/notifications/read-all").status_code == 200
    body = user_api.get("/api/v1/notifications").json()
    assert body["unreadCount"] == 0 and all(n["read"] for n in body["notifications"])


def test_someone_elses_notification_is_404(api_as, liked, other_user):
    theirs = Notification.objects.first()
    assert api_as(other_user).post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert api_as(other_user).post("/api/v1/notifications/nope/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mentions_tab(user_api, user, other_user):
    post(other_user, "hi @alice")
    target = post(user, "mine")
    tweets.like_create(user=other_user, tweet_id=target.pk)
    body = user_api.get("/api/v1/notifications", {"tab": "mentions"}).json()
    assert [n["type"] for n in body["notifications"]] == ["mention"]
    assert user_api.get("/api/v1/notifications", {"tab": "secret"}).status_code == 400


def test_page_groups_likes_of_one_post(client_logged_in, liked):
    html = client_logged_in.get("/notifications").content.decode()
    assert html.count('class="notification is-unread verb-like"') == 1
    assert 'Fan 4</bdi></strong></a>, <a href="/@fan3"><strong><bdi>Fan 3</bdi></strong></a> and 3 others' in html
    assert "liked your post" in html and "followed you" in html


def test_page_mark_read_and_badge(client_logged_in, user, liked):
    html = client_logged_in.get("/").content.decode()
    assert 'data-badge="notifications" aria-label="6 unread">6</span>' in html
    ids = list(Notification.objects.filter(verb="like").values_list("pk", flat=True))
    client_logged_in.post("/notifications/read", {"ids": ids})
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 1
    client_logged_in.post("/notifications/read-all")
    html = client_logged_in.get("/").content.decode()
    assert 'data-badge="notifications" hidden' in html


def test_list_queries_do_not_grow(user_api, user, django_assert_max_num_queries):
    counts = []
    for size in (3, 40):
        for _ in range(size):
            other = UserFactory()
            tweets.like_create(user=other, tweet_id=post(user, f"x {other.username}").pk)
            post(other, "hey @alice")
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as captured:
            assert user_api.get("/api/v1/notifications", {"limit": 100}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_privacy_page_no_longer_sets_notifications_and_links_to_their_page(client_logged_in, user):
    user.notification_prefs = {"app": {"like": False}}
    user.save()
    html = client_logged_in.get("/settings/privacy").content.decode()
    assert 'name="notify_' not in html and 'href="/settings/notifications"' in html
    client_logged_in.post("/settings/privacy", {"who_can_message": "everyone"})
    user.refresh_from_db()
    assert user.notification_prefs == {"app": {"like": False}}  # saving privacy leaves them as they were


def test_a_live_notification_renders_off_any_request_without_a_token(ann, ben, settings, recwarn):
    settings.DEBUG = True  # where Django warns of a {% csrf_token %} with no request
    social.follow_create(follower=ben, followee=ann)
    post(ben, "hello @ann")  # a mention: its card has like and retweet forms
    for notification in Notification.objects.filter(recipient=ann):
        html = live_notification_event(ann, notification.pk)["html"]
        assert 'action="/notifications/read"' in html
        assert "csrfmiddlewaretoken" not in html  # the page puts its own into the forms (static/js/app.js)
    assert "followed you" in html or "hello" in html
    assert not [w for w in recwarn if "csrf_token" in str(w.message)]
