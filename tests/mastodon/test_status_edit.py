"""Editing a status's images (PUT /api/v1/statuses/:id media_ids[] and media_attributes[]): one write
path, tweets.services.tweet_edit, and each version's images in the history."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests import images
from tests.factories import UserFactory
from tests.mastodon.helpers import masto
from tests.tweets.helpers import post
from tweets import draft_services
from tweets import services as tweet_services
from tweets import tasks as tweet_tasks
from tweets.models import Media, Poll, PollVote, Tweet, TweetEdit

pytestmark = pytest.mark.django_db


def _upload(owner, alt=""):
    return tweet_services.media_upload(owner=owner, upload=images.png_upload(), alt_text=alt)


def _ids(body) -> list[str]:
    return [m["id"] for m in body["media_attachments"]]


def test_add_reorder_and_remove_images_with_history(user, django_capture_on_commit_callbacks):
    api = masto(user)
    with django_capture_on_commit_callbacks(execute=True):
        a, b, c = _upload(user, "a"), _upload(user, "b"), _upload(user, "c")
    made = api.post("/api/v1/statuses", {"status": "pics", "media_ids": [str(a.pk)]}, format="json").json()
    path = f"/api/v1/statuses/{made['id']}"

    added = api.put(path, {"status": "pics", "media_ids": [str(b.pk), str(a.pk), str(c.pk)]}, format="json")
    assert added.status_code == 200, added.content
    assert _ids(added.json()) == [str(b.pk), str(a.pk), str(c.pk)] and added.json()["edited_at"]
    # Forms (Mastodon.py) send media_ids[]; dropping one and reordering, with a new description.
    form = {"status": "fewer", "media_ids[]": [str(c.pk), str(b.pk)], "media_attributes[][id]": [str(c.pk)],
            "media_attributes[][description]": ["now c"]}  # fmt: skip
    fewer = api.put(path, form, format="multipart")
    assert fewer.status_code == 200, fewer.content
    assert _ids(fewer.json()) == [str(c.pk), str(b.pk)]
    assert fewer.json()["media_attachments"][0]["description"] == "now c"
    # Text only: the images stay.
    assert _ids(api.put(path, {"status": "text only"}).json()) == [str(c.pk), str(b.pk)]

    history = api.get(f"{path}/history").json()
    assert [_ids(h) for h in history] == [
        [str(a.pk)],
        [str(b.pk), str(a.pk), str(c.pk)],
        [str(c.pk), str(b.pk)],
        [str(c.pk), str(b.pk)],
    ]
    assert all(m["url"] for h in history for m in h["media_attachments"])
    # The image taken off stays for the history: not purged as an unattached upload, nor postable elsewhere.
    a.refresh_from_db()
    assert a.tweet_id is None and a.edited_out_of_id == int(made["id"])
    Media.objects.filter(pk=a.pk).update(created_at=timezone.now() - settings.UNATTACHED_MEDIA_TTL - timedelta(days=1))
    tweet_tasks.purge_unattached_media()
    assert Media.objects.filter(pk=a.pk).exists()
    elsewhere = api.post("/api/v1/statuses", {"status": "again", "media_ids": [str(a.pk)]}, format="json")
    assert elsewhere.status_code == 404
    # ... but it can go back on its own post.
    back = api.put(path, {"status": "back", "media_ids": [str(a.pk)]}, format="json")
    assert _ids(back.json()) == [str(a.pk)]


def test_removing_every_image_needs_text_and_delete_takes_edited_out_images(user, django_capture_on_commit_callbacks):
    api = masto(user)
    with django_capture_on_commit_callbacks(execute=True):
        a = _upload(user)
    made = api.post("/api/v1/statuses", {"media_ids": [str(a.pk)]}, format="json").json()
    path = f"/api/v1/statuses/{made['id']}"
    assert api.put(path, {"status": "", "media_ids": []}, format="json").status_code == 422
    cleared = api.put(path, {"status": "words now", "media_ids": []}, format="json")
    assert cleared.status_code == 200 and cleared.json()["media_attachments"] == []
    assert Tweet.objects.get(pk=made["id"]).has_media is False
    assert [_ids(h) for h in api.get(f"{path}/history").json()] == [[str(a.pk)], []]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(path).status_code == 200
    assert not Media.objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_refused_images_change_nothing(user, django_capture_on_commit_callbacks):
    api = masto(user)
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        mine, spare, theirs = _upload(user), _upload(user), _upload(other)
        elsewhere = _upload(user)
        five = [_upload(user) for _ in range(4)]
    post(user, "other post", media_ids=[elsewhere.pk])
    polled = api.post(
        "/api/v1/statuses", {"status": "q", "poll": {"options": ["a", "b"], "expires_in": 3600}}, format="json"
    ).json()
    made = api.post("/api/v1/statuses", {"status": "pics", "media_ids": [str(mine.pk)]}, format="json").json()
    path = f"/api/v1/statuses/{made['id']}"
    refused = [
        {"status": "x", "media_ids": [str(mine.pk), str(theirs.pk)]},  # someone else's upload
        {"status": "x", "media_ids": [str(elsewhere.pk)]},  # on another post
        {"status": "x", "media_ids": [str(mine.pk), *[str(m.pk) for m in five]]},  # five images
        {"status": "x", "media_ids": ["12345678901234567"]},  # no such upload
        {"status": "x", "media_ids": ["nope"]},
        {"status": "x", "media_ids": [str(spare.pk)], "media_attributes": [{"id": str(spare.pk), "description": 5}]},
        {"status": "x", "media_ids": [str(spare.pk)], "media_attributes": [{"id": str(mine.pk), "description": "d"}]},
        {"status": "x", "media_attributes": [{"id": str(mine.pk), "description": "d" * 1001}]},
        {"status": "x", "media_attributes": "junk"},
    ]
    for body in refused:
        response = api.put(path, body, format="json")
        assert response.status_code == 422, (body, response.content)
        assert "error" in response.json()
    assert api.put(f"/api/v1/statuses/{polled['id']}", {"status": "q", "media_ids": [str(spare.pk)]},
                   format="json").status_code == 422  # fmt: skip
    tweet = Tweet.objects.get(pk=made["id"])
    assert tweet.text == "pics" and tweet.edited_at is None and not TweetEdit.objects.exists()
    assert list(tweet.media.values_list("pk", flat=True)) == [mine.pk]
    spare.refresh_from_db()
    mine.refresh_from_db()
    assert spare.tweet_id is None and mine.alt_text == ""


def test_chirp_patch_takes_media_ids_too(user, user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a, b = _upload(user), _upload(user)
    tweet = post(user, "pics", media_ids=[a.pk])
    response = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "pics", "mediaIds": [str(b.pk)]}, format="json")
    assert response.status_code == 200, response.content
    assert [m["id"] for m in response.json()["tweet"]["media"]] == [str(b.pk)]
    assert TweetEdit.objects.get().media_ids == [a.pk]
    theirs = _upload(UserFactory())
    refused = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "x", "mediaIds": [str(theirs.pk)]}, format="json")
    assert refused.status_code == 400


def test_new_poll_choices_replace_the_poll_and_reset_its_votes(user, django_capture_on_commit_callbacks):
    api, voter = masto(user), UserFactory()
    poll = {"options": ["tea", "coffee"], "expires_in": 3600}
    made = api.post("/api/v1/statuses", {"status": "drink?", "poll": poll}, format="json").json()
    path, poll_id = f"/api/v1/statuses/{made['id']}", made["poll"]["id"]
    assert masto(voter).post(f"/api/v1/polls/{poll_id}/votes", {"choices": ["0"]}, format="json").status_code == 200
    # The same choices (and a new text): the poll, its votes and its end stay.
    same = api.put(path, {"status": "drink??", "poll": {**poll, "expires_in": 86400}}, format="json").json()
    assert same["poll"]["votes_count"] == 1 and same["poll"]["expires_at"] == made["poll"]["expires_at"]
    with django_capture_on_commit_callbacks(execute=True):
        changed = api.put(path, {"status": "drink??", "poll": {"options": ["tea", "juice", "water"],
                                                                "expires_in": 86400}}, format="json")  # fmt: skip
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert [o["title"] for o in body["poll"]["options"]] == ["tea", "juice", "water"]
    assert body["poll"]["votes_count"] == 0 and body["poll"]["expires_at"] > made["poll"]["expires_at"]
    assert not PollVote.objects.exists() and Poll.objects.count() == 1
    again = masto(voter).post(f"/api/v1/polls/{body['poll']['id']}/votes", {"choices": ["2"]}, format="json")
    assert again.status_code == 200 and again.json()["options"][2]["votes_count"] == 1
    history = api.get(f"{path}/history").json()
    assert [[o["title"] for o in h["poll"]["options"]] for h in history] == [
        ["tea", "coffee"],
        ["tea", "coffee"],
        ["tea", "juice", "water"],
    ]


def test_a_new_poll_may_take_several_choices(user):
    api, voter = masto(user), UserFactory()
    first = {"options": ["tea", "coffee"], "expires_in": 3600}
    made = api.post("/api/v1/statuses", {"status": "drink?", "poll": first}, format="json").json()
    assert made["poll"]["multiple"] is False
    new = {"options": ["tea", "juice", "water"], "expires_in": 3600, "multiple": True}
    body = api.put(f"/api/v1/statuses/{made['id']}", {"status": "drinks?", "poll": new}, format="json").json()
    assert body["poll"]["multiple"] is True
    voted = masto(voter).post(f"/api/v1/polls/{body['poll']['id']}/votes", {"choices": ["0", "2"]}, format="json")
    assert voted.status_code == 200 and voted.json()["own_votes"] == [0, 2]


def test_bad_poll_edits_change_nothing(user, django_capture_on_commit_callbacks):
    api = masto(user)
    with django_capture_on_commit_callbacks(execute=True):
        item = _upload(user)
    made = api.post("/api/v1/statuses", {"status": "drink?", "poll": {"options": ["a", "b"], "expires_in": 3600}},
                    format="json").json()  # fmt: skip
    path = f"/api/v1/statuses/{made['id']}"
    for poll in (
        {"options": ["only one"], "expires_in": 3600},
        {"options": ["a", "c"], "expires_in": 10},
        {"options": ["a", "c"], "expires_in": "soon"},
        {"options": [1, 2], "expires_in": 3600},
        "junk",
    ):
        response = api.put(path, {"status": "x", "poll": poll}, format="json")
        assert response.status_code == 422, (poll, response.content)
    with_media = api.put(path, {"status": "x", "media_ids": [str(item.pk)]}, format="json")
    assert with_media.status_code == 422
    pics = api.post("/api/v1/statuses", {"status": "pic", "media_ids": [str(item.pk)]}, format="json").json()
    poll = {"options": ["a", "b"], "expires_in": 3600}
    assert api.put(f"/api/v1/statuses/{pics['id']}", {"status": "p", "poll": poll}, format="json").status_code == 422
    assert not TweetEdit.objects.exists()
    assert [c.text for c in Poll.objects.get().choices.all()] == ["a", "b"]
    # A post without a poll may get one (no images).
    plain = api.post("/api/v1/statuses", {"status": "plain"}).json()
    added = api.put(f"/api/v1/statuses/{plain['id']}", {"status": "plain", "poll": poll}, format="json").json()
    assert [o["title"] for o in added["poll"]["options"]] == ["a", "b"]
    assert api.get(f"/api/v1/statuses/{plain['id']}/history").json()[0]["poll"] is None


def test_an_image_posted_from_a_draft_can_be_edited_off_and_back(user, django_capture_on_commit_callbacks):
    api = masto(user)
    with django_capture_on_commit_callbacks(execute=True):
        a, b = _upload(user), _upload(user)
    draft = draft_services.draft_create(author=user, text_input="drafted", media_ids=[a.pk])
    tweet = draft_services.draft_publish(actor=user, draft_id=draft.pk)
    path = f"/api/v1/statuses/{tweet.pk}"
    assert _ids(api.put(path, {"status": "drafted", "media_ids": [str(b.pk)]}, format="json").json()) == [str(b.pk)]
    # Edited off, it is the post's history's: not described as a fresh upload, not put on a new draft.
    assert api.put(f"/api/v1/media/{a.pk}", {"description": "sneaky"}, format="json").status_code == 404
    refused = api.post("/api/v1/statuses", {"status": "later", "media_ids": [str(a.pk)],
                                            "scheduled_at": "2099-01-01T00:00:00Z"}, format="json")  # fmt: skip
    assert refused.status_code in (404, 422)
    back = api.put(path, {"status": "drafted", "media_ids": [str(a.pk), str(b.pk)]}, format="json")
    assert back.status_code == 200, back.content
    assert _ids(back.json()) == [str(a.pk), str(b.pk)]
