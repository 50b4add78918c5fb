"""Images: upload, checks by decoding, EXIF stripping, thumbnails off the request path."""

import io
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from config.kernel import media_tasks
from tests import images
from tests.tweets.helpers import post
from tweets import tasks
from tweets.models import Media, Tweet

pytestmark = pytest.mark.django_db


def files_on_disk(root=None) -> list[Path]:
    root = Path(root or settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(client, upload_file, alt=""):
    return client.post("/api/v1/media/upload", {"file": upload_file, "altText": alt}, format="multipart")


def test_upload_strips_exif_and_answers_201(user_api, django_capture_on_commit_callbacks):
    photo = images.upload("photo.jpg", images.jpeg_with_gps_exif(size=(800, 600)), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(user_api, photo, alt="A red square")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"mediaId", "mediaUrl", "metadata"}
    assert body["metadata"]["width"] == 800 and body["metadata"]["height"] == 600
    assert body["metadata"]["type"] == "image" and body["metadata"]["altText"] == "A red square"
    item = Media.objects.get(pk=body["mediaId"])
    with item.file.open("rb") as stored:
        saved = Image.open(io.BytesIO(stored.read()))
    assert saved.format == "JPEG"
    assert not saved.getexif()  # no camera, no GPS
    assert item.thumbnail and (item.thumb_width, item.thumb_height) == (800, 600)


def test_thumbnail_is_made_by_the_task_not_the_request(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(user_api, images.png_upload(size=(2400, 1200)))
    item = Media.objects.get(pk=response.json()["mediaId"])
    assert not item.thumbnail  # the answer came before any thumbnail
    assert len(callbacks) == 1
    callbacks[0]()
    item.refresh_from_db()
    assert (item.thumb_width, item.thumb_height) == (1024, 512)
    with item.thumbnail.open("rb") as stored:
        assert Image.open(stored).format == "WEBP"


def test_pages_show_a_placeholder_until_the_image_is_processed(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tweet = post(user, "pic", uploads=[(images.png_upload(), "a picture")])
    item = tweet.media.get()
    assert item.state == "processing" and not item.file and files_on_disk() == []  # nothing public yet
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert 'aria-label="Image being processed"' in html and f'hx-get="/media/{item.pk}/item"' in html
    assert "Processing" in client.get(f"/media/{item.pk}/item").content.decode()
    for callback in callbacks:
        callback()
    item.refresh_from_db()
    assert item.state == "ready" and not item.original
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert f'src="{item.thumbnail.url}"' in html and 'alt="a picture"' in html
    assert f'src="{item.thumbnail.url}"' in client.get(f"/media/{item.pk}/item").content.decode()


def test_processing_is_idempotent(user):
    tweet = post(user, "pic", uploads=[(images.png_upload(), "")])
    item = tweet.media.get()
    assert media_tasks.process_image("tweets.Media", item.pk) is True
    assert media_tasks.process_image("tweets.Media", item.pk) is False
    item.refresh_from_db()
    assert item.thumbnail and item.file
    assert len(list(Path(settings.MEDIA_ROOT).rglob("thumbs/**/*.webp"))) == 1


def test_attach_uploads_by_media_ids(user_api):
    media_ids = [upload(user_api, images.png_upload()).json()["mediaId"] for _ in range(2)]
    response = user_api.post("/api/v1/tweets", {"text": "two pics", "mediaIds": media_ids}, format="json")
    assert response.status_code == 201
    media = response.json()["tweetData"]["media"]
    assert [m["id"] for m in media] == media_ids
    assert set(media[0]) == {
        *("id", "state", "url", "thumbnailUrl", "type", "width", "height", "altText"),
        *("previewUrl", "duration", "blurhash"),  # videos and GIFs; null for images
    }


def test_images_without_text(user_api):
    media_id = upload(user_api, images.png_upload()).json()["mediaId"]
    response = user_api.post("/api/v1/tweets", {"text": "", "mediaIds": [media_id]}, format="json")
    assert response.status_code == 201
    assert response.json()["tweetData"]["text"] == ""


def test_five_images_via_the_api_is_400_and_attaches_none(user_api):
    media_ids = [upload(user_api, images.png_upload()).json()["mediaId"] for _ in range(5)]
    response = user_api.post("/api/v1/tweets", {"text": "too many", "mediaIds": media_ids}, format="json")
    assert response.status_code == 400
    assert "at most 4" in response.json()["fields"]["mediaIds"][0]
    assert not Tweet.objects.exists()
    assert not Media.objects.filter(tweet__isnull=False).exists()


def test_five_images_in_the_form_is_an_error_and_leaves_no_file(client_logged_in):
    files = [images.png_upload(f"p{i}.png") for i in range(5)]
    response = client_logged_in.post("/compose", {"text": "five", "images": files, "form_token": uuid.uuid4()})
    assert response.status_code == 400
    assert "at most 4" in " ".join(response.context["form"].errors["images"])
    assert not Tweet.objects.exists() and not Media.objects.exists()
    assert files_on_disk() == []


@pytest.mark.parametrize(
    ("make", "status", "message"),
    [
        (images.text_pretending_to_be_png, 400, "isn't an image"),
        (lambda: images.oversize_upload(settings.IMAGE_MAX_BYTES), 413, "or smaller"),
        (images.pixel_bomb_png, 413, "megapixels"),
    ],
    ids=["forged", "oversize", "pixel-bomb"],
)
def test_bad_uploads_are_refused_and_leave_no_file(user_api, make, status, message):
    response = upload(user_api, make())
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not Media.objects.exists()
    assert files_on_disk() == []


def test_a_bad_image_among_good_ones_in_the_form_writes_nothing(client_logged_in):
    files = [images.png_upload("good.png"), images.text_pretending_to_be_png()]
    response = client_logged_in.post("/compose", {"text": "mixed", "images": files, "form_token": uuid.uuid4()})
    assert response.status_code == 400
    assert "File 2" in " ".join(response.context["form"].errors["images"])
    assert not Tweet.objects.exists() and files_on_disk() == []


def test_someone_elses_media_cannot_be_attached(user_api, api_as, other_user):
    theirs = upload(api_as(other_user), images.png_upload()).json()["mediaId"]
    response = user_api.post("/api/v1/tweets", {"text": "stolen", "mediaIds": [theirs]}, format="json")
    assert response.status_code == 404  # none of yours has that id
    assert "mediaIds" in response.json()["fields"]
    assert Media.objects.get(pk=theirs).tweet is None


def test_media_already_used_cannot_be_attached_again(user_api):
    media_id = upload(user_api, images.png_upload()).json()["mediaId"]
    assert user_api.post("/api/v1/tweets", {"text": "one", "mediaIds": [media_id]}, format="json").status_code == 201
    again = user_api.post("/api/v1/tweets", {"text": "two", "mediaIds": [media_id]}, format="json")
    assert again.status_code == 404  # no unattached upload of yours has that id


def test_animated_gif_becomes_a_silent_mp4_with_its_frames(user_api, django_capture_on_commit_callbacks):
    import av

    frames = [Image.new("RGB", (20, 20), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(user_api, images.upload("dance.gif", buffer.getvalue(), "image/gif"))
    assert response.json()["metadata"]["type"] == "gif"
    item = Media.objects.get(pk=response.json()["mediaId"])
    assert item.content_type == "video/mp4" and item.duration == pytest.approx(0.24)
    with av.open(item.file.path) as stored:
        assert not stored.streams.audio and stored.streams.video[0].frames == 3  # looped by the player


def test_alt_text_renders_inert(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(user, "pic", uploads=[(images.png_upload(), '"><script>alert(1)</script>')])
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'alt="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html  # the card's Jinja2 escapes " as &#34;


def test_declared_content_type_is_not_trusted(user_api):
    disguised = images.upload("photo.jpg", images.image_bytes("PNG"), "image/jpeg")
    response = upload(user_api, disguised)
    assert response.status_code == 201
    assert response.json()["metadata"]["contentType"] == "image/png"  # what the bytes are


def test_unattached_uploads_are_purged_after_a_day(user_api):
    from datetime import timedelta

    from django.utils import timezone

    media_id = upload(user_api, images.png_upload()).json()["mediaId"]
    Media.objects.filter(pk=media_id).update(created_at=timezone.now() - timedelta(days=2))
    assert tasks.purge_unattached_media() == 1
    assert not Media.objects.exists() and files_on_disk() == []


def test_an_upload_answers_at_once_with_a_state_to_poll(user_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        body = upload(user_api, images.png_upload(size=(300, 200))).json()
    assert body["mediaUrl"] is None and body["metadata"]["state"] == "processing"
    assert body["metadata"]["width"] == 300  # from the header
    polled = user_api.get(f"/api/v1/media/{body['mediaId']}").json()
    assert polled["metadata"]["state"] == "processing"
    for callback in callbacks:
        callback()
    polled = user_api.get(f"/api/v1/media/{body['mediaId']}").json()
    assert polled["metadata"]["state"] == "ready" and polled["mediaUrl"].endswith(".png")


def test_someone_elses_upload_cant_be_polled(user_api, api_as, other_user):
    theirs = upload(api_as(other_user), images.png_upload()).json()["mediaId"]
    assert user_api.get(f"/api/v1/media/{theirs}").status_code == 404


def test_a_file_that_fails_to_decode_is_marked_failed_and_cant_be_posted(user_api, django_capture_on_commit_callbacks):
    from tests.images_hostile import truncated_png

    with django_capture_on_commit_callbacks(execute=True):
        body = upload(user_api, images.upload("cut.png", truncated_png())).json()
    polled = user_api.get(f"/api/v1/media/{body['mediaId']}").json()
    assert polled["metadata"]["state"] == "failed" and polled["mediaUrl"] is None
    refused = user_api.post("/api/v1/tweets", {"text": "x", "mediaIds": [body["mediaId"]]}, format="json")
    assert refused.status_code == 400 and "couldn't be used" in refused.json()["error"]
    assert files_on_disk() == [] and files_on_disk(settings.PRIVATE_MEDIA_ROOT) == []  # no original, no output


def test_uploads_stuck_in_processing_go_again(user_api):
    from datetime import timedelta

    from django.utils import timezone

    media_id = upload(user_api, images.png_upload()).json()["mediaId"]  # its task never ran
    Media.objects.filter(pk=media_id).update(created_at=timezone.now() - timedelta(minutes=3))
    assert media_tasks.process_pending_images() == 1  # eager in the tests: processed at once
    assert Media.objects.get(pk=media_id).state == "ready"


def test_uploads_have_their_own_limit(user_api, settings):
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "upload": "2/h"}
    assert upload(user_api, images.png_upload()).status_code == 201
    assert upload(user_api, images.png_upload()).status_code == 201
    refused = upload(user_api, images.png_upload())
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert Media.objects.count() == 2


def test_the_gif_bomb_is_refused_at_the_door(user_api):
    from tests.images_hostile import gif_bomb

    refused = upload(user_api, images.upload("bomb.gif", gif_bomb(), "image/gif"))
    assert refused.status_code == 413
    assert not Media.objects.exists() and files_on_disk() == []
