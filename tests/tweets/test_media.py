"""Images: upload, checks by decoding, EXIF stripping, thumbnails off the request path."""

import io
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests import images
from tests.tweets.helpers import post
from tweets import tasks
from tweets.models import Media, Tweet

pytestmark = pytest.mark.django_db


def files_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
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


def test_pages_show_the_original_until_the_thumbnail_exists(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tweet = post(user, "pic", uploads=[(images.png_upload(), "a picture")])
    item = tweet.media.get()
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert f'src="{item.file.url}"' in html and 'alt="a picture"' in html
    for callback in callbacks:
        callback()
    item.refresh_from_db()
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert f'src="{item.thumbnail.url}"' in html


def test_thumbnail_task_is_idempotent(user):
    tweet = post(user, "pic", uploads=[(images.png_upload(), "")])
    item = tweet.media.get()
    tasks.make_thumbnail(item.pk)
    tasks.make_thumbnail(item.pk)
    item.refresh_from_db()
    assert item.thumbnail
    assert len(list(Path(settings.MEDIA_ROOT).rglob("thumbs/**/*.webp"))) == 1


def test_attach_uploads_by_media_ids(user_api):
    media_ids = [upload(user_api, images.png_upload()).json()["mediaId"] for _ in range(2)]
    response = user_api.post("/api/v1/tweets", {"text": "two pics", "mediaIds": media_ids}, format="json")
    assert response.status_code == 201
    media = response.json()["tweetData"]["media"]
    assert [m["id"] for m in media] == media_ids
    assert set(media[0]) == {"id", "url", "thumbnailUrl", "type", "width", "height", "altText"}


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
    assert "Image 2" in " ".join(response.context["form"].errors["images"])
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


def test_animated_gif_keeps_its_frames(user_api):
    frames = [Image.new("RGB", (20, 20), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    response = upload(user_api, images.upload("dance.gif", buffer.getvalue(), "image/gif"))
    assert response.json()["metadata"]["type"] == "gif"
    item = Media.objects.get(pk=response.json()["mediaId"])
    with item.file.open("rb") as stored:
        assert Image.open(stored).n_frames == 3


def test_alt_text_renders_inert(client, user):
    tweet = post(user, "pic", uploads=[(images.png_upload(), '"><script>alert(1)</script>')])
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


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
