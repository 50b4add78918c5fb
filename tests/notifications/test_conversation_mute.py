"""Muting a conversation: nothing more from that thread, until unmuted; the API, the menu, the queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services
from notifications.models import ConversationMute, Notification
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db


def inbox(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("actor__username", "verb"))


@pytest.fixture
def thread(ann, ben):
    """Ann's root, Ben's reply to it, Ann's answer to Ben; Ann muted it from Ben's reply."""
    root = post(ann, "the root")
    reply = post(ben, "a reply", reply_to_id=root.pk)
    answer = post(ann, "ann again", reply_to_id=reply.pk)
    Notification.objects.all().delete()
    services.conversation_mute(user=ann, tweet_id=reply.pk)
    return {"root": root, "reply": reply, "answer": answer}


# Each kind of notification a thread sends Ann: (what someone does, the verb Ann would get).
KINDS = {
    "reply": (lambda who, t: post(who, "me too", reply_to_id=t["root"].pk), "reply"),
    "like of a reply": (lambda who, t: tweets.like_create(user=who, tweet_id=t["answer"].pk), "like"),
    "mention in the thread": (lambda who, t: post(who, "cc @ann", reply_to_id=t["reply"].pk), "mention"),
    "like of the root": (lambda who, t: tweets.like_create(user=who, tweet_id=t["root"].pk), "like"),
    "retweet": (lambda who, t: tweets.retweet_create(user=who, tweet_id=t["root"].pk), "retweet"),
    "quote of a post in it": (lambda who, t: post(who, "look", quote_of_id=t["answer"].pk), "quote"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_muted_thread_notifies_nothing_until_unmuted(ann, thread, kind):
    act, verb = KINDS[kind]
    act(UserFactory(username="cat"), thread)
    assert inbox(ann) == []
    services.conversation_unmute(user=ann, tweet_id=thread["answer"].pk)
    act(UserFactory(username="dan"), thread)
    assert inbox(ann) == [("dan", verb)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_other_threads_still_notify(ann, thread, kind):
    act, verb = KINDS[kind]
    root = post(ann, "another root")
    other = {"root": root, "reply": post(UserFactory(), "hi", reply_to_id=root.pk)}
    other["answer"] = post(ann, "and me", reply_to_id=other["reply"].pk)
    Notification.objects.all().delete()
    act(UserFactory(username="cat"), other)
    assert inbox(ann) == [("cat", verb)]


def test_a_mute_is_the_muters_alone(ann, ben, thread):
    post(UserFactory(username="cat"), "to both @ann", reply_to_id=thread["reply"].pk)  # replies to Ben, mentions Ann
    assert inbox(ann) == [] and inbox(ben) == [("cat", "reply")]


def test_what_the_thread_sent_before_the_mute_stays(ann, ben):
    root = post(ann, "root")
    post(ben, "early reply", reply_to_id=root.pk)
    services.conversation_mute(user=ann, tweet_id=root.pk)
    assert inbox(ann) == [("ben", "reply")]


def test_muting_twice_or_unmuting_twice_is_no_error(ann, thread):
    services.conversation_mute(user=ann, tweet_id=thread["root"].pk)
    assert ConversationMute.objects.filter(user=ann, conversation_id=thread["root"].pk).count() == 1
    for _ in range(2):
        services.conversation_unmute(user=ann, tweet_id=thread["root"].pk)
    assert not ConversationMute.objects.exists()


# --- the API ----------------------------------------------------------------------------------


def mute_url(tweet_id) -> str:
    return f"/api/v1/tweets/{tweet_id}/mute"


def test_api_mutes_and_unmutes(api_as, ann, ben):
    root = post(ben, "root")
    reply = post(ben, "more", reply_to_id=root.pk)
    unrelated = post(ben, "elsewhere")
    api = api_as(ann)
    for _ in range(2):  # idempotent
        response = api.post(mute_url(reply.pk))
        assert response.status_code == 200 and response.json() == {"conversationMuted": True}
    assert api.get(f"/api/v1/tweets/{root.pk}").json()["tweet"]["conversationMuted"] is True
    replies = api.get(f"/api/v1/tweets/{root.pk}/replies").json()["replies"]
    assert [r["conversationMuted"] for r in replies] == [True]
    assert api.get(f"/api/v1/tweets/{unrelated.pk}").json()["tweet"]["conversationMuted"] is False
    assert api_as(ben).get(f"/api/v1/tweets/{root.pk}").json()["tweet"]["conversationMuted"] is False  # Ann's own
    for _ in range(2):
        response = api.delete(mute_url(root.pk))
        assert response.status_code == 200 and response.json() == {"conversationMuted": False}
    assert api.get(f"/api/v1/tweets/{root.pk}").json()["tweet"]["conversationMuted"] is False


def test_api_a_retweet_stands_for_its_original(api_as, ann, ben):
    original = post(ben, "original")
    _, retweet = tweets.retweet_create(user=UserFactory(), tweet_id=original.pk)
    assert api_as(ann).post(mute_url(retweet.pk)).json() == {"conversationMuted": True}
    assert ConversationMute.objects.get(user=ann).conversation_id == original.pk


def test_api_signed_out_is_401(api_client, ben):
    root = post(ben, "root")
    assert api_client.post(mute_url(root.pk)).status_code == 401
    assert api_client.get(f"/api/v1/tweets/{root.pk}").json()["tweet"]["conversationMuted"] is False


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "99999999999999999999999", "12%00", "9" * 5000, "1.5"])
def test_api_bad_ids_are_404(api_as, ann, raw):
    for method in ("post", "delete"):
        response = getattr(api_as(ann), method)(mute_url(raw))
        assert response.status_code in (400, 404) and "error" in response.json()  # a NUL byte is stopped first
    assert not ConversationMute.objects.exists()


@pytest.mark.parametrize("why", ["private", "blocked", "blocker", "deleted", "suspended"])
def test_api_muting_a_post_you_cant_see_is_404(api_as, ann, ben, why):
    root = post(ben, "hidden root")
    if why == "private":
        ben.is_private = True
        ben.save()
    elif why == "blocked":
        social.block_create(blocker=ben, blocked=ann)
    elif why == "blocker":
        social.block_create(blocker=ann, blocked=ben)
    elif why == "deleted":
        tweets.tweet_delete(actor=ben, tweet=root)
    elif why == "suspended":
        from social.moderation.services import user_suspend

        user_suspend(moderator=UserFactory(is_staff=True), user=ben, reason="spam")
    api = api_as(ann)
    for method in ("post", "delete"):
        response = getattr(api, method)(mute_url(root.pk))
        assert response.status_code == 404, (why, method)
        assert response.json()["error"]
    assert not ConversationMute.objects.exists()


def test_api_a_private_post_you_follow_can_be_muted(api_as, ann, ben):
    ben.is_private = True
    ben.save()
    social.follow_create(follower=ann, followee=ben)
    social.follow_request_approve(target=ben, request_id=ben.follow_requests.get().pk)
    assert api_as(ann).post(mute_url(post(ben, "friends only").pk)).status_code == 200


# --- the menu on the page ---------------------------------------------------------------------


def test_the_menu_mutes_and_unmutes_without_javascript(client, ann, ben):
    root = post(ben, "root of it")
    page = f"/@ben/status/{root.pk}"
    client.force_login(ann)
    assert "Mute this conversation" in client.get(page).content.decode()
    response = client.post(f"/tweets/{root.pk}/mute-conversation", {"next": page}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == page
    assert "Conversation muted" in html and "Unmute this conversation" in html
    response = client.post(f"/tweets/{root.pk}/unmute-conversation", {"next": page}, follow=True)
    html = response.content.decode()
    assert "Conversation unmuted" in html and "Mute this conversation" in html
    assert not ConversationMute.objects.exists()


def test_the_menu_is_on_ones_own_posts_too(client, ann):
    root = post(ann, "mine")
    client.force_login(ann)
    html = client.get(f"/@ann/status/{root.pk}").content.decode()
    assert "Mute this conversation" in html and "Delete" in html


def test_htmx_answers_the_actions_and_a_toast(client, ann, ben):
    root = post(ben, "root of it")
    client.force_login(ann)
    response = client.post(f"/tweets/{root.pk}/mute-conversation", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="actions-{root.pk}"' in html and "Unmute this conversation" in html
    assert 'hx-swap-oob="afterbegin:#toasts"' in html and "Conversation muted" in html


def test_htmx_on_a_hidden_post_is_a_404_toast(client, ann, ben):
    root = post(ben, "soon private")
    ben.is_private = True
    ben.save()
    client.force_login(ann)
    response = client.post(f"/tweets/{root.pk}/mute-conversation", HTTP_HX_REQUEST="true")
    assert response.status_code == 404 and "doesn&#x27;t exist" in response.content.decode()
    assert not ConversationMute.objects.exists()


def test_signed_out_gets_no_menu_item_and_the_login_page(client, ben):
    root = post(ben, "public")
    assert "Mute this conversation" not in client.get(f"/@ben/status/{root.pk}").content.decode()
    response = client.post(f"/tweets/{root.pk}/mute-conversation")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get(f"/tweets/{root.pk}/mute-conversation").status_code in (302, 405)
    assert not ConversationMute.objects.exists()


# --- queries: the flag rides in the query of the viewer's likes --------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/", "/api/v1/timeline/home?limit=50"])
def test_home_costs_the_same_with_muted_threads(path, user, django_capture_on_commit_callbacks,
                                                django_assert_max_num_queries):  # fmt: skip
    from rest_framework.test import APIClient

    author = UserFactory(username="author")
    with django_capture_on_commit_callbacks(execute=True):
        social.follow_create(follower=user, followee=author)
        posts = [post(author, f"post {i}") for i in range(12)]
        for i, parent in enumerate(posts[:6]):
            post(author, f"reply {i}", reply_to_id=parent.pk)
    client = APIClient()
    client.force_login(user)
    client.get(path)  # builds and warms the timeline
    before = _queries(client, path)
    for parent in posts[::2]:
        services.conversation_mute(user=user, tweet_id=parent.pk)
    with django_assert_max_num_queries(14):
        after = _queries(client, path)
    assert after == before
    body = client.get(path).content.decode()
    if path == "/":
        assert body.count("Unmute this conversation") == 6 + 3  # six muted roots, three of their replies
    else:
        flags = {t["text"]: t["conversationMuted"] for t in client.get(path).json()["tweets"]}
        assert flags["post 0"] and flags["reply 0"] and not flags["post 1"] and not flags["reply 1"]


@pytest.mark.parametrize("path", ["/notifications", "/api/v1/notifications?limit=100"])
def test_notifications_cost_the_same_with_muted_threads(path, user, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(user)
    mine = [post(user, f"mine {i}") for i in range(10)]
    for tweet in mine:
        tweets.like_create(user=UserFactory(), tweet_id=tweet.pk)
        post(UserFactory(), "hey @alice", reply_to_id=tweet.pk)
    before = _queries(client, path)
    for tweet in mine[::2]:
        services.conversation_mute(user=user, tweet_id=tweet.pk)
    with django_assert_max_num_queries(12):
        after = _queries(client, path)
    assert after == before


def test_the_schema_documents_the_endpoint_and_the_field(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/v1/tweets/{tweet_id}/mute"]
    assert {op["operationId"] for op in operations.values()} == {"conversation_mute", "conversation_unmute"}
    for operation in operations.values():
        assert {"200", "401", "404"} <= set(operation["responses"])
    assert schema["components"]["schemas"]["Tweet"]["properties"]["conversationMuted"]["type"] == "boolean"
