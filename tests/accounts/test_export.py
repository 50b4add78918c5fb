"""Exporting one's data: the zip's exact contents, who may download it and for how long, the API, the news."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import lifecycle
from accounts.models import AccountExport
from notifications import preferences
from notifications import services as notification_services
from notifications.models import Notification
from social.graph import services as social
from social.messages import services as dm
from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweet_services
from tweets.models import Media

pytestmark = pytest.mark.django_db

Status = AccountExport.Status


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def read_json(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


def stamp(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", name="Bob Builder")


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", name="Carol Singer")


def _process_uploads() -> None:
    """What the worker does after commit (config/kernel/media.py): the images become files."""
    from config.kernel.media_tasks import kinds, process_image

    for model in kinds():
        for pk in model.objects.filter(state="processing").values_list("pk", flat=True):
            process_image(model._meta.label, pk)


@pytest.fixture
def world(user, bob, carol):
    """Alice's data: a post with an image (edited), a reply, a retweet, a like, follows, messages."""
    user.bio, user.location, user.website = "Down the rabbit hole", "Wonderland", "https://example.com"
    user.notification_prefs = {"app": {"like": False}}
    user.save()
    bobs = post(bob, "Bob's post")
    hers = post(user, "Hello #World @bob", uploads=[(images.png_upload(), "a red square")])
    hers = tweet_services.tweet_edit(actor=user, tweet=hers, text_input="Hello again #World @bob")
    reply = post(user, "Nice one", reply_to_id=bobs.pk)
    _, retweet = tweet_services.retweet_create(user=user, tweet_id=bobs.pk)
    tweet_services.like_create(user=user, tweet_id=bobs.pk)
    tweet_services.bookmark_create(user=user, tweet_id=bobs.pk)
    social.follow_create(follower=user, followee=bob)
    social.follow_create(follower=carol, followee=user)
    first = dm.message_send(sender=bob, recipient_id=user.pk, text="hi alice")
    mine = dm.message_send(
        sender=user, conversation_id=first.conversation_id, text="look", upload=images.png_upload(), alt_text="red"
    )
    theirs = dm.message_send(
        sender=bob, conversation_id=first.conversation_id, upload=images.png_upload(), alt_text="bob's"
    )
    group, _ = dm.conversation_start(creator=carol, participant_ids=[user.pk, bob.pk], title="Tea party")
    _process_uploads()
    for sent in (mine, theirs):
        sent.image.refresh_from_db()
    in_group = dm.message_send(sender=carol, conversation_id=group.pk, text="Tea at four")
    hidden = dm.message_send(sender=bob, conversation_id=group.pk, text="delete me")
    dm.message_hide(user=user, message_id=hidden.pk)  # deleted for herself: not hers to export
    from timelines import lists_services

    tea = lists_services.list_create(owner=user, name="Tea", description="Hatters", is_private=True)
    lists_services.list_member_add(actor=user, lst=tea, member=bob)
    for row in (hers, reply, retweet, bobs):
        row.refresh_from_db()
    return {
        "post": hers, "reply": reply, "retweet": retweet, "bobs": bobs, "first": first, "mine": mine,
        "theirs": theirs, "group": group, "in_group": in_group,
    }  # fmt: skip


def build(user, django_capture_on_commit_callbacks) -> AccountExport:
    with django_capture_on_commit_callbacks(execute=True):
        export, started = lifecycle.account_export_request(user=user, site_url="http://testserver/")
    assert started
    export.refresh_from_db()
    return export


