"""What the schema promises, request by request: the server refuses what it forbids and takes what it allows.

tests/api/test_schema_fuzz.py fuzzes all of it; these are the cases issue 15 named, written down.
"""

import pytest

from social.messages import services as dm
from social.messages.models import Conversation, HiddenMessage
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweet_services
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def fields(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json().get("fields", {})


# --- JSON types are what the schema says ------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/tweets", {"text": 0}, "text"),
        ("/api/v1/tweets", {"text": "hi", "mediaIds": [5]}, "mediaIds"),
        ("/api/v1/tweets", {"text": "hi", "replyToTweetId": 5}, "replyToTweetId"),
        ("/api/v1/tweets", {"text": "hi", "quoteTweetId": "007"}, "quoteTweetId"),
        ("/api/v1/conversations", {"participantIds": [5]}, "participantIds"),
        ("/api/v1/messages", {"recipientId": "5", "messageText": 1}, "messageText"),
        ("/api/v1/reports", {"targetType": "user", "targetId": "5", "reason": 1}, "reason"),
        ("/api/v1/login", {"username": ["alice"], "password": "x"}, "username"),
    ],
)
def test_values_of_the_wrong_json_type_are_400(user_api, path, body, field):
    assert field in fields(user_api.post(path, body, format="json"), 400)
    assert not Tweet.objects.exists()


@pytest.mark.parametrize("value", ["yes", 1, "true", None])
def test_flags_are_true_or_false(user_api, user, value):
    assert "isPrivate" in fields(user_api.put("/api/v1/account/privacy", {"isPrivate": value}, format="json"), 400)
    user.refresh_from_db()
    assert user.is_private is False


def test_notification_prefs_take_known_types_and_flags(user_api):
    put = user_api.put
    assert "notificationPrefs" in fields(put("/api/v1/account/privacy", {"notificationPrefs": {"nope": False}}), 400)
    assert "notificationPrefs" in fields(put("/api/v1/account/privacy", {"notificationPrefs": {"like": "no"}}), 400)
    answer = put("/api/v1/account/privacy", {"notificationPrefs": {"like": False}}, format="json")
    assert answer.status_code == 200 and answer.json()["privacySettings"]["notificationPrefs"]["like"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"types": {"like": {"inApp": "false"}}},
        {"types": {"like": {"email": None}}},
        {"types": {"like": None}},
        {"types": {"poke": {}}},
        {"onlyFromFollowing": None},
        {"notificationSettings": {"notificationSettings": {}}},
    ],
)
def test_notification_settings_take_known_types_and_flags(user_api, user, body):
    assert fields(user_api.put("/api/v1/account/notification-settings", body, format="json"), 400)
    user.refresh_from_db()
    assert user.notification_prefs == {}


def test_bodies_are_json(user_api):
    form = user_api.post("/api/v1/tweets", {"text": "hi"}, format="multipart")
    assert form.status_code == 415 and form.json()["error"]
    assert not Tweet.objects.exists()


def test_text_lengths_count_what_was_sent(user_api, user):
    assert "name" in fields(user_api.patch("/api/v1/users/alice", {"name": "a" + " " * 60}, format="json"), 400)
    assert "website" in fields(user_api.patch("/api/v1/users/alice", {"website": " https://x.org"}, format="json"), 400)
    ok = user_api.patch("/api/v1/users/alice", {"website": ""}, format="json")
    assert ok.status_code == 200 and ok.json()["user"]["website"] == ""


# --- query parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/timeline/home", "filter=", "filter"),
        ("/api/v1/timeline/home", "rank=", "rank"),
        ("/api/v1/timeline/user/alice", "tab=", "tab"),
        ("/api/v1/notifications", "tab=", "tab"),
        ("/api/v1/notifications", "grouped=", "grouped"),
        ("/api/v1/notifications", "grouped=yes", "grouped"),
        ("/api/v1/notifications", "limit=", "limit"),
        ("/api/v1/notifications", "limit=-865", "limit"),
        ("/api/v1/notifications", "cursor=0", "cursor"),
        ("/api/v1/notifications", "cursor=%1C%C2%99%5D", "cursor"),
        ("/api/v1/search", "q=coffee&type=", "type"),
    ],
)
def test_empty_or_malformed_query_values_are_400(user_api, path, query, field):
    assert field in fields(user_api.get(f"{path}?{query}"), 400)


