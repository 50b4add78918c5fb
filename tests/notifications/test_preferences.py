"""Notification settings: one row per type, one column per channel, stored as what differs from the defaults."""

import pytest

from config.kernel.errors import ServiceError
from notifications import preferences, services
from notifications.models import Notification
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db


def test_defaults_every_type_in_app_and_push_mail_for_what_is_addressed_to_you():
    prefs = preferences.Preferences({})
    assert all(prefs.in_app(v) and prefs.push(v) for v in preferences.TYPES)
    assert prefs.email("mention") == "immediately" and prefs.email("like") == "never"
    assert not prefs.only_from_following and not prefs.weekly_digest
    assert "post_removed" not in preferences.TYPES  # the moderators' notices can't be turned off


def test_changes_keep_only_what_differs_and_push_and_email_go_with_the_in_app_switch():
    raw = preferences.changed({}, {"types": {"like": {"inApp": False, "email": "daily"}}, "weeklyDigest": True})
    assert raw == {"app": {"like": False}, "email": {"like": "daily"}, "weeklyDigest": True}
    prefs = preferences.Preferences(raw)
    assert prefs.email("like") == "never" and not prefs.push("like")  # off in the app: off everywhere
    assert prefs.email_cell("like") == "daily"  # ...but the choice is kept for when it comes back
    back = preferences.changed(raw, {"types": {"like": {"inApp": True, "email": "never"}}, "weeklyDigest": False})
    assert back == {}
    assert preferences.Preferences(preferences.changed({}, {"types": {"like": {"email": "hourly"}}})).digest_types(
        "hourly"
    ) == ["like"]


@pytest.mark.parametrize(
    "changes",
    [
        {"types": {"nope": {"inApp": False}}},
        {"types": {"like": {"sms": True}}},
        {"types": {"like": {"push": "yes"}}},
        {"types": {"like": {"email": "weekly"}}},
        {"types": {"post_removed": {"inApp": False}}},
        {"types": ["like"]},
        {"onlyFromFollowing": "true"},
        {"colour": "blue"},
    ],
)
def test_bad_changes_are_refused_and_nothing_is_stored(ann, changes):
    with pytest.raises(ServiceError):
        services.update_settings(user=ann, changes=changes)
    ann.refresh_from_db()
    assert ann.notification_prefs == {}


def test_only_from_people_i_follow(ann, ben):
    cat = UserFactory(username="cat")
    services.update_settings(user=ann, changes={"onlyFromFollowing": True})
    social.follow_create(follower=ann, followee=ben)
    tweet = post(ann, "hello")
    tweets.like_create(user=ben, tweet_id=tweet.pk)
    tweets.like_create(user=cat, tweet_id=tweet.pk)
    assert list(Notification.objects.filter(recipient=ann, verb="like").values_list("actor__username", flat=True)) == [
        "ben"
    ]


def test_only_from_people_i_follow_still_lets_follow_requests_through(ann, ben):
    ann.is_private = True
    ann.save()
    services.update_settings(user=ann, changes={"onlyFromFollowing": True})
    social.follow_create(follower=ben, followee=ann)
    assert Notification.objects.filter(recipient=ann, verb="follow_request").exists()
