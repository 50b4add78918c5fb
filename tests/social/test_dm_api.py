"""The /conversations and /messages API (SPEC §4): shapes, status codes, access."""

import pytest

from social.graph import services as social
from social.messages import services
from social.messages.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONVERSATION_KEYS = {
    "id", "isGroup", "title", "createdBy", "participants", "lastMessage", "unreadCount", "readOnly", "readOnlyReason",
}  # fmt: skip
MESSAGE_KEYS = {"id", "conversationId", "sender", "text", "media", "createdAt"}


def test_send_by_recipient_then_by_conversation(api_as, ann, ben):
    answer = api_as(ann).post(
        "/api/v1/messages", {"recipientId": str(ben.pk), "messageText": "Hello Ben"}, format="json"
    )
    assert answer.status_code == 201
    body = answer.json()
    assert set(body) == {"messageId", "conversationId", "timestamp"}
    again = api_as(ben).post(
        "/api/v1/messages", {"conversationId": body["conversationId"], "messageText": "Hi Ann"}, format="json"
    )
    assert again.status_code == 201 and again.json()["conversationId"] == body["conversationId"]

    listed = api_as(ann).get("/api/v1/messages", {"conversationId": body["conversationId"]}).json()
    assert [m["text"] for m in listed["messages"]] == ["Hi Ann", "Hello Ben"]  # newest first
    assert set(listed["messages"][0]) == MESSAGE_KEYS and listed["nextCursor"] is None
    assert listed["messages"][0]["sender"]["username"] == "ben"
    by_user = api_as(ann).get("/api/v1/messages", {"chatWithUserId": "ben"}).json()
    assert [m["text"] for m in by_user["messages"]] == ["Hi Ann", "Hello Ben"]


def test_history_pages_back_in_time(api_as, ann, ben):
    conversation = services.message_send(sender=ann, recipient_id=ben.pk, text="m0").conversation
    for i in range(1, 5):
        services.message_send(sender=ann, conversation_id=conversation.pk, text=f"m{i}")
    client = api_as(ben)
    first = client.get("/api/v1/messages", {"conversationId": conversation.pk, "limit": 3}).json()
    second = client.get(
        "/api/v1/messages", {"conversationId": conversation.pk, "limit": 3, "cursor": first["nextCursor"]}
    ).json()
    assert [m["text"] for m in first["messages"]] == ["m4", "m3", "m2"]
    assert [m["text"] for m in second["messages"]] == ["m1", "m0"] and second["nextCursor"] is None


def test_conversations_inbox_order_shape_and_unread(api_as, ann, ben):
    cat = UserFactory(username="cat")
    with_ben = services.message_send(sender=ben, recipient_id=ann.pk, text="from ben").conversation
    services.message_send(sender=cat, recipient_id=ann.pk, text="from cat")
    services.message_send(sender=ben, conversation_id=with_ben.pk, text="ben again")  # ben's is newest now

    body = api_as(ann).get("/api/v1/conversations").json()
    assert [c["lastMessage"]["text"] for c in body["conversations"]] == ["ben again", "from cat"]
    first = body["conversations"][0]
    assert set(first) == CONVERSATION_KEYS
    assert first["unreadCount"] == 2 and first["isGroup"] is False and first["readOnly"] is False
    assert {p["username"] for p in first["participants"]} == {"ann", "ben"}

    api_as(ann).get("/api/v1/messages", {"conversationId": with_ben.pk})  # reading the newest page reads it
    again = api_as(ann).get("/api/v1/conversations").json()["conversations"]
    assert again[0]["unreadCount"] == 0 and again[1]["unreadCount"] == 1

    page = api_as(ann).get("/api/v1/conversations", {"limit": 1}).json()
    rest = api_as(ann).get("/api/v1/conversations", {"limit": 1, "cursor": page["nextCursor"]}).json()
    assert [c["lastMessage"]["text"] for c in page["conversations"] + rest["conversations"]] == [
        "ben again", "from cat",
    ]  # fmt: skip
    assert rest["nextCursor"] is None


def test_start_conversations_and_groups(api_as, ann, ben):
    client = api_as(ann)
    created = client.post("/api/v1/conversations", {"participantIds": [str(ben.pk)]}, format="json")
    assert created.status_code == 201
    again = client.post("/api/v1/conversations", {"participantIds": [str(ben.pk)]}, format="json")
    assert again.status_code == 200 and again.json()["conversation"]["id"] == created.json()["conversation"]["id"]
    cat = UserFactory(username="cat")
    group = client.post(
        "/api/v1/conversations", {"participantIds": [str(ben.pk), str(cat.pk)], "title": "Plans"}, format="json"
    )
    assert group.status_code == 201
    assert group.json()["conversation"]["isGroup"] is True and group.json()["conversation"]["title"] == "Plans"


def test_too_many_for_a_group_is_400(api_as, ann):
    people = UserFactory.create_batch(50)
    answer = api_as(ann).post("/api/v1/conversations", {"participantIds": [str(p.pk) for p in people]}, format="json")
    assert answer.status_code == 400 and "participantIds" in answer.json()["fields"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"messageText": "   "}, "messageText"),
        ({"messageText": "x" * 10_001}, "messageText"),
    ],
)
def test_bad_messages_are_400_and_change_nothing(api_as, ann, ben, payload, field):
    answer = api_as(ann).post("/api/v1/messages", {"recipientId": str(ben.pk), **payload}, format="json")
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert not Message.objects.exists()


