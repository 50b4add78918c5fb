"""Deleting an account: the password gate, then nothing of it left on any read path, and the counts freed.

Dora deletes her account. Pat talked to her, Fan followed her; after the
deletion each read path is fetched, as them and anonymously, and none holds
a trace of her: her markers ("DORA-"), her username or her name.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import lifecycle
from accounts import services as account_services
from accounts.models import User
from notifications.models import Notification
from search import trends
from social.graph import services as social
from social.graph.models import Block, Follow, FollowRequest, Mute
from social.messages import selectors as dm_selectors
from social.messages import services as dm
from social.messages.models import Conversation, Message, MessageImage, Participant
from tests import images
from tests.factories import PASSWORD, UserFactory
from tests.timelines.conftest import entries
from tests.tweets.helpers import post
from timelines import rebuild as timeline_rebuild
from timelines.store import TimelineStore
from tweets import services as tweet_services
from tweets.models import Like, Media, Tweet

pytestmark = pytest.mark.django_db


def files_under(root) -> list[Path]:
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def world(django_capture_on_commit_callbacks, settings):
    store = TimelineStore()
    dora = UserFactory(username="dora", name="Dora Explorer")
    pat = UserFactory(username="pat", name="Pat Quill")
    fan = UserFactory(username="fan", name="Faye Fan")
    shy = UserFactory(username="shy", name="Shy Person", is_private=True)
    for person in (dora, pat, fan):
        person.last_seen_at = timezone.now()
        person.save()
    timeline_rebuild.rebuild_home(fan.pk, store)  # built before the posts: fan-out fills it
    with django_capture_on_commit_callbacks(execute=True):
        social.follow_create(follower=fan, followee=dora)
        social.follow_create(follower=fan, followee=pat)
        social.follow_create(follower=dora, followee=pat)
        social.follow_create(follower=dora, followee=shy)  # a pending request
        social.block_create(blocker=dora, blocked=UserFactory(username="troll"))
        social.mute_create(muter=dora, muted=fan)

        pats = post(pat, "PAT-POST #tea")
        tweet_services.like_create(user=dora, tweet_id=pats.pk)
        tweet_services.retweet_create(user=dora, tweet_id=pats.pk)
        post(dora, "DORA-REPLY under Pat", reply_to_id=pats.pk)
        post(dora, "DORA-QUOTE of Pat", quote_of_id=pats.pk)
        hers = post(dora, "DORA-POST #doomed", uploads=[(images.png_upload(), "DORA-ALT")])
        post(dora, "DORA-AGAIN #doomed")
        post(dora, "DORA-THIRD #doomed hello @pat")
        tweet_services.like_create(user=pat, tweet_id=hers.pk)
        tweet_services.retweet_create(user=pat, tweet_id=hers.pk)
        answer = post(pat, "PAT-ANSWER to her", reply_to_id=hers.pk)
        unposted = tweet_services.media_upload(owner=dora, upload=images.png_upload())

        first = dm.message_send(sender=pat, recipient_id=dora.pk, text="PAT-DM hello")
        dm.message_send(sender=dora, conversation_id=first.conversation_id, text="DORA-DM", upload=images.png_upload())
        group, _ = dm.conversation_start(creator=dora, participant_ids=[pat.pk, fan.pk], title="Book club")
        dm.message_send(sender=fan, conversation_id=group.pk, text="FAN-GROUP")
        dm.message_send(sender=dora, conversation_id=group.pk, text="DORA-GROUP")
    trends.refresh()
    pats.refresh_from_db()
    assert (pats.like_count, pats.retweet_count, pats.reply_count, pats.quote_count) == (1, 1, 1, 1)
    assert "doomed" in [t["hashtag"] for t in trends.current()]
    assert set(Tweet.objects.filter(author=dora).values_list("pk", flat=True)) & set(entries(store, fan))
    assert Notification.objects.filter(actor=dora).exists()
    return {
        "dora": dora, "pat": pat, "fan": fan, "shy": shy, "pats": pats, "hers": hers, "answer": answer,
        "one_to_one": first.conversation, "group": group, "store": store, "unposted": unposted,
        "her_entries": set(Tweet.objects.filter(author=dora).values_list("pk", flat=True)),
        "dora_token": account_services.token_create(user=dora),
    }  # fmt: skip


def delete(world, django_capture_on_commit_callbacks, password=PASSWORD):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['dora_token']}")
    with django_capture_on_commit_callbacks(execute=True):
        return client.delete("/api/v1/account", {"password": password}, format="json")


def as_user(user) -> tuple[Client, APIClient]:
    page, api = Client(), APIClient()
    page.force_login(user)
    api.force_authenticate(user)
    return page, api


def traceless(response) -> str:
    """The body, after checking it says nothing of Dora."""
    assert response.status_code in (200, 302, 400, 401, 403, 404), response.status_code
    body = response.content.decode() if response.status_code == 200 else ""
    # CSRF tokens are 64 random letters and digits: one in a few thousand pages spells "dora".
    words = re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+', r"\1", body)
    assert "dora" not in words.lower(), body[:2000]
    return body


def test_a_wrong_or_missing_password_changes_nothing(world, django_capture_on_commit_callbacks):
    dora = world["dora"]
    wrong = delete(world, django_capture_on_commit_callbacks, password="not-it-at-all")
    assert wrong.status_code == 403 and "password" in wrong.json()["fields"]  # well-formed, not the key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['dora_token']}")
    missing = client.delete("/api/v1/account", {}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()["fields"]

    dora.refresh_from_db()
    assert dora.is_active and dora.check_password(PASSWORD)
    assert client.get("/api/v1/users/dora").status_code == 200  # the token still works
    assert Tweet.objects.filter(author=dora).count() == 6
    assert Follow.objects.filter(follower=dora).count() == 1


def test_too_many_wrong_passwords_are_refused(world, django_capture_on_commit_callbacks):
    for _ in range(lifecycle.PASSWORD_TRIES.limit):
        assert delete(world, django_capture_on_commit_callbacks, password="guess").status_code == 403
    refused = delete(world, django_capture_on_commit_callbacks)  # even the right one, for now
    assert refused.status_code == 429 and refused["Retry-After"]
    assert User.objects.get(pk=world["dora"].pk).is_active


def test_the_request_hides_the_account_at_once(world, api_as):
    """Before the task runs: inactive, tokens and sessions gone, and already invisible."""
    dora, pat = world["dora"], world["pat"]
    session = Client()
    session.force_login(dora)
    other_token = APIClient()
    other_token.credentials(HTTP_AUTHORIZATION=f"Bearer {world['dora_token']}")
    response = session.delete("/api/v1/account", {"password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200 and response.json()["message"]

    dora.refresh_from_db()
    assert not dora.is_active and not dora.has_usable_password()
    assert not AuthToken.objects.filter(user=dora).exists()
    assert other_token.get("/api/v1/notifications").status_code == 401
    assert session.get("/settings/account").status_code == 302  # logged out
    assert APIClient().post("/api/v1/login", {"username": "dora", "password": PASSWORD}).status_code in (401, 403)
    page, api = as_user(pat)
    assert api.get(f"/api/v1/users/{dora.pk}").status_code == 404
    traceless(page.get("/@dora"))
    traceless(page.get(f"/@pat/status/{world['pats'].pk}"))
    # Their conversation is still there, but shows nothing of her.
    inbox = traceless(page.get("/messages"))
    assert "This account isn&#x27;t available" in inbox
    chat = traceless(page.get(f"/messages/{world['one_to_one'].pk}"))
    assert "PAT-DM hello" in chat and "This conversation is read only" in chat and "chat-compose" not in chat


def test_the_page_asks_for_the_password_and_a_confirmation(world, django_capture_on_commit_callbacks):
    dora = world["dora"]
    page = Client()
    page.force_login(dora)
    form = page.get("/settings/account/delete")
    assert form.status_code == 200 and 'type="password"' in form.content.decode()
    assert 'href="/settings/account/delete"' in page.get("/settings/account").content.decode()

    unconfirmed = page.post("/settings/account/delete", {"password": PASSWORD})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.content.decode()
    wrong = page.post("/settings/account/delete", {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "That isn" in wrong.content.decode()
    assert User.objects.get(pk=dora.pk).is_active

    with django_capture_on_commit_callbacks(execute=True):
        done = page.post("/settings/account/delete", {"password": PASSWORD, "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert "Your account was deleted" in page.get("/").content.decode()
    assert page.get("/settings/account").status_code == 302
    assert not User.objects.filter(pk=dora.pk).exists()


def test_deletion_removes_every_row_and_file(world, django_capture_on_commit_callbacks, settings):
    dora = world["dora"]
    assert files_under(settings.MEDIA_ROOT) and files_under(settings.PRIVATE_MEDIA_ROOT)
    response = delete(world, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert not User.objects.filter(pk=dora.pk).exists()
    for model, lookup in (
        (Tweet, {"author_id": dora.pk}),
        (Tweet, {"retweet_of_id": world["hers"].pk}),  # Pat's retweet of her post went with it
        (Like, {"user_id": dora.pk}),
        (Like, {"tweet_id": world["hers"].pk}),
        (Follow, {"follower_id": dora.pk}),
        (Follow, {"followee_id": dora.pk}),
        (FollowRequest, {"requester_id": dora.pk}),
        (Block, {"blocker_id": dora.pk}),
        (Mute, {"muter_id": dora.pk}),
        (Message, {"sender_id": dora.pk}),
        (MessageImage, {"owner_id": dora.pk}),
        (Participant, {"user_id": dora.pk}),
        (Media, {"owner_id": dora.pk}),
        (Notification, {"actor_id": dora.pk}),
        (Notification, {"recipient_id": dora.pk}),
    ):
        assert not model.objects.filter(**lookup).exists(), (model, lookup)
    # Only files of others are left: Pat posted none, so nothing at all.
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []
    # Pat's reply to her stays, answering a deleted post.
    assert Tweet.objects.filter(pk=world["answer"].pk).exists()


def test_counts_are_freed(world, django_capture_on_commit_callbacks):
    pat, fan, shy = world["pat"], world["fan"], world["shy"]
    pat.refresh_from_db()
    fan.refresh_from_db()
    assert (pat.followers_count, fan.following_count) == (2, 2)
    delete(world, django_capture_on_commit_callbacks)
    pats = world["pats"]
    pats.refresh_from_db()
    assert (pats.like_count, pats.retweet_count, pats.reply_count, pats.quote_count) == (0, 0, 0, 0)
    for person, followers, following in ((pat, 1, 0), (fan, 0, 1), (shy, 0, 0)):
        person.refresh_from_db()
        assert (person.followers_count, person.following_count) == (followers, following), person


def test_redis_timelines_lose_her_entries(world, django_capture_on_commit_callbacks):
    store, fan, pat = world["store"], world["fan"], world["pat"]
    hers_and_shared = world["her_entries"] | set(
        Tweet.objects.filter(retweet_of=world["hers"]).values_list("pk", flat=True)
    )
    timeline_rebuild.rebuild_home(pat.pk, store)
    assert hers_and_shared & set(entries(store, fan))
    delete(world, django_capture_on_commit_callbacks)
    assert not hers_and_shared & set(entries(store, fan))
    assert not hers_and_shared & set(entries(store, pat))
    assert world["pats"].pk in entries(store, fan)  # the rest stays


def test_trends_no_longer_count_her_posts(world, django_capture_on_commit_callbacks, api_client):
    delete(world, django_capture_on_commit_callbacks)
    assert "doomed" not in [t["hashtag"] for t in trends.current()]
    traceless(api_client.get("/api/v1/trends"))
    body = api_client.get("/api/v1/trends").json()
    assert "doomed" not in [t["hashtag"] for t in body["trends"]]


# Every read path, as (who reads, how). Pat talked to her, Fan followed her, Shy got her follow request.
def paths(w):
    pats, hers, answer = w["pats"].pk, w["hers"].pk, w["answer"].pk
    dora_id = w["dora_id"]
    one, group = w["one_to_one"].pk, w["group"].pk
    return {
        "api profile by id": lambda page, api: api.get(f"/api/v1/users/{dora_id}"),
        "api profile by name": lambda page, api: api.get("/api/v1/users/dora"),
        "page profile": lambda page, api: page.get("/@dora"),
        "page profile likes": lambda page, api: page.get("/@dora/likes"),
        "api user timeline": lambda page, api: api.get(f"/api/v1/timeline/user/{dora_id}"),
        "api her tweet": lambda page, api: api.get(f"/api/v1/tweets/{hers}"),
        "page her tweet": lambda page, api: page.get(f"/@dora/status/{hers}"),
        "api her likers": lambda page, api: api.get(f"/api/v1/tweets/{hers}/likers"),
        "page pat's post": lambda page, api: page.get(f"/@pat/status/{pats}"),
        "api pat's post": lambda page, api: api.get(f"/api/v1/tweets/{pats}"),
        "api replies under pat": lambda page, api: api.get(f"/api/v1/tweets/{pats}/replies"),
        "api likers": lambda page, api: api.get(f"/api/v1/tweets/{pats}/likers"),
        "api retweeters": lambda page, api: api.get(f"/api/v1/tweets/{pats}/retweeters"),
        "page likers": lambda page, api: page.get(f"/@pat/status/{pats}/likes"),
        "page retweeters": lambda page, api: page.get(f"/@pat/status/{pats}/retweets"),
        "api engagements": lambda page, api: api.get(f"/api/v1/tweets/{pats}/engagements"),
        "page pat's answer": lambda page, api: page.get(f"/@pat/status/{answer}"),
        "page pat's profile": lambda page, api: page.get("/@pat"),
        "page pat's replies": lambda page, api: page.get("/@pat/replies"),
        "api pat's timeline": lambda page, api: api.get("/api/v1/timeline/user/pat"),
        "page pat's followers": lambda page, api: page.get("/@pat/followers"),
        "api pat's followers": lambda page, api: api.get("/api/v1/users/pat/followers"),
        "page fan's following": lambda page, api: page.get("/@fan/following"),
        "api fan's following": lambda page, api: api.get("/api/v1/users/fan/following"),
        "page home": lambda page, api: page.get("/"),
        "api home": lambda page, api: api.get("/api/v1/timeline/home"),
        "api home (top)": lambda page, api: api.get("/api/v1/timeline/home", {"rank": "top"}),
        "page search latest": lambda page, api: page.get("/search", {"q": "#doomed", "tab": "latest"}),
        # Pages repeat the query, so they look for her by other words.
        "page search top": lambda page, api: page.get("/search", {"q": "hello"}),
        "page search people": lambda page, api: page.get("/search", {"q": "Explorer", "tab": "people"}),
        "page search people prefix": lambda page, api: page.get("/search", {"q": "dor", "tab": "people"}),
        "page search hashtags": lambda page, api: page.get("/search", {"q": "doom", "tab": "hashtags"}),
        "api search tweets": lambda page, api: api.get("/api/v1/search", {"q": "DORA"}),
        "api search from": lambda page, api: api.get("/api/v1/search", {"q": "from:dora"}),
        "api search people": lambda page, api: api.get("/api/v1/search", {"q": "dora", "type": "users"}),
        "api search typo": lambda page, api: api.get("/api/v1/search", {"q": "dorra", "type": "users"}),
        "api search hashtags": lambda page, api: api.get("/api/v1/search", {"q": "doom", "type": "hashtags"}),
        "api mention autocomplete": lambda page, api: page.get("/search/mentions", {"q": "do"}),
        "page hashtag": lambda page, api: page.get("/hashtag/doomed"),
        "api trends": lambda page, api: api.get("/api/v1/trends"),
        "page trends": lambda page, api: page.get("/trends"),
        "page explore": lambda page, api: page.get("/explore"),
        "page who to follow": lambda page, api: page.get("/suggestions"),
        "page notifications": lambda page, api: page.get("/notifications"),
        "page mentions": lambda page, api: page.get("/notifications/mentions"),
        "api notifications": lambda page, api: api.get("/api/v1/notifications"),
        "page follow requests": lambda page, api: page.get("/follow-requests"),
        "api follow requests": lambda page, api: api.get("/api/v1/follow-requests"),
        "page inbox": lambda page, api: page.get("/messages"),
        "page one-to-one": lambda page, api: page.get(f"/messages/{one}"),
        "page group": lambda page, api: page.get(f"/messages/{group}"),
        "api conversations": lambda page, api: api.get("/api/v1/conversations"),
        "api one-to-one": lambda page, api: api.get(f"/api/v1/conversations/{one}"),
        "api group": lambda page, api: api.get(f"/api/v1/conversations/{group}"),
        "api one-to-one messages": lambda page, api: api.get("/api/v1/messages", {"conversationId": one}),
        "api group messages": lambda page, api: api.get("/api/v1/messages", {"conversationId": group}),
        "api chat with her": lambda page, api: api.get("/api/v1/messages", {"chatWithUserId": dora_id}),
    }


@pytest.fixture
def deleted(world, django_capture_on_commit_callbacks):
    world["dora_id"] = world["dora"].pk
    assert delete(world, django_capture_on_commit_callbacks).status_code == 200
    return world


@pytest.mark.parametrize("reader", ["pat", "fan", "shy", "anonymous"])
def test_every_read_path_is_traceless(deleted, reader):
    if reader == "anonymous":
        page, api = Client(), APIClient()
    else:
        page, api = as_user(deleted[reader])
    found = {}
    for name, fetch in paths(deleted).items():
        found[name] = traceless(fetch(page, api))
    for name in ("api profile by id", "api profile by name", "page profile", "api user timeline", "api her tweet",
                 "page her tweet"):  # fmt: skip
        assert fetch_status(paths(deleted)[name], page, api) == 404, name
    if reader == "pat":
        # What is hers went; what is Pat's stays.
        assert "PAT-POST" in found["page pat's profile"] and "PAT-ANSWER" in found["page pat's answer"]
        assert "Replying to a post that was deleted" in found["page pat's answer"]
    if reader == "fan":
        assert "PAT-POST" in found["page home"]
        assert "FAN-GROUP" in found["page group"]


def fetch_status(fetch, page, api) -> int:
    return fetch(page, api).status_code


def test_the_other_side_of_a_conversation_sees_a_deleted_account(deleted):
    page, api = as_user(deleted["pat"])
    inbox = page.get("/messages").content.decode()
    assert "Deleted account" in inbox and "PAT-DM hello" in inbox
    chat = page.get(f"/messages/{deleted['one_to_one'].pk}").content.decode()
    assert "Deleted account" in chat and "PAT-DM hello" in chat
    assert "This account was deleted." in chat and "This conversation is read only" in chat
    assert "chat-compose" not in chat  # no box to write in

    shown = api.get(f"/api/v1/conversations/{deleted['one_to_one'].pk}").json()["conversation"]
    assert [p["username"] for p in shown["participants"]] == ["pat"]
    assert shown["readOnly"] is True and shown["readOnlyReason"] == "This account was deleted."
    sent = api.post(
        "/api/v1/messages", {"conversationId": str(deleted["one_to_one"].pk), "messageText": "hello?"}, format="json"
    )
    assert sent.status_code in (403, 400) and "dora" not in sent.content.decode().lower()

    group = api.get(f"/api/v1/conversations/{deleted['group'].pk}").json()["conversation"]
    assert sorted(p["username"] for p in group["participants"]) == ["fan", "pat"]
    assert group["readOnly"] is False and group["createdBy"] is None
    texts = [m["text"] for m in api.get("/api/v1/messages", {"conversationId": deleted["group"].pk}).json()["messages"]]
    assert texts == ["FAN-GROUP"]


def test_unread_badges_forget_her_messages(world, django_capture_on_commit_callbacks):
    pat = world["pat"]
    assert dm_selectors.unread_conversations(pat.pk) == 2  # her messages in both conversations
    delete(world, django_capture_on_commit_callbacks)
    # The group still has Fan's message, unread; the one-to-one has only Pat's own.
    assert dm_selectors.unread_conversations(pat.pk) == 1


def test_a_conversation_nobody_is_left_in_goes(user, django_capture_on_commit_callbacks):
    dora = UserFactory(username="dora")
    conversation = dm.message_send(sender=dora, recipient_id=user.pk, text="hi").conversation
    for person in (user, dora):
        person.is_active = False
        person.set_unusable_password()
        person.save()
        lifecycle.account_erase(person.pk)
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_the_task_is_idempotent_and_only_deletes_what_was_asked(world, django_capture_on_commit_callbacks):
    dora, pat = world["dora"], world["pat"]
    # A suspended account is inactive but keeps its password: a stray task leaves it alone.
    pat.is_active, pat.suspended_at = False, timezone.now()
    pat.save()
    assert lifecycle.account_erase(pat.pk) is False
    assert User.objects.filter(pk=pat.pk).exists() and Tweet.objects.filter(author=pat).exists()
    assert lifecycle.account_erase(dora.pk) is False  # active: nobody asked
    delete(world, django_capture_on_commit_callbacks)
    assert lifecycle.account_erase(dora.pk) is False  # redelivered: already done
    assert not User.objects.filter(pk=dora.pk).exists()


def test_a_suspended_senders_messages_disappear_and_come_back(user, other_user, client_logged_in):
    """Nothing is deleted while inactive, so lifting a suspension brings the conversation back."""
    conversation = dm.message_send(sender=other_user, recipient_id=user.pk, text="BOB-SAYS hi").conversation
    dm.message_send(sender=user, conversation_id=conversation.pk, text="ALICE-SAYS hello")
    other_user.is_active, other_user.suspended_at = False, timezone.now()
    other_user.save()

    inbox = client_logged_in.get("/messages").content.decode()
    assert "BOB-SAYS" not in inbox and "Bob Builder" not in inbox and "This account isn&#x27;t available" in inbox
    chat = client_logged_in.get(f"/messages/{conversation.pk}").content.decode()
    assert "BOB-SAYS" not in chat and "ALICE-SAYS" in chat and "@bob" not in chat
    assert "This account isn&#x27;t available." in chat and "chat-compose" not in chat

    other_user.is_active, other_user.suspended_at = True, None
    other_user.save()
    chat = client_logged_in.get(f"/messages/{conversation.pk}").content.decode()
    assert "BOB-SAYS" in chat and "Bob Builder" in chat and "chat-compose" in chat


def test_a_suspended_group_member_disappears_from_the_group(user, other_user, api_as):
    carol = UserFactory(username="carol")
    group, _ = dm.conversation_start(creator=user, participant_ids=[other_user.pk, carol.pk], title="Crew")
    dm.message_send(sender=carol, conversation_id=group.pk, text="CAROL-SAYS hi")
    dm.message_send(sender=other_user, conversation_id=group.pk, text="BOB-SAYS hi")
    other_user.is_active = False
    other_user.save()
    api = api_as(user)
    shown = api.get(f"/api/v1/conversations/{group.pk}").json()["conversation"]
    assert sorted(p["username"] for p in shown["participants"]) == ["alice", "carol"] and shown["readOnly"] is False
    (listed,) = api.get("/api/v1/conversations").json()["conversations"]
    assert listed["lastMessage"]["text"] == "CAROL-SAYS hi" and listed["unreadCount"] == 1
    texts = [m["text"] for m in api.get("/api/v1/messages", {"conversationId": group.pk}).json()["messages"]]
    assert texts == ["CAROL-SAYS hi"]
