"""Image files for upload tests, made in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt: str = "PNG", size=(64, 48), color=(200, 30, 30), exif: bytes | None = None, mode="RGB") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, color if mode == "RGB" else 0)
    kwargs = {"exif": exif} if exif else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name="picture.png", size=(64, 48)) -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG", size))


def jpeg_with_gps_exif(size=(64, 48)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0)}  # GPSInfo: where the photo was taken
    return image_bytes("JPEG", size, exif=exif.tobytes())


def text_pretending_to_be_png() -> SimpleUploadedFile:
    return upload("innocent.png", b"This is just text, not an image at all.\n" * 20)


def oversize_upload(limit: int) -> SimpleUploadedFile:
    """A valid PNG header followed by padding, one byte over `limit`."""
    head = image_bytes("PNG", (8, 8))
    return upload("huge.png", head + b"\0" * (limit + 1 - len(head)))


def pixel_bomb_png(side: int = 10_000) -> SimpleUploadedFile:
    """Tiny on disk, enormous in memory: side x side pixels of one colour."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 0).save(buffer, format="PNG", optimize=True)
    return upload("bomb.png", buffer.getvalue())
