"""Direct-message images: the image pipeline, private storage, and an access check on every read."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image

from config.kernel.media_tasks import process_image
from social.messages import services, tasks
from social.messages.models import MessageImage
from tests import images
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def files_under(root) -> list[Path]:
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload_for_message(client, upload_file):
    return client.post(
        "/api/v1/media/upload", {"file": upload_file, "purpose": "message", "altText": "a photo"}, format="multipart"
    )


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_message_image_is_private_and_only_members_see_it(api_as, ann, ben, django_capture_on_commit_callbacks):
    photo = images.upload("photo.jpg", images.jpeg_with_gps_exif(size=(900, 600)), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = upload_for_message(api_as(ann), photo)
    assert uploaded.status_code == 201
    media_id = uploaded.json()["mediaId"]
    assert uploaded.json()["metadata"]["state"] == "processing"  # answered before the worker ran
    polled = api_as(ann).get(f"/api/v1/media/{media_id}").json()
    assert polled["metadata"]["state"] == "ready"
    assert polled["mediaUrl"].endswith(f"/api/v1/messages/media/{media_id}")
    # Nothing lands where public media is served; the file lives in private storage, EXIF gone.
    assert files_under(settings.MEDIA_ROOT) == []
    stored = files_under(settings.PRIVATE_MEDIA_ROOT)
    assert len(stored) == 2  # the image and its thumbnail
    assert "exif" not in Image.open(io.BytesIO(MessageImage.objects.get().file.read())).info

    eve = UserFactory(username="eve")
    url = f"/api/v1/messages/media/{media_id}"
    assert api_as(ann).get(url).status_code == 200  # its uploader, before it is sent
    assert api_as(ben).get(url).status_code == 404

    sent = api_as(ann).post(
        "/api/v1/messages", {"recipientId": str(ben.pk), "mediaId": media_id, "messageText": ""}, format="json"
    )
    assert sent.status_code == 201
    seen = api_as(ben).get(url)
    assert seen.status_code == 200 and seen["Content-Type"] == "image/jpeg"
    assert "private" in seen["Cache-Control"]
    assert Image.open(io.BytesIO(body_of(seen))).size == (900, 600)
    thumb = api_as(ben).get(url, {"size": "thumb"})
    assert thumb["Content-Type"] == "image/webp"
    assert api_as(eve).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 401  # no session, no token

    message = api_as(ben).get("/api/v1/messages", {"chatWithUserId": "ann"}).json()["messages"][0]
    assert message["text"] == "" and message["media"]["url"].endswith(url)
    assert message["media"]["thumbnailUrl"].endswith(f"{url}?size=thumb")


def test_an_image_can_be_sent_once_and_only_by_its_uploader(api_as, ann, ben):
    image = services.message_image_upload(owner=ann, upload=images.png_upload())
    stolen = api_as(ben).post("/api/v1/messages", {"recipientId": str(ann.pk), "mediaId": str(image.pk)}, format="json")
    assert stolen.status_code == 404 and "mediaId" in stolen.json()["fields"]  # none of ben's has that id
    services.message_send(sender=ann, recipient_id=ben.pk, media_id=image.pk)
    cat = UserFactory(username="cat")
    reused = api_as(ann).post("/api/v1/messages", {"recipientId": str(cat.pk), "mediaId": str(image.pk)}, format="json")
    assert reused.status_code == 404  # sent already: no unsent image of ann's has that id
    assert api_as(cat).get(f"/api/v1/messages/media/{image.pk}").status_code == 404


def test_a_bad_file_is_refused_and_nothing_is_kept(api_as, ann):
    answer = upload_for_message(api_as(ann), images.text_pretending_to_be_png())
    assert answer.status_code == 400
    assert not MessageImage.objects.exists() and files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_hiding_the_message_hides_its_image_too(api_as, ann, ben):
    image = services.message_image_upload(owner=ann, upload=images.png_upload())
    process_image("direct_messages.MessageImage", image.pk)
    message = services.message_send(sender=ann, recipient_id=ben.pk, media_id=image.pk)
    services.message_hide(user=ben, message_id=message.pk)
    assert api_as(ben).get(f"/api/v1/messages/media/{image.pk}").status_code == 404
    assert api_as(ann).get(f"/api/v1/messages/media/{image.pk}").status_code == 200


def test_unsent_images_are_purged_after_a_day(ann, ben):
    kept = services.message_image_upload(owner=ann, upload=images.png_upload())
    services.message_send(sender=ann, recipient_id=ben.pk, media_id=kept.pk)
    stale = services.message_image_upload(owner=ann, upload=images.png_upload())
    MessageImage.objects.filter(pk__in=[kept.pk, stale.pk]).update(created_at=timezone.now() - timedelta(days=2))
    assert tasks.purge_unsent_message_images() == 1
    assert list(MessageImage.objects.values_list("pk", flat=True)) == [kept.pk]
    assert len(files_under(settings.PRIVATE_MEDIA_ROOT)) == 1  # the kept image; the stale one is gone
