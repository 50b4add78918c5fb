"""Hostile videos (issue 19's list): each gets a clear error, nothing is kept, and nothing else changes.

Checked on the request from the header (container, codecs, frame size,
duration) and one decoded frame; what only the transcode finds out (a file
that makes FFmpeg fail, hang or eat memory) ends `failed`, with the reason
shown to its author, and is not tried again.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from config.kernel import media_tasks
from tests import images, videos
from tests.images_hostile import gif_bomb
from tweets.models import Media, Tweet

pytestmark = pytest.mark.django_db


def upload(client, upload_file):
    return client.post("/api/v1/media/upload", {"file": upload_file}, format="multipart")


def files_on_disk() -> list[Path]:
    found = []
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        if Path(root).exists():
            found += [p for p in Path(root).rglob("*") if p.is_file()]
    return found


def refused(client, upload_file):
    response = upload(client, upload_file)
    assert not Media.objects.exists() and files_on_disk() == []  # nothing kept, no row, no file
    return response.status_code, response.json()["error"]


def test_an_mp4_that_is_really_a_text_file(user_api):
    status, error = refused(user_api, videos.upload("movie.mp4", b"Not a movie at all.\n" * 500))
    assert status == 400
    assert error == "That file isn't an image or video we can read. Use a JPEG, PNG, GIF, WebP, MP4, MOV or WebM file."


def test_a_text_file_that_starts_like_an_mp4(user_api):
    status, error = refused(user_api, videos.upload("movie.mp4", b"\0\0\0\x18ftypisom" + b"lorem ipsum " * 500))
    assert status == 400 and error.startswith("That file isn't a video we can read.")


def test_a_truncated_mp4(user_api):
    status, error = refused(user_api, videos.upload("cut.mp4", videos.truncated()))
    assert status == 400 and "isn't a video we can read" in error


def test_a_three_minute_video(user_api):
    status, error = refused(user_api, videos.upload("long.mp4", videos.long_clip(180)))
    assert (status, error) == (413, "Videos can be at most 2 min 20 s long.")


def test_frames_of_10000_by_10000(user_api):
    status, error = refused(user_api, videos.upload("huge.mov", videos.huge_frames(10_000), "video/quicktime"))
    assert (status, error) == (413, "Video frames can be at most 4096x4096 pixels.")


def test_the_gif_bomb_is_refused_before_it_becomes_a_video(user_api):
    status, error = refused(user_api, images.upload("bomb.gif", gif_bomb(), "image/gif"))
    assert (status, error) == (413, "Animated images can be at most 1280 pixels wide or high.")  # from its header


def test_a_video_over_100_mb_by_its_size(user_api, settings):
    settings.VIDEO_MAX_BYTES = 10_000  # the same check on a small file (and while streaming: test_upload_streaming)
    content = videos.clip(2, size=(640, 480))
    assert len(content) > 10_000
    status, error = refused(user_api, videos.upload("big.mp4", content))
    assert (status, error) == (413, "Files must be 9.8\xa0KB or smaller (videos; images: 5.0\xa0MB).")


def test_a_file_that_makes_ffmpeg_fail_is_failed_and_not_retried(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answered = upload(user_api, videos.upload("damaged.mp4", videos.damaged_after_the_start()))
    assert answered.status_code == 201  # its first frames are fine: only the transcode finds out
    item = Media.objects.get()
    assert item.state == "failed" and item.failure == "That video is damaged: too many of its frames can't be read."
    assert files_on_disk() == []  # no original kept, no half-made output
    # Failed is final: the catch-up doesn't try it again, and it can't be posted.
    Media.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert media_tasks.process_pending_images() == 0
    polled = user_api.get(f"/api/v1/media/{item.pk}").json()["metadata"]
    assert polled["state"] == "failed" and "damaged" in polled["failure"]
    posted = user_api.post("/api/v1/tweets", {"text": "x", "mediaIds": [str(item.pk)]}, format="json")
    assert posted.status_code == 400 and "damaged" in posted.json()["error"]
    assert not Tweet.objects.exists()


def test_a_transcode_that_runs_too_long_is_killed_and_failed(user_api, settings, django_capture_on_commit_callbacks):
    # As if FFmpeg hung: the child is killed at its time limit. 20 ms is less than the child takes to start
    # and import PyAV; 0.2 s was not, on a fast machine (a 1 s clip transcoded within it).
    settings.VIDEO_TRANSCODE_MAX_SECONDS = 0.02
    with django_capture_on_commit_callbacks(execute=True):
        upload(user_api, videos.upload("clip.mp4", videos.clip(1)))
    item = Media.objects.get()
    assert item.state == "failed"
    assert item.failure == "That video took too long to process. Try a shorter or simpler file."
    assert files_on_disk() == []
    assert media_tasks.process_video(item._meta.label, item.pk) is False  # run again: nothing happens


def test_a_transcode_past_its_memory_bound_is_failed(user_api, settings, django_capture_on_commit_callbacks):
    settings.VIDEO_TRANSCODE_MAX_MEMORY = 64 * 1024 * 1024  # the child can't even load FFmpeg in this
    with django_capture_on_commit_callbacks(execute=True):
        upload(user_api, videos.upload("clip.mp4", videos.clip(0.4)))
    item = Media.objects.get()
    assert item.state == "failed"
    assert item.failure == "That video needs too much memory to process. Try a smaller file."
    assert files_on_disk() == []


def test_a_failed_video_is_shown_failed_to_its_author_only(
    client, user, other_user, django_capture_on_commit_callbacks
):
    from tests.tweets.helpers import post

    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(user, "oops", uploads=[(videos.upload("damaged.mp4", videos.damaged_after_the_start()), "")])
    client.force_login(user)
    page = client.get(f"/@{user.username}/status/{tweet.pk}").content.decode()
    assert "This video couldn't be processed: That video is damaged" in page
    client.force_login(other_user)
    assert "couldn't be processed" not in client.get(f"/@{user.username}/status/{tweet.pk}").content.decode()
