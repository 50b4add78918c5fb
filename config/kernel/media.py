"""Uploaded images, one pipeline for tweet and message images, avatars and headers: accept, then process.

A request only probes the upload (config/kernel/images.py: format, size and frame
count from the header, the decoding work bounded) and keeps the file as
sent, in private storage, with the row in the `processing` state. A worker
(`process`) decodes and re-encodes it without metadata, makes the thumbnail,
and marks it `ready`, or `failed` with a reason; the original goes either way.
Nothing is published before it is processed: the original never has a
public URL, so a location in its EXIF can't leak in the meantime.
Each kind is a ProcessedImage model; `render` says what processing makes of
it (tweet and message images: the cleaned file and a thumbnail; avatars and
headers: a cropped WebP). The task is config/kernel/media_tasks.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from config.kernel import images
from config.kernel.errors import ServiceError
from config.kernel.storage import private_storage

logger = logging.getLogger(__name__)


def original_path(instance, filename: str) -> str:
    return f"originals/{timezone.now():%Y/%m}/{instance.pk}"


@dataclass(frozen=True)
class Rendered:
    """What processing made of an original: the file to publish and, for some kinds, its thumbnail."""

    content: ContentFile
    format: str
    width: int
    height: int
    thumbnail: ContentFile | None = None
    thumb_width: int | None = None
    thumb_height: int | None = None


class ProcessedImage(models.Model):
    """The fields every processed upload has; each kind adds `file` (and `thumbnail`) in its own storage."""

    class State(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    state = models.CharField(max_length=10, choices=State.choices, default=State.READY)
    original = models.FileField(upload_to=original_path, storage=private_storage, blank=True)
    failure = models.CharField(max_length=200, blank=True)  # why processing failed, for its owner
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    thumb_width = models.PositiveIntegerField(null=True, blank=True)
    thumb_height = models.PositiveIntegerField(null=True, blank=True)
    alt_text = models.CharField(max_length=1000, blank=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY

    def accepted(self, found: images.Probe) -> None:
        """Set what the header tells about this kind before the row is written (Media: GIF or image)."""

    def render(self, source) -> Rendered:
        """Decode the original and re-encode it without metadata, with a thumbnail (ServiceError if damaged)."""
        content, found = images.clean(source)
        source.seek(0)
        thumbnail, thumb_width, thumb_height = images.thumbnail_webp(source, settings.THUMBNAIL_SIZE)
        return Rendered(content, found.format, found.width, found.height, thumbnail, thumb_width, thumb_height)


def check_alt_text(alt_text: str) -> str:
    alt_text = (alt_text or "").strip()
    if len(alt_text) > 1000:
        raise ServiceError("Image descriptions can be at most 1,000 characters.", field="altText")
    return alt_text


def accept(item: ProcessedImage, upload, *, alt_text: str = "") -> images.Probe:
    """On the request path: check what the header says, keep the file as sent, to be processed later.

    Writes the original file but not the row; the caller saves the row (and
    deletes the file if that fails). Raises ServiceError (413 for too much work).
    """
    found = images.probe(upload)
    item.state = item.State.PROCESSING
    item.content_type = images.MIME_TYPES[found.format]
    item.width, item.height = found.width, found.height
    item.size = images.size_of(upload)
    item.alt_text = check_alt_text(alt_text)
    item.accepted(found)
    upload.seek(0)
    item.original.save("original", upload, save=False)
    return found


def store(item: ProcessedImage, upload, *, alt_text: str = "") -> ProcessedImage:
    """`accept`, then write the row (`processing`); if the row can't be written, the original goes too.

    The caller schedules processing (media_tasks.process_after_commit) or runs it in place.
    """
    accept(item, upload, alt_text=alt_text)
    try:
        item.save(force_insert=True)
    except Exception:
        delete_files([item])
        raise
    return item


def process(item: ProcessedImage) -> bool:
    """In a worker: the clean file (and thumbnail), then `ready`; or `failed`. Safe to run twice."""
    model = type(item)
    if item.state != item.State.PROCESSING or not item.original:
        return False
    try:
        with item.original.open("rb") as source:
            rendered = item.render(source)
    except ServiceError as error:
        updated = model.objects.filter(pk=item.pk, state=item.State.PROCESSING).update(
            state=item.State.FAILED, failure=error.message[:200], original=""
        )
        item.original.delete(save=False)
        return bool(updated)
    item.file.save(f"upload.{images.EXTENSIONS[rendered.format]}", rendered.content, save=False)
    done = {
        "state": item.State.READY, "file": item.file.name, "content_type": images.MIME_TYPES[rendered.format],
        "size": rendered.content.size, "width": rendered.width, "height": rendered.height, "original": "",
    }  # fmt: skip
    if rendered.thumbnail is not None:
        item.thumbnail.save("thumb.webp", rendered.thumbnail, save=False)
        done.update(thumbnail=item.thumbnail.name, thumb_width=rendered.thumb_width, thumb_height=rendered.thumb_height)
    updated = model.objects.filter(pk=item.pk, state=item.State.PROCESSING).update(**done)
    if updated:
        item.original.delete(save=False)
    else:  # a concurrent run won, or the row went meanwhile: these files are nobody's
        delete_files([item])
    return bool(updated)


def delete_files(items) -> None:
    for item in items:
        for field in (item.original, item.file, getattr(item, "thumbnail", None)):
            if field:
                field.delete(save=False)