def test_an_empty_cursor_is_the_first_page_and_a_huge_one_names_nothing(user_api, user):
    post(user, "mine")
    assert [t["text"] for t in user_api.get("/api/v1/timeline/user/alice?cursor=").json()["tweets"]] == ["mine"]
    top = user_api.get("/api/v1/timeline/user/alice?cursor=9999999999999999999").json()  # past 64 bits
    assert [t["text"] for t in top["tweets"]] == ["mine"]
    assert user_api.get("/api/v1/tweets/9999999999999999999").status_code == 404


def test_an_idempotency_key_is_printable_ascii(user_api):
    answer = user_api.post("/api/v1/tweets", {"text": "hi"}, format="json", HTTP_IDEMPOTENCY_KEY="clé")
    assert answer.status_code == 400
    assert not Tweet.objects.exists()


def test_a_message_image_size_is_thumb_or_nothing(user_api):
    assert "size" in fields(user_api.get("/api/v1/messages/media/1?size=big"), 400)


# --- well-formed but refused: 403, 404, 409 rather than 400 ------------------------------------


def test_a_post_without_images_cant_be_edited_empty_and_a_retweet_has_no_text(user_api, user, other_user):
    mine = post(user, "first words")
    assert "text" in fields(user_api.patch(f"/api/v1/tweets/{mine.pk}", {"text": "  "}, format="json"), 409)
    _, retweet = tweet_services.retweet_create(user=user, tweet_id=post(other_user, "theirs").pk)
    fields(user_api.patch(f"/api/v1/tweets/{retweet.pk}", {"text": "mine now"}, format="json"), 403)
    mine.refresh_from_db()
    assert mine.text == "first words"


def test_a_comment_with_nothing_to_show_is_a_plain_retweet(user_api, other_user):
    original = post(other_user, "theirs")
    answer = user_api.post(f"/api/v1/tweets/{original.pk}/retweet", {"comment": "\u200b "}, format="json")
    assert answer.status_code == 200 and answer.json()["retweeted"] is True
    assert Tweet.objects.get(pk=answer.json()["retweetId"]).retweet_of_id == original.pk


def test_conversations_take_each_person_once_and_refuse_only_yourself(user_api, user, other_user):
    ids = [str(other_user.pk)] * 2
    assert "participantIds" in fields(user_api.post("/api/v1/conversations", {"participantIds": ids}), 400)
    both = {"participantIds": [str(other_user.pk), str(UserFactory().pk)], "isGroup": False}
    assert "participantIds" in fields(user_api.post("/api/v1/conversations", both, format="json"), 400)
    assert "participantIds" in fields(user_api.post("/api/v1/conversations", {"participantIds": [str(user.pk)]}), 403)
    assert not Conversation.objects.exists()


def test_one_to_one_conversations_cant_be_left_or_grown(user_api, user, other_user):
    conversation = dm.message_send(sender=user, recipient_id=other_user.pk, text="hi").conversation
    fields(user_api.post(f"/api/v1/conversations/{conversation.pk}/leave"), 409)
    added = user_api.post(
        f"/api/v1/conversations/{conversation.pk}/participants", {"participantIds": [str(UserFactory().pk)]}
    )
    assert "participantIds" in fields(added, 409)


# --- GET /messages with neither conversationId nor chatWithUserId -----------------------------


def test_messages_with_neither_parameter_lists_all_of_yours(user_api, user, other_user):
    third = UserFactory()
    first = dm.message_send(sender=user, recipient_id=other_user.pk, text="to bob")
    second = dm.message_send(sender=third, recipient_id=user.pk, text="to alice")
    hidden = dm.message_send(sender=other_user, recipient_id=user.pk, text="hidden")
    HiddenMessage.objects.create(user=user, message=hidden)
    dm.message_send(sender=other_user, recipient_id=third.pk, text="not alice's")
    body = user_api.get("/api/v1/messages").json()
    assert [m["id"] for m in body["messages"]] == [str(second.pk), str(first.pk)]
    page = user_api.get("/api/v1/messages?limit=1").json()
    assert [m["text"] for m in page["messages"]] == ["to alice"] and page["nextCursor"] == str(second.pk)