def test_an_unknown_image_is_404_and_changes_nothing(api_as, ann, ben):
    payload = {"recipientId": str(ben.pk), "messageText": "hi", "mediaId": "123"}
    answer = api_as(ann).post("/api/v1/messages", payload, format="json")
    assert answer.status_code == 404 and "mediaId" in answer.json()["fields"]
    assert not Message.objects.exists()


def test_forbidden_by_setting_or_block_is_403_with_reason(api_as, ann, ben):
    ben.who_can_message = "following"
    ben.save()
    answer = api_as(ann).post("/api/v1/messages", {"recipientId": str(ben.pk), "messageText": "hi"}, format="json")
    assert answer.status_code == 403 and "only accepts messages from people they follow" in answer.json()["error"]

    cat = UserFactory(username="cat")
    conversation = services.message_send(sender=ann, recipient_id=cat.pk, text="hi cat").conversation
    social.block_create(blocker=cat, blocked=ann)
    blocked = api_as(ann).post(
        "/api/v1/messages", {"conversationId": str(conversation.pk), "messageText": "hello?"}, format="json"
    )
    assert blocked.status_code == 403 and "blocked you" in blocked.json()["error"]
    shown = api_as(ann).get(f"/api/v1/conversations/{conversation.pk}").json()["conversation"]
    assert shown["readOnly"] is True and "blocked you" in shown["readOnlyReason"]
    assert Message.objects.count() == 1


def test_outsiders_get_404_and_delete_is_for_yourself(api_as, ann, ben):
    eve = UserFactory(username="eve")
    message = services.message_send(sender=ann, recipient_id=ben.pk, text="just us")
    outsider = api_as(eve)
    assert outsider.get("/api/v1/messages", {"conversationId": message.conversation_id}).status_code == 404
    assert outsider.get(f"/api/v1/conversations/{message.conversation_id}").status_code == 404
    assert outsider.delete(f"/api/v1/messages/{message.pk}").status_code == 404
    assert outsider.post(f"/api/v1/conversations/{message.conversation_id}/read").status_code == 404
    assert (
        outsider.post(
            "/api/v1/messages", {"conversationId": str(message.conversation_id), "messageText": "me too"}, format="json"
        ).status_code
        == 404
    )
    assert outsider.get("/api/v1/messages", {"chatWithUserId": "ann"}).json() == {"messages": [], "nextCursor": None}

    deleted = api_as(ben).delete(f"/api/v1/messages/{message.pk}")
    assert deleted.status_code == 200 and deleted.json() == {"message": "Message deleted for you."}
    assert api_as(ben).get("/api/v1/messages", {"conversationId": message.conversation_id}).json()["messages"] == []
    ann_view = api_as(ann).get("/api/v1/messages", {"conversationId": message.conversation_id}).json()
    assert [m["text"] for m in ann_view["messages"]] == ["just us"]


def test_bad_ids_and_missing_target_are_clear(api_as, ann):
    client = api_as(ann)
    assert client.get("/api/v1/messages", {"conversationId": "nope"}).status_code == 404
    assert client.delete("/api/v1/messages/not-a-number").status_code == 404
    neither = client.post("/api/v1/messages", {"messageText": "hi"}, format="json")
    assert neither.status_code == 400 and "conversationId" in neither.json()["fields"]
    assert (
        client.post("/api/v1/messages", {"recipientId": "999999", "messageText": "hi"}, format="json").status_code
        == 404
    )
    assert api_as(ann).get("/api/v1/conversations").status_code == 200
    assert client.post("/api/v1/conversations", {"participantIds": []}, format="json").status_code == 400


def test_anonymous_is_401(api_client):
    assert api_client.get("/api/v1/conversations").status_code == 401
    assert api_client.post("/api/v1/messages", {}, format="json").status_code == 401


def test_list_queries_do_not_grow(api_as, ann, django_assert_max_num_queries):
    client = api_as(ann)

    def talk(count):
        for _ in range(count):
            other = UserFactory()
            conversation = services.message_send(sender=other, recipient_id=ann.pk, text="hi").conversation
            services.message_send(sender=ann, conversation_id=conversation.pk, text=f"hello {other.username}")

    talk(2)
    with django_assert_max_num_queries(5):  # token, page, members, last messages, blocks
        small = client.get("/api/v1/conversations")
    talk(18)
    with django_assert_max_num_queries(5):
        big = client.get("/api/v1/conversations")
    assert len(small.json()["conversations"]) == 2 and len(big.json()["conversations"]) == 20

    conversation_id = big.json()["conversations"][0]["id"]
    for i in range(30):
        services.message_send(sender=ann, conversation_id=int(conversation_id), text=f"more {i}")
    with django_assert_max_num_queries(8):  # the page, then moving the read marker (a handful, fixed)
        history = client.get("/api/v1/messages", {"conversationId": conversation_id, "limit": 30})
    assert len(history.json()["messages"]) == 30