def test_the_zip_holds_exactly_her_data(user, bob, carol, world, django_capture_on_commit_callbacks):
    export = build(user, django_capture_on_commit_callbacks)
    assert export.status == Status.READY
    assert export.expires_at == export.ready_at + timedelta(days=7)
    with export.file.open("rb") as stored:
        archive = open_zip(stored.read())
    hers, reply, retweet, bobs = world["post"], world["reply"], world["retweet"], world["bobs"]
    mine, first, theirs = world["mine"], world["first"], world["theirs"]
    image = Media.objects.get(tweet=hers)
    assert archive.namelist() == [
        "README.txt",
        "profile.json",
        "tweets.json",
        "likes.json",
        "bookmarks.json",
        "drafts.json",
        "following.json",
        "followers.json",
        "muted_words.json",
        "messages.json",
        "lists.json",
        f"media/tweets/{hers.pk}-1.png",
        f"media/messages/{mine.pk}.png",
    ]
    lists = read_json(archive, "lists.json")
    assert [(x["name"], x["private"], [m["username"] for m in x["members"]]) for x in lists] == [
        ("Tea", True, [bob.username])
    ]
    readme = archive.read("README.txt").decode()
    assert "@alice" in readme and "tweets.json" in readme and "messages.json" in readme

    user.refresh_from_db()
    prefs = {verb: verb != "like" for verb in Notification.Verb.values}
    assert read_json(archive, "profile.json") == {
        "id": str(user.pk),
        "username": "alice",
        "name": "Alice Liddell",
        "email": "alice@example.com",
        "bio": "Down the rabbit hole",
        "location": "Wonderland",
        "website": "https://example.com",
        "isPrivate": False,
        "whoCanMessage": "everyone",
        "notificationPrefs": prefs,
        "notificationSettings": preferences.of(user).as_json(),
        "createdAt": stamp(user.date_joined),
        "followersCount": 1,
        "followingCount": 1,
        "avatar": None,
        "header": None,
    }

    edit = hers.edits.get()
    no_counts = {"likeCount": 0, "retweetCount": 0, "replyCount": 0, "quoteCount": 0}
    no_labels = {"contentWarning": None, "sensitive": False}
    assert read_json(archive, "tweets.json") == [
        {
            "id": str(hers.pk),
            "createdAt": stamp(hers.created_at),
            "text": "Hello again #World @bob",
            "editedAt": stamp(hers.edited_at),
            "replyToTweetId": None,
            "quoteTweetId": None,
            "retweetOfTweetId": None,
            "hashtags": ["world"],
            "mentions": ["bob"],
            **no_counts,
            **no_labels,
            "media": [
                {
                    "file": f"media/tweets/{hers.pk}-1.png",
                    "type": "image",
                    "altText": "a red square",
                    "width": 64,
                    "height": 48,
                }
            ],
            "edits": [
                {
                    "text": "Hello #World @bob",
                    "writtenAt": stamp(edit.written_at),
                    "replacedAt": stamp(edit.replaced_at),
                }
            ],
        },
        {
            "id": str(reply.pk),
            "createdAt": stamp(reply.created_at),
            "text": "Nice one",
            "editedAt": None,
            "replyToTweetId": str(bobs.pk),
            "quoteTweetId": None,
            "retweetOfTweetId": None,
            "hashtags": [],
            "mentions": [],
            **no_counts,
            **no_labels,
            "media": [],
            "edits": [],
        },
        {
            "id": str(retweet.pk),
            "createdAt": stamp(retweet.created_at),
            "text": "",
            "editedAt": None,
            "replyToTweetId": None,
            "quoteTweetId": None,
            "retweetOfTweetId": str(bobs.pk),
            "hashtags": [],
            "mentions": [],
            **no_counts,
            **no_labels,
            "media": [],
            "edits": [],
        },
    ]
    like = user.likes.get()
    assert read_json(archive, "likes.json") == [
        {"tweetId": str(bobs.pk), "likedAt": stamp(like.created_at), "author": "bob", "text": "Bob's post"}
    ]
    bookmark = user.bookmarks.get()
    assert read_json(archive, "bookmarks.json") == [
        {"tweetId": str(bobs.pk), "bookmarkedAt": stamp(bookmark.created_at), "author": "bob", "text": "Bob's post"}
    ]
    follow_bob = user.following_set.get()
    assert read_json(archive, "following.json") == [
        {"id": str(bob.pk), "username": "bob", "name": "Bob Builder", "followedAt": stamp(follow_bob.created_at)}
    ]
    followed_by_carol = user.follower_set.get()
    assert read_json(archive, "followers.json") == [
        {
            "id": str(carol.pk),
            "username": "carol",
            "name": "Carol Singer",
            "followedAt": stamp(followed_by_carol.created_at),
        }
    ]

    def person(u):
        return {"id": str(u.pk), "username": u.username, "name": u.name}

    def sender(u):
        return {"id": str(u.pk), "username": u.username}

    conversations = read_json(archive, "messages.json")
    one_to_one, group = sorted(conversations, key=lambda c: c["isGroup"])
    assert one_to_one == {
        "id": str(first.conversation_id),
        "isGroup": False,
        "name": "Bob Builder",
        "participants": [person(user), person(bob)],  # by id
        "messages": [
            {"id": str(first.pk), "sender": sender(bob), "text": "hi alice", "createdAt": stamp(first.created_at),
             "media": None},
            {"id": str(mine.pk), "sender": sender(user), "text": "look", "createdAt": stamp(mine.created_at),
             "media": {"file": f"media/messages/{mine.pk}.png", "altText": "red"}},
            # Someone else's image: described, not copied.
            {"id": str(theirs.pk), "sender": sender(bob), "text": "", "createdAt": stamp(theirs.created_at),
             "media": {"file": None, "altText": "bob's"}},
        ],
    }  # fmt: skip
    in_group = world["in_group"]
    assert group == {
        "id": str(world["group"].pk),
        "isGroup": True,
        "name": "Tea party",
        "participants": [person(user), person(bob), person(carol)],
        "messages": [
            {"id": str(in_group.pk), "sender": sender(carol), "text": "Tea at four",
             "createdAt": stamp(in_group.created_at), "media": None},
        ],
    }  # fmt: skip

    with image.file.open("rb") as original:
        assert archive.read(f"media/tweets/{hers.pk}-1.png") == original.read()
    with mine.image.file.open("rb") as original:
        assert archive.read(f"media/messages/{mine.pk}.png") == original.read()


