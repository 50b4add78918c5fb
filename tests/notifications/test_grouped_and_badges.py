"""The grouped notifications API, and badges that behave: the page clears its badge, a DM raises Messages only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import selectors, services
from notifications.models import Notification
from social.graph import services as social
from social.messages import services as dm
from social.messages.selectors import unread_conversations
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications"


@pytest.fixture
def liked(user):
    """Alice's post liked by five people (fan0 first), then a follow by fan0."""
    tweet = post(user, "popular post")
    fans = [UserFactory(username=f"fan{i}", name=f"Fan {i}") for i in range(5)]
    for fan in fans:
        tweets.like_create(user=fan, tweet_id=tweet.pk)
    social.follow_create(follower=fans[0], followee=user)
    return tweet, fans


def test_grouped_answers_groups_as_the_page_shows_them(user_api, liked):
    tweet, _ = liked
    body = user_api.get(API, {"grouped": "true"}).json()
    assert set(body) == {"groups", "nextCursor", "unreadCount"}
    follow, likes = body["groups"]
    assert set(likes) == {"groupKey", "type", "tweet", "actors", "count", "latestAt", "read", "notificationIds"}
    assert likes["type"] == "like" and likes["tweet"]["text"] == "popular post"
    assert [a["username"] for a in likes["actors"]] == ["fan4", "fan3", "fan2"]  # the latest 3, newest first
    assert likes["count"] == 5 and len(likes["notificationIds"]) == 5 and likes["read"] is False
    assert likes["groupKey"] == f"like:{tweet.pk}:{timezone.now().date().isoformat()}"
    assert follow["type"] == "follow" and follow["tweet"] is None and follow["count"] == 1
    assert body["unreadCount"] == 6


def test_a_group_split_across_pages_keeps_its_key(user_api, liked):
    first = user_api.get(API, {"grouped": "true", "limit": 3}).json()
    second = user_api.get(API, {"grouped": "true", "limit": 3, "cursor": first["nextCursor"]}).json()
    assert [g["type"] for g in first["groups"]] == ["follow", "like"]
    assert [g["type"] for g in second["groups"]] == ["like"]
    assert first["groups"][1]["groupKey"] == second["groups"][0]["groupKey"]
    ids = first["groups"][1]["notificationIds"] + second["groups"][0]["notificationIds"]
    assert len(set(ids)) == 5


def test_read_is_all_read(user_api, user, liked):
    Notification.objects.filter(recipient=user, verb="like").order_by("id").first().delete()  # 4 likes left
    some = Notification.objects.filter(recipient=user, verb="like").order_by("id")[:2]
    services.mark_read(recipient=user, notification_ids=[n.pk for n in some])
    likes = user_api.get(API, {"grouped": "true"}).json()["groups"][1]
    assert likes["read"] is False and likes["count"] == 4
    services.mark_all_read(recipient=user)
    assert user_api.get(API, {"grouped": "true"}).json()["groups"][1]["read"] is True


@pytest.mark.parametrize("value", ["", "yes", "1", "True"])
def test_a_bad_grouped_value_is_400(user_api, value):
    answer = user_api.get(API, {"grouped": value})
    assert answer.status_code == 400 and "grouped" in answer.json()["fields"]


def test_absent_or_false_answers_as_before(user_api, liked):
    for query in ({}, {"grouped": "false"}):
        body = user_api.get(API, query).json()
        assert set(body) == {"notifications", "nextCursor", "unreadCount"} and len(body["notifications"]) == 6


@pytest.mark.parametrize("grouped", ["true", "false"])
def test_queries_do_not_grow_with_many_likes_of_one_post(user_api, user, grouped, django_assert_max_num_queries):
    counts = []
    for size in (3, 40):
        target = post(user, f"liked by {size}")
        for _ in range(size):
            other = UserFactory()
            tweets.like_create(user=other, tweet_id=target.pk)
            post(other, "hey @alice")
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as captured:
            assert user_api.get(API, {"limit": 100, "grouped": grouped}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- badges --------------------------------------------------------------------------------------


def test_opening_the_page_reads_everything_after_showing_it_unread(client_logged_in, user, liked):
    html = client_logged_in.get("/notifications").content.decode()
    assert html.count('class="notification is-unread') == 2  # highlighted for this view...
    assert 'data-badge="notifications" hidden' in html  # ...while its own badge already says 0
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    again = client_logged_in.get("/notifications").content.decode()
    assert "is-unread" not in again


def test_the_next_page_and_other_pages_read_nothing(client_logged_in, user, liked):
    client_logged_in.get("/notifications?cursor=999999999", HTTP_HX_REQUEST="true")
    client_logged_in.get("/")
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 6


def test_what_arrives_after_the_page_was_read_stays_unread(user, liked):
    seen_at = timezone.now()
    late = Notification.objects.filter(recipient=user, verb="follow").get()
    Notification.objects.filter(pk=late.pk).update(created_at=seen_at + timedelta(seconds=1))
    assert services.mark_all_read(recipient=user, seen_at=seen_at) == 5
    assert list(Notification.objects.filter(recipient=user, read_at__isnull=True)) == [late]


def test_a_direct_message_raises_the_messages_badge_only(client_logged_in, user_api, user, other_user):
    dm.message_send(sender=other_user, recipient_id=user.pk, text="psst")
    assert Notification.objects.filter(recipient=user, verb="message", read_at__isnull=True).exists()
    assert selectors.unread_count(user.pk) == 0 and unread_conversations(user.pk) == 1
    assert selectors.live_unread_event(user.pk)["notifications"] == 0
    body = user_api.get(API).json()
    assert body["unreadCount"] == 0 and [n["type"] for n in body["notifications"]] == ["message"]  # still listed
    html = client_logged_in.get("/").content.decode()
    assert 'data-badge="notifications" hidden' in html
    assert 'data-badge="messages" aria-label="1 unread">1</span>' in html


def test_the_badges_count_in_a_language_whose_plural_rule_does_arithmetic(client_logged_in, user, other_user, liked):
    # Spanish's plural rule takes "n % 1000000": the count must be a number, not a lazy stand-in for one
    # (which raised on every page for a Spanish reader with something unread).
    dm.message_send(sender=other_user, recipient_id=user.pk, text="hola")
    user.language = "es"
    user.save(update_fields=["language"])
    answer = client_logged_in.get("/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'data-badge="notifications" aria-label="6 sin leer">6</span>' in html
    assert 'data-badge="messages" aria-label="1 sin leer">1</span>' in html


def test_the_unread_count_uses_the_unread_index(user, liked):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            with CaptureQueriesContext(connection) as captured:
                selectors.unread_count(user.pk)
            cursor.execute("EXPLAIN " + captured[0]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "notification_unread" in plan, plan
