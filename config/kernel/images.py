"""Image uploads: read the header to check, then decode and re-encode without any metadata.

A file is accepted for what Pillow reads it as, never for its name or its
declared content type. `probe` reads only the header and counts frames, so
the work of decoding is bounded before any is done: pixels per frame, frames,
and pixels over all frames. `clean` then keeps the pixels (and frame timing)
and nothing else: no EXIF (location, camera serials), ICC profile, XMP,
JPEG or GIF comment, or PNG text chunk survives. Decoding and re-encoding
run in a worker (config/kernel/media_tasks.py), in place for avatars and headers.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from config.kernel.errors import ServiceError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

# Pillow's decompression-bomb guard, set explicitly rather than trusting its default.
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS

NOT_AN_IMAGE = gettext_lazy("That file isn't an image we can read. Use a JPEG, PNG, GIF or WebP.")


# Kept through re-encoding: how the pixels are shown, not who made them or where.
KEPT_INFO = ("transparency", "duration", "loop", "background", "disposal")


@dataclass(frozen=True)
class Probe:
    format: str
    width: int
    height: int
    frames: int

    @property
    def animated(self) -> bool:
        return self.frames > 1 and self.format in ("GIF", "WEBP")


def size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def probe(upload, *, max_bytes: int | None = None) -> Probe:
    """Format, size and frame count from the header alone, or ServiceError (413 for too much work)."""
    max_bytes = max_bytes or settings.IMAGE_MAX_BYTES
    size = size_of(upload)
    if size > max_bytes:
        raise ServiceError(_("Images must be %(size)s or smaller.") % {"size": filesizeformat(max_bytes)}, status=413)
    if size == 0:
        raise ServiceError(_("That file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS:
                raise ServiceError(NOT_AN_IMAGE)
            if image.width * image.height > settings.IMAGE_MAX_PIXELS:
                raise _too_many_pixels()
            frames = getattr(image, "n_frames", 1)  # counts frame headers; decodes no pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ServiceError(NOT_AN_IMAGE) from None
    found = Probe(image.format, image.width, image.height, frames)
    if found.animated:
        _check_animation(found)
    return found


def _check_animation(found: Probe) -> None:
    if found.frames > settings.ANIMATION_MAX_FRAMES:
        raise ServiceError(
            _("Animated images can have at most %(max)s frames.") % {"max": settings.ANIMATION_MAX_FRAMES}, status=413
        )
    if max(found.width, found.height) > settings.ANIMATION_MAX_SIDE:
        side = settings.ANIMATION_MAX_SIDE
        raise ServiceError(
            _("Animated images can be at most %(side)s pixels wide or high.") % {"side": side}, status=413
        )
    if found.width * found.height * found.frames > settings.ANIMATION_MAX_PIXELS:
        raise ServiceError(_("That animation is too big: use fewer frames or a smaller size."), status=413)


def open_image(upload, *, max_bytes: int | None = None, box: tuple[int, int] | None = None) -> Image.Image:
    """The first frame, decoded (avatars and headers, processed in place on the request).

    The probe bounds the work first; a JPEG is decoded straight at a reduced
    scale when `box` (the size it is for) allows, a fraction of the work.
    """
    probe(upload, max_bytes=max_bytes)
    try:
        upload.seek(0)
        image = Image.open(upload)
        if box is not None and image.format == "JPEG":
            image.draft("RGB", box)
        image.load()  # a truncated file fails here, not later
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ServiceError(NOT_AN_IMAGE) from None
    return image


def _too_many_pixels() -> ServiceError:
    megapixels = settings.IMAGE_MAX_PIXELS // 1_000_000
    return ServiceError(
        _("Images can have at most %(megapixels)s megapixels.") % {"megapixels": megapixels}, status=413
    )


def upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, since the EXIF itself is about to be dropped."""
    return ImageOps.exif_transpose(image) or image


def encode_webp(image: Image.Image, *, quality: int = 85) -> ContentFile:
    image = _bare(image)  # no EXIF, ICC or XMP from the original
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=quality, method=4)
    return ContentFile(buffer.getvalue())


def square_webp(upload, size: int) -> tuple[ContentFile, int, int]:
    """An avatar: centre-cropped to a square of `size` pixels; returns it with its size."""
    image = upright(open_image(upload, box=(size, size)))
    return encode_webp(ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)), size, size


def cover_webp(upload, size: tuple[int, int]) -> tuple[ContentFile, int, int]:
    """A header: centre-cropped to the `size` aspect ratio, never upscaled; returns it with its size."""
    image = upright(open_image(upload, box=size))
    width, height = size
    scale = min(1.0, image.width / width, image.height / height)
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    return encode_webp(ImageOps.fit(image, target, Image.Resampling.LANCZOS)), *target


def _bare(frame: Image.Image) -> Image.Image:
    """The pixels without anything else the file carried (comments, EXIF, ICC, XMP, text chunks)."""
    bare = frame.copy()
    bare.info = {key: frame.info[key] for key in KEPT_INFO if key in frame.info}
    return bare


def clean(source) -> tuple[ContentFile, Probe]:
    """Decode `source` (checked by `probe` first) and re-encode it with nothing but its pixels and timing.

    The worker's half of an upload: this is where the decoding work is,
    already bounded by the probe. Returns the new file and the image's
    probe (upright size for still images).
    """
    found = probe(source)
    source.seek(0)
    image = Image.open(source)
    buffer = io.BytesIO()
    try:
        if found.animated:
            frames, durations = [], []
            for index in range(found.frames):
                image.seek(index)
                frames.append(_bare(image))
                durations.append(image.info.get("duration", 100))
            frames[0].save(
                buffer, format=found.format, save_all=True, append_images=frames[1:], duration=durations,
                loop=image.info.get("loop", 0),
            )  # fmt: skip
            return ContentFile(buffer.getvalue()), found
        picture = _bare(upright(image))
        if found.format == "JPEG":
            picture.convert("RGB").save(buffer, format="JPEG", quality=90, optimize=True)
        elif found.format == "PNG":
            picture.save(buffer, format="PNG", optimize=True)
        elif found.format == "GIF":
            picture.save(buffer, format="GIF")
        else:
            picture.save(buffer, format="WEBP", quality=90)
    except (OSError, SyntaxError, ValueError, EOFError):  # damaged past the header
        raise ServiceError(NOT_AN_IMAGE) from None
    return ContentFile(buffer.getvalue()), Probe(found.format, picture.width, picture.height, 1)


def thumbnail_webp(source, box: tuple[int, int]) -> tuple[ContentFile, int, int]:
    """A WebP no bigger than `box`, from the first frame; returns it with its size."""
    image = Image.open(source)
    image.seek(0)
    image = image.copy()
    image.thumbnail(box, Image.Resampling.LANCZOS)
    return encode_webp(image, quality=82), image.width, image.height
