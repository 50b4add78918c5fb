"""The digest builders ask a fixed number of queries, however many items a mail lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.mail import content, delivery
from notifications.models import Notification
from social.graph import services as social
from social.messages import services as messages
from tests.factories import UserFactory
from tests.notifications.mail.conftest import verify
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db

EVERY_TYPE = {v: {"email": "hourly"} for v in ("reply", "like", "message", "follow", "mention")}


@pytest.fixture
def busy_ann(ann):
    """Fifty-odd notifications for ann: replies, likes, mentions, follows and messages from 25 people."""
    services.update_settings(user=ann, changes={"types": EVERY_TYPE})
    original = post(ann, "the post everyone answers")
    for n in range(25):
        someone = UserFactory(username=f"fan{n}")
        if n % 5 == 0:
            messages.message_send(sender=someone, recipient_id=ann.pk, text=f"private {n}")
        elif n % 5 == 1:
            post(someone, f"hey @{ann.username} {n}")
        else:
            post(someone, f"reply {n}", reply_to_id=original.pk)
        tweets.like_create(user=someone, tweet_id=original.pk)
        social.follow_create(follower=someone, followee=ann)
    assert Notification.objects.filter(recipient=ann).count() >= 70
    return ann


def test_pending_with_fifty_items(busy_ann, django_assert_max_num_queries):
    since = timezone.now() - timedelta(hours=1)
    with django_assert_max_num_queries(6):
        batch = content.pending(busy_ann, list(EVERY_TYPE), since)
    assert len(batch.lines) >= 15 and batch.count >= 70 and batch.more >= 20


def test_a_whole_hourly_digest(busy_ann, smtp, django_assert_max_num_queries):
    verify(busy_ann)
    with django_assert_max_num_queries(14):
        assert delivery.deliver(busy_ann.pk, "hourly") == "sent"
    assert len(smtp.messages) == 1


def test_the_weekly_posts(ann, django_assert_max_num_queries):
    for n in range(12):
        author = UserFactory(username=f"author{n}")
        social.follow_create(follower=ann, followee=author)
        tweets.like_create(user=ann, tweet_id=post(author, f"post {n}").pk)
    with django_assert_max_num_queries(12):
        posts = content.weekly_posts(ann)
    assert len(posts) == 10
