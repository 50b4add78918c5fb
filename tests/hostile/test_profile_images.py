"""Avatars and headers go through the same image pipeline: bounded before decoding, nothing but pixels kept."""

from pathlib import Path

import pytest
from django.conf import settings

from accounts import services
from accounts.models import ProfileImage
from config.kernel import images
from config.kernel.errors import ServiceError
from tests.images import jpeg_with_gps_exif, upload
from tests.images_hostile import gif_bomb, jpeg_with_comment, png_with_text, truncated_png, webp_with_xmp

pytestmark = pytest.mark.django_db


def files_under(root) -> list[Path]:
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refused(user, field: str, data: bytes) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        services.profile_update(user=user, changes={}, **{field: upload("hostile.png", data)})
    user.refresh_from_db()
    assert not user.avatar and not user.header
    assert files_under(settings.MEDIA_ROOT) == [] and files_under(settings.PRIVATE_MEDIA_ROOT) == []
    assert not ProfileImage.objects.exists()
    return caught.value


@pytest.mark.parametrize("field", ["avatar", "header"])
def test_the_gif_bomb_is_refused_from_its_header(user, field):
    error = refused(user, field, gif_bomb())
    assert error.status == 413 and field in error.fields


@pytest.mark.parametrize("field", ["avatar", "header"])
def test_a_file_damaged_past_its_header_is_refused_and_leaves_nothing(user, field):
    error = refused(user, field, truncated_png())
    assert error.message == images.NOT_AN_IMAGE and field in error.fields


@pytest.mark.parametrize("field", ["avatar", "header"])
@pytest.mark.parametrize(
    "data, secret",
    [
        (jpeg_with_comment(b"FIND-ME-JPEG-COMMENT"), b"FIND-ME-JPEG-COMMENT"),
        (jpeg_with_gps_exif(), b"SpyCam"),
        (png_with_text("Author", "FIND-ME-PNG-TEXT"), b"FIND-ME-PNG-TEXT"),
        (webp_with_xmp("FIND-ME-WEBP-XMP"), b"FIND-ME-WEBP-XMP"),
    ],
    ids=["jpeg-comment", "jpeg-exif", "png-text", "webp-xmp"],
)
def test_no_metadata_survives_and_the_original_is_not_kept(user, field, data, secret):
    assert secret in data
    services.profile_update(user=user, changes={}, **{field: upload("me.png", data)})
    user.refresh_from_db()
    with getattr(user, field).open("rb") as stored:
        assert secret not in stored.read()
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []  # the upload as sent is gone
    assert [p.name for p in files_under(settings.MEDIA_ROOT)] == [Path(getattr(user, field).name).name]
    assert not ProfileImage.objects.exists()  # the row only carried it through processing
