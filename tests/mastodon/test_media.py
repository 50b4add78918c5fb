"""Mastodon's media over Chirp's upload service (issue 22)."""

import pytest

from tests import images
from tests.factories import UserFactory
from tests.mastodon.helpers import masto
from tests.tweets.helpers import post
from tweets import services as tweet_services
from tweets.models import Media

pytestmark = pytest.mark.django_db


def test_upload_is_202_while_processing_then_ready(user, django_capture_on_commit_callbacks):
    api = masto(user)
    with django_capture_on_commit_callbacks(execute=False):
        made = api.post("/api/v2/media", {"file": images.png_upload(), "description": "A red square", "focus": "0,0"},
                        format="multipart")  # fmt: skip
    assert made.status_code == 202
    body = made.json()
    assert body["url"] is None and body["type"] == "image" and body["description"] == "A red square"
    assert api.get(f"/api/v1/media/{body['id']}").status_code == 206
    item = Media.objects.get(pk=body["id"])
    assert item.owner == user and item.alt_text == "A red square"


def test_upload_processed_is_200_and_can_be_posted(user, django_capture_on_commit_callbacks):
    api = masto(user)
    with django_capture_on_commit_callbacks(execute=True):
        made = api.post("/api/v1/media", {"file": images.png_upload()}, format="multipart")
    assert made.status_code == 202
    ready = api.get(f"/api/v1/media/{made.json()['id']}")
    assert ready.status_code == 200
    assert ready.json()["url"].startswith("http") and ready.json()["meta"]["original"]["width"] == 64
    described = api.put(f"/api/v1/media/{made.json()['id']}", {"description": "Now described"}, format="json")
    assert described.status_code == 200 and described.json()["description"] == "Now described"
    focus_only = api.put(f"/api/v1/media/{made.json()['id']}", {"focus": "0.5,0.5"}, format="json")
    assert focus_only.json()["description"] == "Now described"
    status = api.post("/api/v1/statuses", {"status": "look", "media_ids": [made.json()["id"]]}, format="json")
    assert status.status_code == 200
    assert status.json()["media_attachments"][0]["description"] == "Now described"


def test_hostile_and_bad_input_is_refused_and_stores_nothing(user, settings):
    api = masto(user)
    fake = api.post("/api/v2/media", {"file": images.text_pretending_to_be_png()}, format="multipart")
    assert fake.status_code == 422 and "error" in fake.json()
    assert api.post("/api/v2/media", {}, format="multipart").status_code == 422
    long = api.post("/api/v2/media", {"file": images.png_upload(), "description": "x" * 1001}, format="multipart")
    assert long.status_code == 422
    huge = api.post("/api/v2/media", {"file": images.oversize_upload(settings.IMAGE_MAX_BYTES)}, format="multipart")
    assert huge.status_code == 413
    assert not Media.objects.exists()


def test_someone_elses_or_posted_media_is_404(user, django_capture_on_commit_callbacks):
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        theirs = tweet_services.media_upload(owner=other, upload=images.png_upload())
        mine = tweet_services.media_upload(owner=user, upload=images.png_upload(), alt_text="kept")
    post(user, "with it", media_ids=[mine.pk])
    api = masto(user)
    assert api.get(f"/api/v1/media/{theirs.pk}").status_code == 404
    assert api.put(f"/api/v1/media/{theirs.pk}", {"description": "mine now"}).status_code == 404
    assert api.put(f"/api/v1/media/{mine.pk}", {"description": "changed"}).status_code == 404
    assert api.get("/api/v1/media/nope").status_code == 404
    assert api.put(f"/api/v1/media/{theirs.pk}", {"description": 5}, format="json").status_code == 422
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.alt_text == "kept" and theirs.alt_text == ""


def test_scopes(user):
    assert (
        masto(user, "read").post("/api/v2/media", {"file": images.png_upload()}, format="multipart").status_code == 403
    )
    assert masto(user, "write:statuses").post("/api/v1/media", {}, format="multipart").status_code == 403
    assert (
        masto(user, "write:media").post("/api/v2/media", {"file": images.png_upload()}, format="multipart").status_code
        == 202
    )
