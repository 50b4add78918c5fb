"""Direct-message images: served after an access check (processed by config/kernel/media.py, in private storage)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect

from config.kernel.storage import is_local
from social.messages.models import MessageImage


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
