"""Tweet media: the limits on uploading and attaching them (the pipeline itself: config/kernel/media.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.kernel import abuse, images
from config.kernel.errors import ServiceError
from tweets.models import Media


def check_upload(owner) -> None:
    """The upload limits (per person and per address): a refused upload costs no decoding at all."""
    abuse.check(abuse.UPLOAD, owner)


MIXED = gettext_noop("A post can have one video or GIF, or up to 4 images, not both.")


def check_attachable(items) -> None:
    """Failed uploads can't be posted; a video (or GIF, a video once processed) goes alone, as on Twitter."""
    failed = [item for item in items if item.state == Media.State.FAILED]
    if failed:
        reason = failed[0].failure or images.NOT_AN_IMAGE
        raise ServiceError(_("That file couldn't be used: %(reason)s") % {"reason": reason}, field="mediaIds")
    check_mix(items)


def check_mix(items) -> None:
    """One video or GIF alone, or images (up to TWEET_MAX_IMAGES, counted by the caller)."""
    moving = [item for item in items if item.kind in (Media.Kind.VIDEO, Media.Kind.GIF)]
    if moving and len(items) > 1:
        raise ServiceError(_(MIXED), field="mediaIds")
