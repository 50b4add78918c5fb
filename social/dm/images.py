"""Direct-message images: the tweet image pipeline, into private storage, served after an access check."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect

from config.errors import ServiceError
from config.storage import is_local
from config.tasks import enqueue_on_commit
from social.models import MessageImage
from tweets import media as tweet_media


def store(upload, *, owner, alt_text: str = "") -> MessageImage:
    """Check and re-encode (no metadata survives), write the file, then the row; thumbnail later."""
    if len(alt_text or "") > 1000:
        raise ServiceError("Image descriptions can be at most 1,000 characters.", field="altText")
    prepared = tweet_media.prepare(upload, alt_text)
    image = MessageImage(
        owner=owner,
        content_type=prepared.content_type,
        size=prepared.content.size,
        width=prepared.width,
        height=prepared.height,
        alt_text=prepared.alt_text,
    )
    image.file.save(f"upload.{prepared.extension}", prepared.content, save=False)
    try:
        image.save(force_insert=True)
    except Exception:
        image.file.delete(save=False)
        raise
    from social.tasks import make_message_thumbnail

    enqueue_on_commit(make_message_thumbnail, image.pk)
    return image


def delete_files(items) -> None:
    for image in items:
        for field in (image.file, image.thumbnail):
            if field:
                field.delete(save=False)


def response(image: MessageImage, *, thumbnail: bool = False):
    """The file itself (local storage) or a redirect to a URL signed for a few minutes (S3)."""
    field = image.thumbnail if thumbnail and image.thumbnail else image.file
    content_type = "image/webp" if field is image.thumbnail else image.content_type
    if not is_local(field.storage):
        redirect = HttpResponseRedirect(field.url)  # signed: PRIVATE_URL_SECONDS
        redirect["Cache-Control"] = "private, no-store"
        return redirect
    served = FileResponse(field.open("rb"), content_type=content_type)
    # Only the viewer's own browser may keep it, and not for longer than a signed URL would work.
    served["Cache-Control"] = f"private, max-age={settings.PRIVATE_URL_SECONDS}"
    served["X-Content-Type-Options"] = "nosniff"
    return served
