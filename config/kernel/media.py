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

Tweet and message uploads may also be videos (`accepts_video`): the same
pipeline, with config/kernel/videos.py's probe on the request and its
transcode (H.264/AAC MP4, a WebP poster as the thumbnail, a blurhash) in the
worker. Animated GIFs (and WebPs) become silent MP4s the page loops.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.kernel import images, videos
from config.kernel.errors import ServiceError
from config.kernel.storage import private_storage

logger = logging.getLogger(__name__)


def original_path(instance, filename: str) -> str:
    return f"originals/{timezone.now():%Y/%m}/{instance.pk}"


@dataclass(frozen=True)
class Rendered:
    """What processing made of an original: the file to publish and, for some kinds, its thumbnail."""

    content: File
    format: str
    width: int
    height: int
    thumbnail: File | None = None
    thumb_width: int | None = None
    thumb_height: int | None = None
    duration: float | None = None  # videos and GIFs
    blurhash: str = ""
    workdir: videos.Workdir | None = None  # where a transcode left its files, removed once they are stored

    def discard(self) -> None:
        self.content.close()
        if self.workdir is not None:
            self.workdir.remove()

    @property
    def content_type(self) -> str:
        return "video/mp4" if self.format == "MP4" else images.MIME_TYPES[self.format]

    @property
    def extension(self) -> str:
        return "mp4" if self.format == "MP4" else images.EXTENSIONS[self.format]


class ProcessedImage(models.Model):
    """The fields every processed upload has; each kind adds `file` (and `thumbnail`) in its own storage."""

    class State(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    accepts_video = False  # ProcessedMedia (tweet and message uploads) takes videos too

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
        """Set what the header tells about this kind before the row is written."""

    def render(self, source) -> Rendered:
        """Decode the original and re-encode it without metadata, with a thumbnail (ServiceError if damaged)."""
        content, found = images.clean(source)
        source.seek(0)
        thumbnail, thumb_width, thumb_height = images.thumbnail_webp(source, settings.THUMBNAIL_SIZE)
        return Rendered(content, found.format, found.width, found.height, thumbnail, thumb_width, thumb_height)


class ProcessedMedia(ProcessedImage):
    """What a post or a message carries: an image, an animation (made a silent MP4) or a video."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        GIF = "gif", "Animated GIF"  # a silent, looping MP4 once processed
        VIDEO = "video", "Video"

    accepts_video = True
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.IMAGE)
    duration = models.FloatField(null=True, blank=True)  # seconds: videos, and GIFs once processed
    blurhash = models.CharField(max_length=40, blank=True)  # of the poster (videos and GIFs)

    class Meta:
        abstract = True

    @property
    def is_video(self) -> bool:
        """Played by a <video>: a video, or an animation once it is an MP4 (before, it is the GIF itself)."""
        return self.kind == self.Kind.VIDEO or (self.kind == self.Kind.GIF and self.content_type == "video/mp4")

    def accepted(self, found: images.Probe | videos.Probe) -> None:
        if isinstance(found, videos.Probe):
            self.kind, self.duration = self.Kind.VIDEO, found.duration
        else:
            self.kind = self.Kind.GIF if found.animated else self.Kind.IMAGE

    def render(self, source) -> Rendered:
        if self.kind in (self.Kind.VIDEO, self.Kind.GIF):
            return self.render_video(source)
        return super().render(source)

    def render_video(self, source) -> Rendered:
        """Transcode in a child process (config/kernel/videos.py): the MP4, its poster as the thumbnail."""
        workdir = videos.Workdir()
        try:
            made = videos.transcode(workdir.copy(source), workdir.path, kind=self.kind, duration=self.duration)
            poster = ContentFile(made.poster.read_bytes())
        except BaseException:
            workdir.remove()
            raise
        # The video is handed on as a file on disk (up to 100 MB: never read into memory).
        return Rendered(
            File(made.video.open("rb"), name="video.mp4"), "MP4", made.width, made.height,
            poster, made.poster_width, made.poster_height, duration=made.duration, blurhash=made.blurhash,
            workdir=workdir,
        )  # fmt: skip


def check_alt_text(alt_text: str) -> str:
    alt_text = (alt_text or "").strip()
    if len(alt_text) > 1000:
        raise ServiceError(_("Image descriptions can be at most 1,000 characters."), field="altText")
    return alt_text


def accept(item: ProcessedImage, upload, *, alt_text: str = "") -> images.Probe:
    """On the request path: check what the header says, keep the file as sent, to be processed later.

    Writes the original file but not the row; the caller saves the row (and
    deletes the file if that fails). Raises ServiceError (413 for too much work).
    """
    found = _probe(item, upload)
    item.state = item.State.PROCESSING
    item.content_type = found.content_type if isinstance(found, videos.Probe) else images.MIME_TYPES[found.format]
    item.width, item.height = found.width, found.height
    item.size = images.size_of(upload)
    item.alt_text = check_alt_text(alt_text)
    item.accepted(found)
    upload.seek(0)
    item.original.save("original", upload, save=False)
    return found


def _probe(item: ProcessedImage, upload) -> images.Probe | videos.Probe:
    """A video for what its first bytes are (when this kind takes videos), else an image."""
    if item.accepts_video and videos.looks_like_video(upload):
        return videos.probe(upload)
    try:
        return images.probe(upload)
    except ServiceError as error:
        if item.accepts_video and error.message == images.NOT_AN_IMAGE:
            raise ServiceError(NOT_MEDIA) from None
        raise


NOT_MEDIA = gettext_lazy(
    "That file isn't an image or video we can read. Use a JPEG, PNG, GIF, WebP, MP4, MOV or WebM file."
)


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
    try:
        item.file.save(f"upload.{rendered.extension}", rendered.content, save=False)
        done = {
            "state": item.State.READY, "file": item.file.name, "content_type": rendered.content_type,
            "size": rendered.content.size, "width": rendered.width, "height": rendered.height, "original": "",
        }  # fmt: skip
        if rendered.format == "MP4":
            done.update(duration=rendered.duration, blurhash=rendered.blurhash)
        if rendered.thumbnail is not None:
            item.thumbnail.save("thumb.webp", rendered.thumbnail, save=False)
            done.update(
                thumbnail=item.thumbnail.name, thumb_width=rendered.thumb_width, thumb_height=rendered.thumb_height
            )
    finally:
        rendered.discard()
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
