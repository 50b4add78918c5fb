"""Videos and GIFs in posts: upload, transcode in the worker, the post's JSON and its player."""

import io

import av
import pytest
from PIL import Image

from config.kernel import media_tasks
from tests import images, videos
from tests.tweets.helpers import post
from tweets.models import Media, Tweet
from tweets.serializers import MediaSerializer, media_json

pytestmark = pytest.mark.django_db


def upload(client, upload_file, alt=""):
    return client.post("/api/v1/media/upload", {"file": upload_file, "altText": alt}, format="multipart")


def moov_before_mdat(path) -> bool:
    data = open(path, "rb").read()  # noqa: SIM115 (a few KB)
    return 0 <= data.find(b"moov") < data.find(b"mdat")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("clip.mp4", lambda: videos.clip(), "video/mp4"),
        ("clip.mov", lambda: videos.clip(fmt="mov"), "video/mp4"),  # MOV and MP4: one container family
        ("clip.webm", lambda: videos.clip(fmt="webm"), "video/webm"),
    ],
    ids=["mp4", "mov", "webm"],
)
def test_a_video_is_transcoded_to_h264_aac_faststart_with_a_poster(
    user_api, django_capture_on_commit_callbacks, name, content, content_type
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answered = upload(user_api, videos.upload(name, content(), "application/octet-stream"), alt="A square moves")
    assert answered.status_code == 201
    body = answered.json()
    # Answered from the header alone, before any transcoding.
    assert body["metadata"]["type"] == "video" and body["metadata"]["state"] == "processing"
    assert body["metadata"]["contentType"] == content_type and body["metadata"]["width"] == 320
    assert body["mediaUrl"] is None

    for callback in callbacks:
        callback()
    item = Media.objects.get(pk=body["mediaId"])
    assert item.state == "ready" and item.kind == "video" and item.content_type == "video/mp4"
    assert item.duration == pytest.approx(1.2, abs=0.1)
    assert len(item.blurhash) > 6 and (item.width, item.height) == (320, 240)
    assert not item.original  # the upload as sent is gone
    with av.open(item.file.path) as made:
        video, audio = made.streams.video[0], made.streams.audio[0]
        assert video.codec_context.name == "h264" and video.codec_context.pix_fmt == "yuv420p"
        assert audio.codec_context.name == "aac"
    assert moov_before_mdat(item.file.path)  # faststart: plays before it has all arrived
    with item.thumbnail.open("rb") as poster:
        assert Image.open(poster).format == "WEBP"
    assert item.size == item.file.size

    polled = user_api.get(f"/api/v1/media/{item.pk}").json()
    assert polled["mediaUrl"].endswith(".mp4") and polled["metadata"]["previewUrl"].endswith(".webp")
    assert polled["metadata"]["duration"] == pytest.approx(1.2, abs=0.1)


def test_a_big_video_is_scaled_to_1280_on_its_long_side_with_even_sides(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        media_id = upload(user_api, videos.upload("wide.mp4", videos.clip(0.4, size=(1930, 1086), audio=False)))
    item = Media.objects.get(pk=media_id.json()["mediaId"])
    assert (item.width, item.height) == (1280, 720)  # 1086 * 1280/1930 = 720.3, made even
    with av.open(item.file.path) as made:
        assert not made.streams.audio  # none in, none out
        assert (made.streams.video[0].width, made.streams.video[0].height) == (1280, 720)


def test_a_phones_portrait_video_is_turned_upright(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        media_id = upload(user_api, videos.upload("portrait.mov", videos.filmed_upright(-90))).json()["mediaId"]
    item = Media.objects.get(pk=media_id)
    assert (item.width, item.height) == (240, 320)
    poster = Image.open(io.BytesIO(item.thumbnail.read())).convert("L")
    assert poster.size == (240, 320)
    assert poster.getpixel((120, 20)) > 200 and poster.getpixel((120, 300)) < 50  # the white half is on top now
    with av.open(item.file.path) as made:
        frame = next(made.decode(video=0))
        assert (frame.width, frame.height) == (240, 320) and not frame.rotation


def test_the_posts_json_describes_the_video(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        media_id = upload(user_api, videos.upload("clip.mp4", videos.clip()), alt="A square").json()["mediaId"]
    with django_capture_on_commit_callbacks(execute=True):
        created = user_api.post("/api/v1/tweets", {"text": "watch", "mediaIds": [media_id]}, format="json")
    assert created.status_code == 201
    item = created.json()["tweetData"]["media"][0]
    assert item["type"] == "video" and item["url"].endswith(".mp4") and item["altText"] == "A square"
    assert item["previewUrl"].endswith(".webp") and item["previewUrl"] == item["thumbnailUrl"]
    assert item["duration"] == pytest.approx(1.2, abs=0.1) and item["blurhash"]
    # The serializer that describes it in the schema says the same as the hand-written JSON.
    media = Media.objects.get(pk=media_id)
    assert dict(MediaSerializer(media, context={"request": None}).data) == media_json(media, None)


def test_images_have_no_video_fields(user_api):
    media_id = upload(user_api, images.png_upload()).json()["mediaId"]
    item = media_json(Media.objects.get(pk=media_id), None)
    assert item["previewUrl"] is None and item["duration"] is None and item["blurhash"] is None
    assert dict(MediaSerializer(Media.objects.get(pk=media_id), context={"request": None}).data) == item


def test_one_video_per_post_and_no_mixing_with_images(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(user_api, videos.upload("a.mp4", videos.clip(0.4))).json()["mediaId"]
        second = upload(user_api, videos.upload("b.mp4", videos.clip(0.4))).json()["mediaId"]
        picture = upload(user_api, images.png_upload()).json()["mediaId"]
    for media_ids in ([first, second], [first, picture]):
        refused = user_api.post("/api/v1/tweets", {"text": "x", "mediaIds": media_ids}, format="json")
        assert refused.status_code == 400
        assert refused.json()["error"] == "A post can have one video or GIF, or up to 4 images, not both."
    assert not Tweet.objects.exists() and Media.objects.filter(tweet__isnull=False).count() == 0


def test_the_form_refuses_a_video_with_an_image_and_keeps_nothing(client_logged_in):
    import uuid

    files = [images.png_upload("a.png"), videos.upload("b.mp4", videos.clip(0.4))]
    response = client_logged_in.post("/compose", {"text": "both", "images": files, "form_token": uuid.uuid4()})
    assert response.status_code == 400
    assert "not both" in " ".join(response.context["form"].errors["images"])
    assert not Tweet.objects.exists() and not Media.objects.exists()


def test_the_card_shows_a_player_that_never_autoplays_with_sound(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(user, "clip", uploads=[(videos.upload("clip.mp4", videos.clip()), "A white square moves")])
    html = client.get(f"/@{user.username}/status/{tweet.pk}").content.decode()
    item = Media.objects.get(tweet=tweet)
    assert '<video class="media-video" controls preload="none" playsinline' in html
    assert 'aria-label="A white square moves"' in html and ">ALT<" in html
    assert f'data-src="{item.file.url}"' in html and f'poster="{item.thumbnail.url}"' in html
    assert " autoplay" not in html  # static/js/video.js starts it muted, in view, if the reader allows
    assert "js/video.js" in html


def test_a_gif_plays_as_a_muted_loop(client, user, django_capture_on_commit_callbacks):
    from tests.images_hostile import animated_gif

    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(user, "loop", uploads=[(images.upload("dance.gif", animated_gif(frames=4), "image/gif"), "")])
    item = Media.objects.get(tweet=tweet)
    assert item.kind == "gif" and item.content_type == "video/mp4" and item.blurhash
    html = client.get(f"/@{user.username}/status/{tweet.pk}").content.decode()
    assert "playsinline loop muted data-gif" in html and ">GIF<" in html


def test_the_author_sees_processing_until_the_video_is_ready(
    client_logged_in, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tweet = post(user, "soon", uploads=[(videos.upload("clip.mp4", videos.clip(0.4)), "")])
    page = client_logged_in.get(f"/@{user.username}/status/{tweet.pk}").content.decode()
    assert "Processing video…" in page and "<video" not in page
    item = Media.objects.get(tweet=tweet)
    for callback in callbacks:
        callback()
    polled = client_logged_in.get(f"/media/{item.pk}/item").content.decode()
    assert "<video" in polled and "Processing" not in polled


def test_autoplay_is_the_readers_choice(client_logged_in, user):
    page = client_logged_in.get("/settings/display").content.decode()
    assert 'data-autoplay-videos="on"' in page and "Autoplay videos and GIFs" in page
    saved = client_logged_in.post("/settings/display", {"show_sensitive_media": "", "autoplay_videos": ""})
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.autoplay_videos is False
    assert 'data-autoplay-videos="off"' in client_logged_in.get("/settings/display").content.decode()


def test_stuck_videos_go_again_through_the_video_task(user_api):
    from datetime import timedelta

    from django.utils import timezone

    media_id = upload(user_api, videos.upload("clip.mp4", videos.clip(0.4))).json()["mediaId"]  # its task never ran
    Media.objects.filter(pk=media_id).update(created_at=timezone.now() - timedelta(minutes=3))
    assert media_tasks.process_pending_images() == 1  # eager in the tests: processed at once
    assert Media.objects.get(pk=media_id).state == "ready"


def test_a_video_that_fits_is_not_scaled_up(user_api, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        media_id = upload(user_api, videos.upload("small.mp4", videos.clip(0.3, size=(96, 64)))).json()["mediaId"]
    item = Media.objects.get(pk=media_id)
    assert (item.width, item.height) == (96, 64) and (item.thumb_width, item.thumb_height) == (96, 64)
    assert Image.open(io.BytesIO(item.thumbnail.read())).size == (96, 64)
    assert settings.VIDEO_MAX_SIDE == 1280


def test_a_draft_takes_one_video_alone(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clip = upload(user_api, videos.upload("a.mp4", videos.clip(0.4))).json()["mediaId"]
        picture = upload(user_api, images.png_upload()).json()["mediaId"]
    refused = user_api.post("/api/v1/drafts", {"text": "later", "mediaIds": [clip, picture]}, format="json")
    assert refused.status_code == 400 and "not both" in refused.json()["error"]
    saved = user_api.post("/api/v1/drafts", {"text": "later", "mediaIds": [clip]}, format="json")
    assert saved.status_code == 201 and saved.json()["draft"]["media"][0]["type"] == "video"


def test_a_video_served_by_the_app_can_be_seeked_by_byte_ranges(user_api, client, django_capture_on_commit_callbacks):
    """Without S3 the app serves media itself: a player's `Range` gets 206 with that part, so seeking works."""
    with django_capture_on_commit_callbacks(execute=True):
        media_id = upload(user_api, videos.upload("clip.mp4", videos.clip())).json()["mediaId"]
    item = Media.objects.get(pk=media_id)
    whole = client.get(item.file.url)
    everything = b"".join(whole.streaming_content)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and len(everything) == item.size
    part = client.get(item.file.url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-19/{item.size}"
    assert b"".join(part.streaming_content) == everything[10:20] and part["Content-Type"] == "video/mp4"
    assert client.get(item.file.url, HTTP_RANGE=f"bytes={item.size + 5}-").status_code == 416
    assert client.get(item.file.url, HTTP_RANGE="bytes=oops").status_code == 200  # malformed: the whole file
    assert client.get(item.file.url, HTTP_RANGE="bytes=9-3").status_code == 200  # backwards: ignored
    assert client.get(item.file.url, HTTP_RANGE="bytes=" + "9" * 40 + "-").status_code == 416
