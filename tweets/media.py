"""Turning uploads into Media rows: checked and re-encoded in memory, then stored."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile

from config import images
from tweets.models import Media


@dataclass
class PreparedImage:
    content: ContentFile
    extension: str
    content_type: str
    kind: str
    width: int
    height: int
    alt_text: str


def prepare(upload, alt_text: str = "") -> PreparedImage:
    """Decode, check and re-encode without metadata; raises ServiceError. Writes nothing."""
    image = images.open_image(upload)
    fmt = image.format
    animated = images.is_animated(image)
    width, height = image.size if animated else images.upright(image).size
    return PreparedImage(
        content=images.reencode(image),
        extension=images.EXTENSIONS[fmt],
        content_type=images.MIME_TYPES[fmt],
        kind=Media.Kind.GIF if animated else Media.Kind.IMAGE,
        width=width,
        height=height,
        alt_text=(alt_text or "").strip(),
    )


def store(prepared: PreparedImage, *, owner, tweet=None, position: int = 0) -> Media:
    """Write the file, then the row; if the row fails, the file goes too."""
    media = Media(
        owner=owner,
        tweet=tweet,
        position=position,
        kind=prepared.kind,
        content_type=prepared.content_type,
        size=prepared.content.size,
        width=prepared.width,
        height=prepared.height,
        alt_text=prepared.alt_text,
    )
    media.file.save(f"upload.{prepared.extension}", prepared.content, save=False)
    try:
        media.save(force_insert=True)
    except Exception:
        media.file.delete(save=False)
        raise
    return media


def delete_files(media_items) -> None:
    for media in media_items:
        for field in (media.file, media.thumbnail):
            if field:
                field.delete(save=False)
