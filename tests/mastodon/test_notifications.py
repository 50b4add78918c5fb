"""Mastodon's notifications: v1 one by one, v2 grouped, dismiss and clear; the shared path goes by the token."""

import pytest

from social.graph import services as graph
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tweets import services as tweets

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox():
    """Ann's notifications: three likes of one post (one group), a follow, a reply (a mention)."""
    ann = UserFactory()
    post = tweets.tweet_create(author=ann, text_input="A post to like")
    fans = [UserFactory() for _ in range(3)]
    for fan in fans:
        tweets.like_create(user=fan, tweet_id=post.pk)
    follower = UserFactory()
    graph.follow_create(follower=follower, followee=ann)
    replier = UserFactory()
    reply = tweets.tweet_create(author=replier, text_input="A reply", reply_to_id=post.pk)
    return ann, post, fans, follower, reply


def test_v1_lists_newest_first_with_mastodon_types_and_entities(inbox, django_assert_max_num_queries):
    ann, post, _fans, follower, reply = inbox
    client = masto(ann)
    client.get("/api/v1/notifications")  # the token's first use marks it; count the second call
    with django_assert_max_num_queries(16):
        answer = client.get("/api/v1/notifications")
    assert answer.status_code == 200
    body = answer.json()
    assert [n["type"] for n in body] == ["mention", "follow", "favourite", "favourite", "favourite"]
    assert body[0]["status"]["id"] == str(reply.pk) and body[0]["account"]["id"] == str(reply.author_id)
    assert body[1]["status"] is None and body[1]["account"]["id"] == str(follower.pk)
    assert body[2]["status"]["id"] == str(post.pk) and body[2]["group_key"] == body[4]["group_key"]
    assert set(body[0]) >= {"id", "type", "created_at", "account", "status", "group_key"}


def test_v1_types_exclude_types_and_paging(inbox):
    ann, *_ = inbox
    client = masto(ann)
    assert [n["type"] for n in client.get("/api/v1/notifications?types[]=follow").json()] == ["follow"]
    assert "favourite" not in [n["type"] for n in client.get("/api/v1/notifications?exclude_types[]=favourite").json()]
    first = client.get("/api/v1/notifications?limit=2")
    assert len(first.json()) == 2
    older = client.get(link_of(first, "next")).json()
    assert [n["type"] for n in older] == ["favourite", "favourite"]
    assert int(older[0]["id"]) < int(first.json()[-1]["id"])


def test_the_shared_path_answers_chirp_to_chirp_tokens(inbox, api_as):
    ann, *_ = inbox
    chirp = api_as(ann).get("/api/v1/notifications").json()
    assert "notifications" in chirp and "unreadCount" in chirp  # Chirp's shape, unchanged


def test_one_dismiss_clear_and_unread_count(inbox):
    ann, *_ = inbox
    client = masto(ann)
    listed = client.get("/api/v1/notifications").json()
    assert client.get("/api/v1/notifications/unread_count").json() == {"count": 5}
    one = client.get(f"/api/v1/notifications/{listed[0]['id']}")
    assert one.status_code == 200 and one.json()["id"] == listed[0]["id"]
    assert client.post(f"/api/v1/notifications/{listed[0]['id']}/dismiss").status_code == 200
    assert client.get(f"/api/v1/notifications/{listed[0]['id']}").status_code == 404
    assert client.post("/api/v1/notifications/clear").status_code == 200
    assert client.get("/api/v1/notifications").json() == []


def test_someone_elses_or_a_made_up_notification_is_404(inbox):
    ann, *_ = inbox
    listed = masto(ann).get("/api/v1/notifications").json()
    stranger = masto(UserFactory())
    for path in (
        f"/api/v1/notifications/{listed[0]['id']}",
        "/api/v1/notifications/999999999",
    ):
        answer = stranger.get(path)
        assert answer.status_code == 404 and answer.json() == {"error": "Record not found"}
    assert stranger.get("/api/v1/notifications/x").status_code == 404  # not an id: no such path
    assert stranger.post(f"/api/v1/notifications/{listed[0]['id']}/dismiss").status_code == 404
    assert masto(ann).get(f"/api/v1/notifications/{listed[0]['id']}").status_code == 200  # still there


def test_v2_groups_likes_of_one_post_and_names_accounts_and_statuses_once(inbox, django_assert_max_num_queries):
    ann, post, fans, follower, reply = inbox
    client = masto(ann)
    client.get("/api/v2/notifications")
    with django_assert_max_num_queries(16):
        body = client.get("/api/v2/notifications").json()
    groups = body["notification_groups"]
    assert [g["type"] for g in groups] == ["mention", "follow", "favourite"]
    likes = groups[2]
    assert (
        likes["notifications_count"] == 3
    )  # Mastodon's name, plural (Mastodon.py reads no other) and likes["status_id"] == str(post.pk)
    assert set(likes["sample_account_ids"]) == {str(f.pk) for f in fans}
    assert {a["id"] for a in body["accounts"]} == {str(u.pk) for u in [*fans, follower]} | {str(reply.author_id)}
    assert {s["id"] for s in body["statuses"]} == {str(post.pk), str(reply.pk)}

    group = client.get(f"/api/v2/notifications/{likes['group_key']}")
    assert group.status_code == 200 and group.json()["notification_groups"][0]["notifications_count"] == 3
    accounts = client.get(f"/api/v2/notifications/{likes['group_key']}/accounts").json()
    assert {a["id"] for a in accounts} == {str(f.pk) for f in fans}
    assert client.post(f"/api/v2/notifications/{likes['group_key']}/dismiss").status_code == 200
    assert [g["type"] for g in client.get("/api/v2/notifications").json()["notification_groups"]] == [
        "mention",
        "follow",
    ]
    for bad in ("favourite-1-notaday", "nonsense", "ungrouped-x"):
        assert client.get(f"/api/v2/notifications/{bad}").status_code == 404


def test_a_token_without_read_notifications_is_refused(inbox):
    ann, *_ = inbox
    answer = masto(ann, "read:statuses").get("/api/v2/notifications")
    assert answer.status_code == 403 and "read:notifications" in answer.json()["error"]