def test_the_notification_settings_are_in_the_profile(user, django_capture_on_commit_callbacks):
    changes = {"types": {"like": {"push": False, "email": "daily"}}, "weeklyDigest": True}
    notification_services.update_settings(user=user, changes=changes)
    with build(user, django_capture_on_commit_callbacks).file.open("rb") as stored:
        settings = read_json(open_zip(stored.read()), "profile.json")["notificationSettings"]
    assert settings["types"]["like"] == {"inApp": True, "push": False, "email": "daily"}
    assert settings["types"]["mention"] == {"inApp": True, "push": True, "email": "immediately"}
    assert set(settings["types"]) == set(preferences.TYPES)
    assert settings["weeklyDigest"] is True and settings["onlyFromFollowing"] is False


def test_profile_pictures_are_included(user, django_capture_on_commit_callbacks):
    from accounts import services

    services.profile_update(user=user, changes={}, avatar=images.png_upload(size=(400, 400)))
    export = build(user, django_capture_on_commit_callbacks)
    with export.file.open("rb") as stored:
        archive = open_zip(stored.read())
    assert "media/profile/avatar.webp" in archive.namelist()
    assert read_json(archive, "profile.json")["avatar"] == "media/profile/avatar.webp"
    with user.avatar.open("rb") as original:
        assert archive.read("media/profile/avatar.webp") == original.read()


def test_hidden_people_stay_out(user, bob, carol, world, django_capture_on_commit_callbacks):
    """A suspended follower, a post she can no longer see, a suspended sender's messages: not in the zip."""
    social.block_create(blocker=bob, blocked=user)  # she can't see Bob's post any more
    carol.is_active = False
    carol.save()
    export = build(user, django_capture_on_commit_callbacks)
    with export.file.open("rb") as stored:
        archive = open_zip(stored.read())
    assert read_json(archive, "followers.json") == []
    assert read_json(archive, "likes.json")[0] | {"likedAt": None} == {
        "tweetId": str(world["bobs"].pk), "likedAt": None, "author": None, "text": None,
    }  # fmt: skip
    group = next(c for c in read_json(archive, "messages.json") if c["isGroup"])
    assert group["messages"] == [] and "carol" not in json.dumps(group)


def test_only_the_owner_downloads_it_and_only_for_seven_days(
    client, user, bob, world, django_capture_on_commit_callbacks, monkeypatch
):
    export = build(user, django_capture_on_commit_callbacks)
    url = f"/settings/account/export/{export.pk}"

    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="chirp-alice-{export.ready_at:%Y-%m-%d}.zip"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private"
    assert "profile.json" in open_zip(body_of(response)).namelist()

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=7, minutes=1))
    assert client.get(url).status_code == 404
    assert "Download your data</a>" not in client.get("/settings/account").content.decode()


def test_the_api_answers_202_then_the_zip(user, api_as, world, django_capture_on_commit_callbacks):
    client = api_as(user)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get("/api/v1/account/export")
    assert first.status_code == 202
    export = AccountExport.objects.get(user=user)
    assert first.json() == {"status": "pending", "requestedAt": stamp(export.created_at)}

    second = client.get("/api/v1/account/export")
    assert second.status_code == 200
    assert second["Content-Type"] == "application/zip"
    assert second["Content-Disposition"].startswith("attachment;")
    assert second["Cache-Control"] == "private"
    assert open_zip(body_of(second)).namelist()[:2] == ["README.txt", "profile.json"]
    assert AccountExport.objects.filter(user=user).count() == 1  # the ready one was served, no new one


