"""Mastodon's conversations over Chirp's direct messages (issue 22)."""

import pytest

from social.messages import services as dm_services
from social.messages.models import Participant
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto

pytestmark = pytest.mark.django_db


def test_list_with_last_message_as_a_direct_status(user, django_assert_max_num_queries):
    friends = [UserFactory() for _ in range(3)]
    for i, friend in enumerate(friends):
        dm_services.message_send(sender=friend, recipient_id=user.pk, text=f"hello <{i}>")
    api = masto(user)
    with django_assert_max_num_queries(12):
        page = api.get("/api/v1/conversations", {"limit": 2})
    assert page.status_code == 200
    first = page.json()[0]
    assert first["unread"] is True and [a["id"] for a in first["accounts"]] == [str(friends[2].pk)]
    status = first["last_status"]
    assert status["visibility"] == "direct" and status["content"] == "<p>hello &lt;2&gt;</p>"
    assert status["account"]["id"] == str(friends[2].pk)
    assert api.get(f"/api/v1/statuses/{status['id']}").status_code == 404  # a message is not a post
    older = api.get(link_of(page, "next")).json()
    assert [c["accounts"][0]["id"] for c in older] == [str(friends[0].pk)]


def test_read_and_leave(user):
    friend, other = UserFactory(), UserFactory()
    dm_services.message_send(sender=friend, recipient_id=user.pk, text="hi")
    conversation_id = Participant.objects.get(user=user).conversation_id
    api = masto(user)
    read = api.post(f"/api/v1/conversations/{conversation_id}/read")
    assert read.status_code == 200 and read.json()["unread"] is False
    assert api.get("/api/v1/conversations").json()[0]["unread"] is False
    assert api.delete(f"/api/v1/conversations/{conversation_id}").status_code == 409  # one-to-one stays
    group, _ = dm_services.conversation_start(creator=friend, participant_ids=[user.pk, other.pk], title="Club")
    assert api.delete(f"/api/v1/conversations/{group.pk}").status_code == 200
    assert not Participant.objects.filter(user=user, conversation=group).exists()


def test_someone_elses_conversation_is_404_and_scopes(user):
    a, b = UserFactory(), UserFactory()
    dm_services.message_send(sender=a, recipient_id=b.pk, text="private")
    theirs = Participant.objects.get(user=a).conversation_id
    api = masto(user)
    assert api.post(f"/api/v1/conversations/{theirs}/read").status_code == 404
    assert api.delete(f"/api/v1/conversations/{theirs}").status_code == 404
    assert api.post("/api/v1/conversations/nope/read").status_code == 404
    assert Participant.objects.filter(conversation_id=theirs).count() == 2
    assert masto(user, "read:statuses").get("/api/v1/conversations").status_code == 403
    assert masto(user, "read:messages").get("/api/v1/conversations").status_code == 200


def test_mastodon_py_trailing_slash_is_the_same_list_and_chirp_tokens_keep_chirps(user, user_api):
    """Mastodon.py asks GET /api/v1/conversations/ (and POST /api/v1/reports/) with a trailing slash."""
    friend = UserFactory()
    dm_services.message_send(sender=friend, recipient_id=user.pk, text="hi")
    api = masto(user)
    slashed = api.get("/api/v1/conversations/")
    assert slashed.status_code == 200 and slashed.json() == api.get("/api/v1/conversations").json()
    assert slashed.json()[0]["accounts"][0]["id"] == str(friend.pk)
    chirp = user_api.get("/api/v1/conversations/")  # the token decides here too
    assert chirp.status_code == 200 and chirp.json() == user_api.get("/api/v1/conversations").json()
    assert not isinstance(chirp.json(), list)
    report = api.post("/api/v1/reports/", {"account_id": friend.pk, "category": "spam"})
    assert report.status_code == 200 and report.json()["target_account"]["id"] == str(friend.pk)
