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
from django.template.defaultfilters import filesizeformat

from config.kernel.errors import ServiceError


def too_large_message() -> str:
    videos, images = filesizeformat(settings.VIDEO_MAX_BYTES), filesizeformat(settings.IMAGE_MAX_BYTES)
    return f"Files must be {videos} or smaller (videos; images: {images})."


class LimitedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.VIDEO_MAX_BYTES:
            raise ServiceError(too_large_message(), field="file", status=413)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file
