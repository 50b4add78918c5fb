"""Every committed write answers success while Redis is down (SPEC §3): one test per kind of write.

Real commits (`transaction=True`), so the after-commit work runs as in
production: cache clean-ups, trend counts, task scheduling, timeline outbox.
Redis refuses connections for every part of the process: timelines,
counters, the cache and the channel layer.
"""

import pytest

from social.graph.models import Block, Follow, FollowRequest, Mute
from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines.models import TimelineChange
from tweets.models import Like, Tweet

# Serialized like the other transactional tests: a flush that re-creates content types would
# break a serialized test that runs after it in the same process.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFUSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = REFUSED
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": REFUSED}}
    settings.CHANNEL_LAYERS = {"default": {**settings.CHANNEL_LAYERS["default"], "CONFIG": {"hosts": [REFUSED]}}}


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


def ok(response, *statuses):
    assert response.status_code in (statuses or (200, 201)), (response.status_code, response.content[:300])
    return response


def test_post_reply_and_quote(ann, bob, api_as, redis_down):
    original = post(bob, "first #news")
    client = api_as(ann)
    ok(client.post("/api/v1/tweets", {"text": "a post #news @bob"}, format="json"), 201)
    ok(client.post("/api/v1/tweets", {"text": "a reply", "replyToTweetId": str(original.pk)}, format="json"), 201)
    ok(client.post(f"/api/v1/tweets/{original.pk}/retweet", {"comment": "a quote"}, format="json"))
    assert Tweet.objects.filter(author=ann).count() == 3


def test_retweet_and_undo(ann, bob, api_as, redis_down):
    original = post(bob, "share me")
    client = api_as(ann)
    ok(client.post(f"/api/v1/tweets/{original.pk}/retweet", format="json"))
    ok(client.delete(f"/api/v1/tweets/{original.pk}/retweet"))
    assert not Tweet.objects.filter(author=ann, retweet_of=original).exists()
    assert TimelineChange.objects.filter(kind="remove", author_id=ann.pk).exists()  # for the catch-up


def test_like_and_unlike(ann, bob, api_as, redis_down):
    original = post(bob, "like me")
    client = api_as(ann)
    ok(client.post(f"/api/v1/tweets/{original.pk}/like"))
    ok(client.delete(f"/api/v1/tweets/{original.pk}/like"))
    assert not Like.objects.exists()


def test_edit_and_delete(ann, api_as, redis_down):
    mine = post(ann, "tpyo #oops")
    client = api_as(ann)
    ok(client.patch(f"/api/v1/tweets/{mine.pk}", {"text": "typo #fixed"}, format="json"))
    ok(client.delete(f"/api/v1/tweets/{mine.pk}"))
    assert not Tweet.objects.filter(pk=mine.pk).exists()


def test_follow_and_unfollow(ann, bob, api_as, redis_down):
    client = api_as(ann)
    assert ok(client.post("/api/v1/users/bob/follow")).json()["state"] == "following"
    assert ok(client.post("/api/v1/users/bob/unfollow")).json()["state"] == "none"
    assert not Follow.objects.exists()
    assert TimelineChange.objects.filter(kind="sync", reader_id=ann.pk, author_id=bob.pk).count() == 2


def test_follow_request_approve_and_deny(ann, bob, api_as, redis_down):
    bob.is_private = True
    bob.save(update_fields=["is_private"])
    carl = UserFactory(username="carl")
    assert ok(api_as(ann).post("/api/v1/users/bob/follow")).json()["state"] == "requested"
    ok(api_as(carl).post("/api/v1/users/bob/follow"))
    asked = {r.requester_id: r.pk for r in FollowRequest.objects.all()}
    ok(api_as(bob).post(f"/api/v1/follow-requests/{asked[ann.pk]}/approve"))
    ok(api_as(bob).post(f"/api/v1/follow-requests/{asked[carl.pk]}/deny"))
    assert Follow.objects.filter(follower=ann, followee=bob).exists() and not FollowRequest.objects.exists()


def test_block_and_unblock(ann, bob, api_as, redis_down):
    Follow.objects.create(follower=ann, followee=bob)
    client = api_as(ann)
    ok(client.post("/api/v1/users/bob/block"))
    assert not Follow.objects.exists()
    ok(client.post("/api/v1/users/bob/unblock"))
    assert not Block.objects.exists()


def test_mute_and_unmute(ann, bob, api_as, redis_down):
    Follow.objects.create(follower=ann, followee=bob)
    client = api_as(ann)
    ok(client.post("/api/v1/users/bob/mute"))
    ok(client.post("/api/v1/users/bob/unmute"))
    assert not Mute.objects.exists()


def test_direct_message(ann, bob, api_as, redis_down):
    ok(api_as(ann).post("/api/v1/messages", {"recipientId": str(bob.pk), "messageText": "hi"}, format="json"), 201)


def test_upload_report_profile_and_privacy(ann, bob, api_as, redis_down):
    client = api_as(ann)
    ok(client.post("/api/v1/media/upload", {"file": images.png_upload()}, format="multipart"), 201)
    report = {"targetType": "user", "targetId": str(bob.pk), "reason": "spam"}
    ok(client.post("/api/v1/reports", report, format="json"), 201)
    ok(client.patch("/api/v1/users/ann", {"bio": "still here"}, format="json"))
    ok(client.put("/api/v1/account/privacy", {"isPrivate": True}, format="json"))
