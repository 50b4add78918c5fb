"""Videos in direct messages: the same pipeline, private as DM images are (access-checked, Cache-Control: private)."""

from pathlib import Path

import av
import pytest
from django.conf import settings
from django.test import Client

from social.messages.models import MessageImage
from tests import videos
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def files_under(root) -> list[Path]:
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_message_video_is_private_and_only_members_see_it(
    api_as, ann, ben, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = api_as(ann).post(
            "/api/v1/media/upload",
            {"file": videos.upload("clip.mov", videos.clip(fmt="mov")), "purpose": "message", "altText": "Our cat"},
            format="multipart",
        )
    assert uploaded.status_code == 201 and uploaded.json()["metadata"]["type"] == "video"
    media_id = uploaded.json()["mediaId"]
    polled = api_as(ann).get(f"/api/v1/media/{media_id}").json()
    url = f"/api/v1/messages/media/{media_id}"
    assert polled["metadata"]["state"] == "ready" and polled["mediaUrl"].endswith(url)
    assert polled["metadata"]["previewUrl"].endswith(f"{url}?size=thumb")
    # Nothing where public media is served: the video and its poster are in private storage.
    assert files_under(settings.MEDIA_ROOT) == []
    assert len(files_under(settings.PRIVATE_MEDIA_ROOT)) == 2

    sent = api_as(ann).post(
        "/api/v1/messages", {"recipientId": str(ben.pk), "mediaId": media_id, "messageText": ""}, format="json"
    )
    assert sent.status_code == 201
    seen = api_as(ben).get(url)
    assert seen.status_code == 200 and seen["Content-Type"] == "video/mp4"
    assert seen["Cache-Control"].startswith("private")
    played = tmp_path / "seen.mp4"
    played.write_bytes(body_of(seen))
    with av.open(str(played)) as made:
        assert made.streams.video[0].codec_context.name == "h264"
    poster = api_as(ben).get(url, {"size": "thumb"})
    assert poster.status_code == 200 and poster["Content-Type"] == "image/webp"

    eve = UserFactory(username="eve")
    assert api_as(eve).get(url).status_code == 404  # not a member: as if it didn't exist
    assert api_as(eve).get(url, {"size": "thumb"}).status_code == 404
    assert Client().get(url).status_code == 401

    message = api_as(ben).get("/api/v1/messages", {"chatWithUserId": "ann"}).json()["messages"][0]
    media = message["media"]
    assert media["type"] == "video" and media["url"].endswith(url) and media["altText"] == "Our cat"
    assert media["previewUrl"].endswith(f"{url}?size=thumb") and media["duration"] == pytest.approx(1.2, abs=0.1)


def test_the_chat_shows_a_player_from_the_access_checked_view(client, ann, ben, django_capture_on_commit_callbacks):
    from social.messages import services

    with django_capture_on_commit_callbacks(execute=True):
        image = services.message_image_upload(owner=ann, upload=videos.upload("clip.mp4", videos.clip(0.5)))
    image.refresh_from_db()
    assert image.state == "ready" and image.is_video
    client.force_login(ann)
    html = client.get(f"/messages/images/{image.pk}").content.decode()
    assert '<video class="media-video" controls preload="none" playsinline' in html
    assert f'data-src="/api/v1/messages/media/{image.pk}"' in html and "?size=thumb" in html
    client.force_login(UserFactory(username="eve"))
    assert client.get(f"/messages/images/{image.pk}").status_code == 404
    assert MessageImage.objects.count() == 1


def test_a_message_video_is_served_by_byte_ranges_to_members_only(api_as, ann, ben, django_capture_on_commit_callbacks):
    """Players seek with `Range`: 206 with that part, 416 past the end, and still 404 to anyone else."""
    with django_capture_on_commit_callbacks(execute=True):
        media_id = api_as(ann).post(
            "/api/v1/media/upload", {"file": videos.upload("clip.mp4", videos.clip()), "purpose": "message"},
            format="multipart",
        ).json()["mediaId"]  # fmt: skip
    api_as(ann).post("/api/v1/messages", {"recipientId": str(ben.pk), "mediaId": media_id}, format="json")
    url = f"/api/v1/messages/media/{media_id}"
    whole = api_as(ben).get(url)
    everything = body_of(whole)
    assert whole["Accept-Ranges"] == "bytes"

    part = api_as(ben).get(url, HTTP_RANGE="bytes=100-299")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-299/{len(everything)}"
    assert body_of(part) == everything[100:300] and part["Content-Length"] == "200"
    assert part["Cache-Control"].startswith("private") and part["Content-Type"] == "video/mp4"
    rest = api_as(ben).get(url, HTTP_RANGE="bytes=1000-")
    assert rest.status_code == 206 and body_of(rest) == everything[1000:]
    tail = api_as(ben).get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and body_of(tail) == everything[-10:]
    past = api_as(ben).get(url, HTTP_RANGE=f"bytes={len(everything)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(everything)}"
    several = api_as(ben).get(url, HTTP_RANGE="bytes=0-1,5-9")  # not a single range: the whole file
    assert several.status_code == 200 and body_of(several) == everything
    assert api_as(UserFactory(username="eve")).get(url, HTTP_RANGE="bytes=0-9").status_code == 404
