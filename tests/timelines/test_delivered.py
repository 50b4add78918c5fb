"""A post queues one task, its fan-out; Mastodon's public streams hear of it from that fan-out, once
(timelines/hooks.py `delivered`, social/mastodon/receivers.py `entry_delivered`)."""

import pytest
from celery.app.task import Task

from social.mastodon import receivers as mastodon
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import services
from tweets import services as tweets

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The names of the tasks queued, each still run as it would be."""
    names = []
    original = Task.apply_async

    def apply_async(task, *args, **kwargs):
        names.append(task.name)
        return original(task, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return names


@pytest.fixture
def told(monkeypatch):
    """What Mastodon's public group is sent, each still sent."""
    messages = []
    original = mastodon.send_to_group_on_commit

    def send(group, message):
        messages.append((group, message))
        return original(group, message)

    monkeypatch.setattr(mastodon, "send_to_group_on_commit", send)
    return messages


def test_a_public_post_queues_only_its_fan_out_and_reaches_the_public_streams_once(
    queued, told, django_capture_on_commit_callbacks
):
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(author, "Out in the open #Birds #birds #Owls")
    assert queued == ["timelines.tasks.fan_out_entry"]
    assert told == [
        (mastodon.PUBLIC_GROUP, {"type": "mastodon.public", "entryId": str(tweet.pk), "tags": ["birds", "owls"]})
    ]
    services.fan_out(tweet.pk)  # a redelivered task: the timelines again, the streams not
    assert len(told) == 1


def test_followers_only_posts_and_retweets_are_not_public(told, django_capture_on_commit_callbacks):
    private, public, fan = UserFactory(is_private=True), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post(private, "Just for followers #birds")
    with django_capture_on_commit_callbacks(execute=True):
        original = post(public, "Seen")
    told.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tweets.retweet_create(user=fan, tweet_id=original.pk)
    assert told == []


def test_a_post_deleted_before_its_fan_out_is_not_told(told):
    author = UserFactory()
    tweet = post(author, "Gone at once")  # its fan-out not run: no commit callbacks here
    entry_id = tweet.pk
    tweets.tweet_delete(actor=author, tweet=tweet)
    services.fan_out(entry_id)
    assert told == []


def test_a_failing_stream_send_leaves_the_fan_out_done(monkeypatch, django_capture_on_commit_callbacks):
    def broken(group, message):
        raise ConnectionError("layer away")

    monkeypatch.setattr(mastodon, "send_to_group_on_commit", broken)
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(author, "Still out")
    tweet.refresh_from_db()
    assert tweet.fanned_out
