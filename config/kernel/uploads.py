"""The size limit on uploaded files, counted as the bytes arrive (before Django has them all).

Runs first among FILE_UPLOAD_HANDLERS: it passes every chunk on to the
handlers that keep it (memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then a
temporary file on disk), and stops the upload with a 413 once one file is
past the largest upload we take (a video, VIDEO_MAX_BYTES). Bodies declared
too big never get this far (config/kernel/asgi_handler.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat

from config.kernel.errors import ServiceError
from config.kernel.guards import BODY_CHECK_LIMIT


def _length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large_message() -> str:
    videos, images = filesizeformat(settings.VIDEO_MAX_BYTES), filesizeformat(settings.IMAGE_MAX_BYTES)
    return f"Files must be {videos} or smaller (videos; images: {images})."


class UploadTooLarge(ServiceError):
    status = 413


class LimitedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.VIDEO_MAX_BYTES:
            raise UploadTooLarge(too_large_message(), field="file")
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file


class UploadLimitMiddleware:
    """Parses a multipart body first, so a file past the limit answers 413 wherever it is first read.

    (Middleware reads request.POST before any view: an error there would
    otherwise be a 500.) What the parser kept (files on disk) stays for the
    view; DRF reads it from the Django request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and (request.content_type or "").startswith("multipart/"):
            try:
                if 0 < _length(request) <= BODY_CHECK_LIMIT:
                    request.body  # noqa: B018 (kept, as NulByteMiddleware does: a JSON-only view can still answer 415)
                request.FILES  # noqa: B018
            except UploadTooLarge as error:
                if request.path.startswith("/api/"):
                    return JsonResponse({"error": error.message, "fields": error.fields}, status=413)
                return HttpResponse(error.message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