def test_asking_twice_while_it_is_prepared_finds_the_same_export(user, api_as):
    client = api_as(user)
    first = client.get("/api/v1/account/export")  # the task waits for a commit that never comes here
    again = client.get("/api/v1/account/export")
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert AccountExport.objects.filter(user=user, status=Status.PENDING).count() == 1


def test_after_seven_days_the_api_starts_a_new_one(user, api_as, django_capture_on_commit_callbacks, monkeypatch):
    old = build(user, django_capture_on_commit_callbacks)
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(user).get("/api/v1/account/export")
    assert response.status_code == 202
    new = AccountExport.objects.get(user=user)  # the new copy replaced the old one
    assert new.pk != old.pk and new.status == Status.READY
    assert not old.file.storage.exists(old.file.name)


def test_the_owner_is_notified_and_emailed(user, client_logged_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_logged_in.post("/settings/account/export")
    assert response.status_code == 302
    export = AccountExport.objects.get(user=user)
    assert export.status == Status.READY

    notification = Notification.objects.get(recipient=user)
    assert notification.verb == "export_ready" and notification.actor_id == user.pk and notification.read_at is None
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert f"http://testserver/settings/account/export/{export.pk}" in message.body

    page = client_logged_in.get("/settings/account").content.decode()
    assert f'href="/settings/account/export/{export.pk}"' in page and "Prepare a new copy" in page
    listed = client_logged_in.get("/api/v1/notifications").json()["notifications"]
    assert [(n["type"], n["actor"]["username"]) for n in listed] == [("export_ready", "alice")]
    assert client_logged_in.get("/notifications").status_code == 200


def test_the_notification_follows_the_preferences(user, django_capture_on_commit_callbacks):
    user.notification_prefs = {"app": {"export_ready": False}}
    user.save()
    export = build(user, django_capture_on_commit_callbacks)
    assert export.status == Status.READY
    assert not Notification.objects.filter(recipient=user).exists()
    assert len(mail.outbox) == 1  # the email still says it is ready


def test_the_page_shows_it_being_prepared(user, client_logged_in):
    client_logged_in.post("/settings/account/export")  # no commit in this test: it stays pending
    page = client_logged_in.get("/settings/account").content.decode()
    assert "Your data is being prepared" in page and "Request your data" not in page


def test_a_failed_build_says_so_and_can_be_asked_again(user, client_logged_in, django_capture_on_commit_callbacks,
                                                       monkeypatch):  # fmt: skip
    def broken(user, out):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lifecycle.export, "write_export", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client_logged_in.post("/settings/account/export")
    assert AccountExport.objects.get(user=user).status == Status.FAILED
    page = client_logged_in.get("/settings/account").content.decode()
    assert "prepare your data. Please ask again" in page and "Request your data" in page


def test_the_task_is_idempotent(user, django_capture_on_commit_callbacks):
    export = build(user, django_capture_on_commit_callbacks)
    name = export.file.name
    assert lifecycle.export_build(export.pk) is False  # redelivered: nothing twice
    export.refresh_from_db()
    assert export.file.name == name and Notification.objects.filter(recipient=user).count() == 1


def test_the_beat_task_purges_expired_exports(user, django_capture_on_commit_callbacks, monkeypatch):
    from accounts.tasks import purge_account_exports

    export = build(user, django_capture_on_commit_callbacks)
    storage, name = export.file.storage, export.file.name
    assert purge_account_exports() == 0
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=7, seconds=1))
    assert purge_account_exports() == 1
    assert not AccountExport.objects.exists() and not storage.exists(name)


def test_the_zip_is_stored_privately(user, django_capture_on_commit_callbacks, settings):
    export = build(user, django_capture_on_commit_callbacks)
    assert export.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with pytest.raises(ValueError):
        export.file.url  # noqa: B018 - private files have no URL


def test_anonymous_api_is_401(api_client):
    assert api_client.get("/api/v1/account/export").status_code == 401


def test_the_schema_documents_both_answers(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    answers = schema["paths"]["/api/v1/account/export"]["get"]["responses"]
    assert "application/zip" in answers["200"]["content"] and "202" in answers
    deletion = schema["paths"]["/api/v1/account"]["delete"]
    body = deletion["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][body]["required"] == ["password"]
