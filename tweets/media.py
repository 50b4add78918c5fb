"""Tweet images: the limits on uploading and attaching them (the pipeline itself: config/kernel/media.py)."""

from __future__ import annotations

from config.kernel import abuse, images
from config.kernel.errors import ServiceError
from tweets.models import Media


def check_upload(owner) -> None:
    """The upload limits (per person and per address): a refused upload costs no decoding at all."""
    abuse.check(abuse.UPLOAD, owner)


def check_attachable(items) -> None:
    failed = [item for item in items if item.state == Media.State.FAILED]
    if failed:
        reason = failed[0].failure or images.NOT_AN_IMAGE
        raise ServiceError(f"That image couldn't be used: {reason}", field="mediaIds")
