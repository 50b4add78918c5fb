"""Which actions notify whom, and what withdraws them."""

import pytest

from accounts import services as account_services
from notifications.models import Notification
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("actor__username", "verb"))


def test_follow_and_unfollow(ann, ben):
    social.follow_create(follower=ben, followee=ann)
    assert inbox(ann) == [("ben", "follow")]
    social.follow_delete(follower=ben, followee=ann)
    assert inbox(ann) == []


def test_follow_request_accepted_and_withdrawn(ann, ben):
    ann.is_private = True
    ann.save()
    social.follow_create(follower=ben, followee=ann)
    assert inbox(ann) == [("ben", "follow_request")]
    social.follow_delete(follower=ben, followee=ann)  # ben withdraws the request
    assert inbox(ann) == []
    social.follow_create(follower=ben, followee=ann)
    request_id = ann.follow_requests.get().pk
    social.follow_request_approve(target=ann, request_id=request_id)
    assert inbox(ann) == []  # answered
    assert inbox(ben) == [("ann", "follow_accepted")]


def test_denied_request_is_withdrawn(ann, ben):
    ann.is_private = True
    ann.save()
    social.follow_create(follower=ben, followee=ann)
    social.follow_request_deny(target=ann, request_id=ann.follow_requests.get().pk)
    assert inbox(ann) == [] and inbox(ben) == []


def test_like_once_and_unlike(ann, ben):
    tweet = post(ann, "likeable")
    for _ in range(2):
        tweets.like_create(user=ben, tweet_id=tweet.pk)
    assert inbox(ann) == [("ben", "like")]
    tweets.like_delete(user=ben, tweet_id=tweet.pk)
    assert inbox(ann) == []
    tweets.like_create(user=ben, tweet_id=tweet.pk)  # like, unlike, like: still one
    assert inbox(ann) == [("ben", "like")]


def test_retweet_and_undo(ann, ben):
    tweet = post(ann, "shareable")
    tweets.retweet_create(user=ben, tweet_id=tweet.pk)
    assert inbox(ann) == [("ben", "retweet")]
    tweets.retweet_delete(user=ben, tweet_id=tweet.pk)
    assert inbox(ann) == []


@pytest.mark.parametrize("kind", ["reply", "quote", "mention"])
def test_reply_quote_and_mention_are_withdrawn_by_deleting(ann, ben, kind):
    target = post(ann, "original")
    made = {
        "reply": lambda: post(ben, "an answer", reply_to_id=target.pk),
        "quote": lambda: post(ben, "a quote", quote_of_id=target.pk),
        "mention": lambda: post(ben, "hello @ann"),
    }[kind]()
    assert inbox(ann) == [("ben", kind)]
    tweets.tweet_delete(actor=ben, tweet=made)
    assert inbox(ann) == []


def test_a_reply_that_mentions_its_target_notifies_once(ann, ben):
    target = post(ann, "original")
    post(ben, "@ann yes", reply_to_id=target.pk)
    assert inbox(ann) == [("ben", "reply")]


def test_no_notification_for_your_own_actions(ann):
    tweet = post(ann, "mine @ann")
    tweets.like_create(user=ann, tweet_id=tweet.pk)
    post(ann, "replying to myself", reply_to_id=tweet.pk)
    post(ann, "quoting myself", quote_of_id=tweet.pk)
    assert inbox(ann) == []


def test_muted_and_blocked_actors_notify_nobody(ann, ben):
    carl = UserFactory(username="carl")
    tweet = post(ann, "x")
    social.mute_create(muter=ann, muted=ben)
    tweets.like_create(user=ben, tweet_id=tweet.pk)
    social.follow_create(follower=ben, followee=ann)
    assert inbox(ann) == []
    tweets.like_create(user=carl, tweet_id=tweet.pk)
    social.block_create(blocker=ann, blocked=carl)  # blocking clears what carl did...
    assert inbox(ann) == []
    post(carl, "hey @ann")  # ...and nothing new gets through
    assert inbox(ann) == []


def test_preferences_switch_types_off(ann, ben, api_as):
    response = api_as(ann).put("/api/v1/account/privacy", {"notificationPrefs": {"like": False}}, format="json")
    assert response.status_code == 200
    prefs = response.json()["privacySettings"]["notificationPrefs"]
    assert prefs["like"] is False and prefs["follow"] is True
    tweet = post(ann, "x")
    tweets.like_create(user=ben, tweet_id=tweet.pk)
    social.follow_create(follower=ben, followee=ann)
    assert inbox(ann) == [("ben", "follow")]


def test_unknown_preference_is_400(ann, api_as):
    response = api_as(ann).put("/api/v1/account/privacy", {"notificationPrefs": {"pokes": False}}, format="json")
    assert response.status_code == 400
    assert "notificationPrefs" in response.json()["fields"]


def test_a_private_mention_never_leaks(ann, ben):
    secret = UserFactory(username="secret", is_private=True)
    social.follow_create(follower=ann, followee=secret)
    secret.follow_requests.filter(requester=ann).delete()
    from social.graph.models import Follow

    Follow.objects.create(follower=ann, followee=secret)  # ann is an approved follower; ben is not
    post(secret, "psst @ann and @ben")
    assert inbox(ann) == [("secret", "mention")]
    assert inbox(ben) == []


def test_mentions_notify_at_most_ten(ann):
    people = [UserFactory(username=f"m{i}") for i in range(12)]
    post(ann, " ".join(f"@{p.username}" for p in people))
    assert Notification.objects.filter(verb="mention").count() == 10


def test_editing_cannot_mention_past_ten(ann):
    people = [UserFactory(username=f"m{i}") for i in range(14)]
    tweet = post(ann, " ".join(f"@{p.username}" for p in people[:9]))
    tweets.tweet_edit(actor=ann, tweet=tweet, text_input=" ".join(f"@{p.username}" for p in people))
    told = set(Notification.objects.filter(verb="mention").values_list("recipient__username", flat=True))
    assert told == {f"m{i}" for i in range(10)}


def test_editing_notifies_only_newly_mentioned(ann, ben):
    carl = UserFactory(username="carl")
    tweet = post(ann, "hi @ben")
    tweets.tweet_edit(actor=ann, tweet=tweet, text_input="hi @ben and @carl")
    assert inbox(ben) == [("ann", "mention")] and inbox(carl) == [("ann", "mention")]


def test_going_public_accepts_requests_and_says_so(ann, ben):
    ann.is_private = True
    ann.save()
    social.follow_create(follower=ben, followee=ann)
    account_services.privacy_update(user=ann, is_private=False)
    assert inbox(ben) == [("ann", "follow_accepted")]
