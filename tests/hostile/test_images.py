"""Image uploads: the work of decoding is bounded before any is done, and no metadata survives."""

import io

import pytest
from PIL import Image

from config.kernel import images
from config.kernel.errors import ServiceError
from tests.images import jpeg_with_gps_exif
from tests.images_hostile import (
    animated_gif,
    gif_bomb,
    jpeg_with_comment,
    png_with_text,
    truncated_png,
    webp_with_xmp,
)


def refused(data: bytes) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        images.probe(io.BytesIO(data))
    return caught.value


def test_the_gif_bomb_is_refused_from_its_header():
    error = refused(gif_bomb())
    assert error.status == 413
    assert "1280 pixels" in error.message


def test_too_many_frames_or_pixels_over_all_frames_are_refused(settings):
    settings.ANIMATION_MAX_FRAMES = 5
    assert "at most 5 frames" in refused(animated_gif(frames=6)).message
    settings.ANIMATION_MAX_FRAMES = 350
    settings.ANIMATION_MAX_PIXELS = 64 * 48 * 4
    assert refused(animated_gif(frames=5)).status == 413
    assert images.probe(io.BytesIO(animated_gif(frames=4))).frames == 4


def test_a_still_image_with_too_many_pixels_is_refused_without_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    assert refused(jpeg_with_comment(b"x")).status == 413


@pytest.mark.parametrize(
    "data, secret",
    [
        (jpeg_with_comment(b"FIND-ME-JPEG-COMMENT"), b"FIND-ME-JPEG-COMMENT"),
        (jpeg_with_gps_exif(), b"SpyCam"),
        (animated_gif(comment=b"FIND-ME-GIF-COMMENT"), b"FIND-ME-GIF-COMMENT"),
        (png_with_text("Author", "FIND-ME-PNG-TEXT"), b"FIND-ME-PNG-TEXT"),
        (webp_with_xmp("FIND-ME-WEBP-XMP"), b"FIND-ME-WEBP-XMP"),
    ],
    ids=["jpeg-comment", "jpeg-exif", "gif-comment", "png-text", "webp-xmp"],
)
def test_no_metadata_survives_cleaning(data, secret):
    assert secret in data  # the test file really carries it
    cleaned, _ = images.clean(io.BytesIO(data))
    assert secret not in cleaned.read()


def test_an_animation_keeps_its_frames_timing_and_transparency():
    cleaned, found = images.clean(io.BytesIO(animated_gif(frames=4, transparency=0)))
    assert found.frames == 4 and found.animated
    result = Image.open(io.BytesIO(cleaned.read()))
    assert result.n_frames == 4
    assert result.info["duration"] == 80 and result.info["loop"] == 0
    assert result.info.get("transparency") == 0


def test_a_file_damaged_past_its_header_passes_the_probe_and_fails_cleaning():
    data = truncated_png()
    assert images.probe(io.BytesIO(data)).format == "PNG"
    with pytest.raises(ServiceError):
        images.clean(io.BytesIO(data))
