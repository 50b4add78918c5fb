"""Mastodon's statuses over Chirp's services (issue 22)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from social.graph import services as graph_services
from tests import images
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tests.tweets.helpers import post
from tweets import draft_services
from tweets import services as tweet_services
from tweets.models import Draft, Like, Poll, Tweet

pytestmark = pytest.mark.django_db

STATUS_KEYS = {
    "id", "created_at", "in_reply_to_id", "in_reply_to_account_id", "sensitive", "spoiler_text", "visibility",
    "language", "uri", "url", "replies_count", "reblogs_count", "favourites_count", "edited_at", "content", "reblog",
    "application", "account", "media_attachments", "mentions", "tags", "emojis", "card", "poll", "favourited",
    "reblogged", "muted", "bookmarked", "pinned",
}  # fmt: skip
ACCOUNT_KEYS = {
    "id", "username", "acct", "display_name", "locked", "bot", "discoverable", "group", "created_at", "note", "url",
    "avatar", "avatar_static", "header", "header_static", "followers_count", "following_count", "statuses_count",
    "last_status_at", "emojis", "fields",
}  # fmt: skip


def test_post_a_status_and_read_it(user):
    ann = UserFactory(username="ann")
    api = masto(user)
    response = api.post("/api/v1/statuses", {"status": "hi @ann #birds", "spoiler_text": "cw", "sensitive": "true"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= STATUS_KEYS
    assert set(body["account"]) >= ACCOUNT_KEYS
    assert body["spoiler_text"] == "cw" and body["sensitive"] is True and body["visibility"] == "public"
    assert body["mentions"][0]["id"] == str(ann.pk) and body["tags"][0]["name"] == "birds"
    assert 'class="mention"' in body["content"] and "#birds" in body["content"]
    assert body["account"]["statuses_count"] == 1
    got = api.get(f"/api/v1/statuses/{body['id']}")
    assert got.status_code == 200 and got.json()["id"] == body["id"]


def test_post_json_with_poll_media_and_reply(user):
    api = masto(user)
    parent = post(UserFactory(), "parent")
    item = tweet_services.media_upload(owner=user, upload=images.png_upload(), alt_text="a red box")
    with_media = api.post(
        "/api/v1/statuses", {"status": "pic", "media_ids": [str(item.pk)], "in_reply_to_id": str(parent.pk)},
        format="json",
    )  # fmt: skip
    assert with_media.status_code == 200, with_media.content
    body = with_media.json()
    assert body["in_reply_to_id"] == str(parent.pk) and body["in_reply_to_account_id"] == str(parent.author_id)
    attachment = body["media_attachments"][0]
    assert attachment["type"] == "image" and attachment["description"] == "a red box"
    polled = api.post(
        "/api/v1/statuses", {"status": "vote", "poll": {"options": ["yes", "no"], "expires_in": 3600}}, format="json"
    )
    poll = polled.json()["poll"]
    assert poll["multiple"] is False and [o["title"] for o in poll["options"]] == ["yes", "no"]
    form = api.post(
        "/api/v1/statuses", {"status": "form vote", "poll[options][]": ["a", "b"], "poll[expires_in]": 600},
        format="multipart",
    )  # fmt: skip
    assert form.status_code == 200 and form.json()["poll"]["options"][1]["title"] == "b"


MULTIPLE_FORM = {"status": "m", "poll[options][]": ["a", "b"], "poll[expires_in]": 600, "poll[multiple]": "true"}
MULTIPLE_JSON = {"status": "m", "poll": {"options": ["a", "b"], "expires_in": 600, "multiple": True}}


@pytest.mark.parametrize(("data", "kind"), [(MULTIPLE_FORM, "multipart"), (MULTIPLE_JSON, "json")])
def test_poll_multiple_true_makes_a_multiple_choice_poll(user, data, kind):
    response = masto(user).post("/api/v1/statuses", data, format=kind)
    assert response.status_code == 200, response.content
    poll = response.json()["poll"]
    assert poll["multiple"] is True and poll["voters_count"] == 0 and poll["own_votes"] == []
    assert Poll.objects.get().multiple is True


@pytest.mark.parametrize("multiple", ["false", "0", ""])
def test_poll_multiple_false_or_absent_is_single_choice(user, multiple):
    data = {"status": "one", "poll[options][]": ["a", "b"], "poll[expires_in]": 600, "poll[multiple]": multiple}
    response = masto(user).post("/api/v1/statuses", data, format="multipart")
    assert response.status_code == 200 and response.json()["poll"]["multiple"] is False


def test_a_scheduled_status_keeps_its_poll_multiple(user):
    when = (timezone.now() + timedelta(hours=1)).isoformat()
    poll = {"options": ["a", "b"], "expires_in": 600, "multiple": True}
    data = {"status": "later", "poll": poll, "scheduled_at": when}
    response = masto(user).post("/api/v1/statuses", data, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["params"]["poll"]["multiple"] is True
    tweet = draft_services.draft_publish(actor=user, draft_id=Draft.objects.get().pk)
    assert Poll.objects.get(tweet=tweet).multiple is True


@pytest.mark.parametrize(
    "data",
    [
        {"status": ""},
        {"status": "x" * 281},
        {"status": "dm", "visibility": "direct"},
        {"status": "followers", "visibility": "private"},  # a public account can't post followers-only
        {"status": "bad", "visibility": "everyone"},
        {"status": "when", "scheduled_at": "tomorrow"},
        {"status": "ids", "media_ids[]": ["nope"]},
    ],
)
def test_bad_input_is_422_and_posts_nothing(user, data):
    response = masto(user).post("/api/v1/statuses", data, format="multipart")  # as Mastodon.py sends it
    assert response.status_code == 422, response.content
    assert "error" in response.json()
    assert not Tweet.objects.exists()


def test_five_media_is_422(user):
    ids = [str(tweet_services.media_upload(owner=user, upload=images.png_upload()).pk) for _ in range(5)]
    response = masto(user).post("/api/v1/statuses", {"status": "five", "media_ids[]": ids}, format="multipart")
    assert response.status_code == 422 and not Tweet.objects.exists()


def test_private_account_may_post_private(user):
    user.is_private = True
    user.save()
    response = masto(user).post("/api/v1/statuses", {"status": "locked", "visibility": "private"})
    assert response.status_code == 200 and response.json()["visibility"] == "private"


def test_scheduled_status_is_a_scheduled_draft(user):
    when = (timezone.now() + timedelta(hours=2)).isoformat()
    response = masto(user).post("/api/v1/statuses", {"status": "later", "scheduled_at": when})
    assert response.status_code == 200, response.content
    body = response.json()
    draft = Draft.objects.get(pk=body["id"])
    assert draft.scheduled_at is not None and body["params"]["text"] == "later" and not Tweet.objects.exists()
    item = tweet_services.media_upload(owner=user, upload=images.png_upload())
    later = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")  # as clients write it
    with_media = masto(user).post(
        "/api/v1/statuses", {"status": "pic later", "media_ids": [str(item.pk)], "scheduled_at": later}, format="json"
    )
    assert with_media.status_code == 200, with_media.content
    assert with_media.json()["params"]["media_ids"] == [str(item.pk)] and with_media.json()["scheduled_at"]


def test_idempotency_key_replays_the_first_answer(user):
    api = masto(user)
    first = api.post("/api/v1/statuses", {"status": "once"}, HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post("/api/v1/statuses", {"status": "once"}, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.json()["id"] == again.json()["id"] and Tweet.objects.count() == 1


def test_read_only_token_cannot_post(user):
    response = masto(user, "read").post("/api/v1/statuses", {"status": "nope"})
    assert response.status_code == 403 and "error" in response.json()
    assert not Tweet.objects.exists()
    assert masto(user, "read:statuses").get(f"/api/v1/statuses/{post(user).pk}").status_code == 200


def test_favourite_needs_write_favourites(user):
    target = post(UserFactory())
    assert masto(user, "write:statuses").post(f"/api/v1/statuses/{target.pk}/favourite").status_code == 403
    assert masto(user, "write:favourites").post(f"/api/v1/statuses/{target.pk}/favourite").status_code == 200


def test_missing_and_hidden_are_404(user):
    author = UserFactory(is_private=True)
    hidden = post(author, "secret")
    api = masto(user)
    for path in (f"/api/v1/statuses/{hidden.pk}", "/api/v1/statuses/12345", "/api/v1/statuses/abc"):
        response = api.get(path)
        assert response.status_code == 404 and response.json() == {"error": "Record not found"}
    assert api.post(f"/api/v1/statuses/{hidden.pk}/favourite").status_code == 404
    assert not Like.objects.exists()


def test_actions(user):
    other = UserFactory()
    target = post(other, "target")
    api = masto(user)
    base = f"/api/v1/statuses/{target.pk}"
    assert api.post(f"{base}/favourite").json()["favourited"] is True
    assert api.get(f"{base}/favourited_by").json()[0]["id"] == str(user.pk)
    boost = api.post(f"{base}/reblog").json()
    assert boost["reblog"]["id"] == str(target.pk) and boost["reblogged"] is True
    assert api.get(f"{base}/reblogged_by").json()[0]["id"] == str(user.pk)
    assert api.post(f"{base}/unreblog").json()["reblogged"] is False
    assert api.post(f"{base}/bookmark").json()["bookmarked"] is True
    assert api.post(f"{base}/unbookmark").json()["bookmarked"] is False
    assert api.post(f"{base}/mute").json()["muted"] is True
    assert api.post(f"{base}/unmute").json()["muted"] is False
    assert api.post(f"{base}/unfavourite").json()["favourited"] is False
    mine = post(user, "mine")
    assert api.post(f"/api/v1/statuses/{mine.pk}/pin").json()["pinned"] is True
    assert api.post(f"/api/v1/statuses/{mine.pk}/unpin").json()["pinned"] is False
    assert api.post(f"{base}/pin").status_code == 403  # not yours


def test_favourited_by_pages_with_link(user):
    target = post(user, "popular")
    fans = [UserFactory() for _ in range(3)]
    for fan in fans:
        tweet_services.like_create(user=fan, tweet_id=target.pk)
    api = masto(user)
    first = api.get(f"/api/v1/statuses/{target.pk}/favourited_by?limit=2")
    assert [a["id"] for a in first.json()] == [str(fans[2].pk), str(fans[1].pk)]
    second = api.get(link_of(first, "next"))
    assert [a["id"] for a in second.json()] == [str(fans[0].pk)]


def test_edit_history_source_and_delete(user):
    api = masto(user)
    created = api.post("/api/v1/statuses", {"status": "first"}).json()
    path = f"/api/v1/statuses/{created['id']}"
    edited = api.put(path, {"status": "second", "spoiler_text": "cw"})
    assert edited.status_code == 200, edited.content
    assert "second" in edited.json()["content"] and edited.json()["edited_at"]
    history = api.get(f"{path}/history").json()
    assert ["first" in h["content"] for h in history] == [True, False]
    assert api.get(f"{path}/source").json() == {"id": created["id"], "text": "second", "spoiler_text": "cw"}
    assert api.get(f"{path}/card").json() == {}
    deleted = api.delete(path)
    assert deleted.status_code == 200 and deleted.json()["text"] == "second"
    assert api.get(path).status_code == 404
    someone = post(UserFactory(), "theirs")
    assert api.delete(f"/api/v1/statuses/{someone.pk}").status_code == 403
    assert Tweet.objects.filter(pk=someone.pk).exists()


def test_context(user):
    root = post(user, "root")
    reply = post(UserFactory(), "reply", reply_to_id=root.pk)
    deeper = post(user, "deeper", reply_to_id=reply.pk)
    hidden_author = UserFactory(is_private=True)
    graph_services.follow_create(follower=hidden_author, followee=user)
    post(hidden_author, "hidden", reply_to_id=root.pk)
    api = masto(user)
    context = api.get(f"/api/v1/statuses/{reply.pk}/context").json()
    assert [s["id"] for s in context["ancestors"]] == [str(root.pk)]
    assert [s["id"] for s in context["descendants"]] == [str(deeper.pk)]
    whole = api.get(f"/api/v1/statuses/{root.pk}/context").json()
    assert [s["id"] for s in whole["descendants"]] == [str(reply.pk), str(deeper.pk)]


def test_anonymous_may_read_a_public_status(api_client, user):
    tweet = post(user, "open")
    assert api_client.get(f"/api/v1/statuses/{tweet.pk}").json()["content"] == "<p>open</p>"
    assert api_client.post("/api/v1/statuses", {"status": "x"}).status_code == 401


@pytest.mark.parametrize(
    "data",
    [
        ["a", "list"],
        "just text",
        {"status": {"nested": 1}},
        {"status": "p", "poll": "yes"},
        {"status": "p", "poll": {"options": ["a", "b"], "expires_in": 10**30}},
        {"status": "p", "poll": {"options": ["a", {"b": 1}], "expires_in": 600}},
        {"status": "p", "poll": {"options": ["a", "b"], "expires_in": True}},
        {"status": "s", "scheduled_at": "2026-13-45T00:00:00Z"},
        {"status": "s", "scheduled_at": "2000-01-01T00:00:00Z"},
        {"status": "m", "media_ids": {"a": 1}},
    ],
)
def test_odd_json_bodies_are_refused_never_500(user, data):
    response = masto(user).post("/api/v1/statuses", data, format="json")
    assert response.status_code == 422, response.content
    assert not Tweet.objects.exists() and not Draft.objects.exists()


def test_writes_need_a_signed_in_caller(api_client, user):
    tweet = post(user, "x")
    assert api_client.post(f"/api/v1/statuses/{tweet.pk}/favourite").status_code == 401
    assert api_client.delete(f"/api/v1/statuses/{tweet.pk}").status_code == 401
    assert api_client.get("/api/v1/timelines/home").status_code == 401
    assert api_client.post(f"/api/v1/accounts/{user.pk}/follow").status_code == 401
