"""Tweet images: accepted on the request (checked from the header), processed in a worker (config/kernel/media.py)."""

from __future__ import annotations

from config.kernel import abuse, images
from config.kernel import media as pipeline
from config.kernel.errors import ServiceError
from tweets.models import Media


def store(upload, *, owner, alt_text: str = "", tweet=None, position: int = 0) -> Media:
    """Check the header, keep the original privately and write the row (`processing`); raises ServiceError.

    The caller schedules `tweets.tasks.process_media` after commit. If the row
    can't be written, the original goes too.
    """
    item = Media(owner=owner, tweet=tweet, position=position)
    found = pipeline.accept(item, upload, alt_text=alt_text)
    item.kind = Media.Kind.GIF if found.animated else Media.Kind.IMAGE
    try:
        item.save(force_insert=True)
    except Exception:
        pipeline.delete_files([item])
        raise
    return item


def check_upload(owner) -> None:
    """The upload limits (per person and per address): a refused upload costs no decoding at all."""
    abuse.check(abuse.UPLOAD, owner)


def check_attachable(items) -> None:
    failed = [item for item in items if item.state == Media.State.FAILED]
    if failed:
        reason = failed[0].failure or images.NOT_AN_IMAGE
        raise ServiceError(f"That image couldn't be used: {reason}", field="mediaIds")


delete_files = pipeline.delete_files
